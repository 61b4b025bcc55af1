"""The ARSOS SLA panel on the supervisor dashboard (registered in apps.py): open, overdue and
due escalations, weekly compliance, with the weekly table it exports."""

from __future__ import annotations

from typing import Any

from supportdesk.dashboard_panels import Panel
from supportdesk.insights import Period

from . import insights


def context(period: Period) -> dict[str, Any]:
    return {"sla": insights.sla_figures(period)}


def sla_rows(period: Period) -> list[tuple[Any, ...]]:
    return [(w.week, w.sent, w.measured, w.on_time, w.follow_ups_missed, w.compliant, w.percent)
            for w in insights.sla_figures(period)["weeks"]]


PANEL = Panel(
    key="agent_rsos", template="agent_rsos/dashboard_panel.html", context=context, order=20,
    tables={
        "arsos-sla": (("Week of", "Sent", "Measured", "On time", "Follow-ups missed", "Compliant",
                       "Compliance"), sla_rows),
    },
)
