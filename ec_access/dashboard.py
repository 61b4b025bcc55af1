"""The EC queue's panel on the supervisor dashboard (registered in apps.py): open requests by
age, turnaround, rejections and the weekly batch runs, with the tables it exports."""

from __future__ import annotations

from typing import Any

from supportdesk.dashboard_panels import Panel
from supportdesk.insights import Period
from supportdesk.views.dashboard_charts import bar_chart, duration

from . import insights


def context(period: Period) -> dict[str, Any]:
    turnaround = insights.turnaround(period)
    queue_age = insights.open_by_age()
    rejections = insights.rejections(period)
    return {
        "queue_age": queue_age,
        "turnaround": turnaround,
        "to_claim": duration(turnaround["to_claim"]),
        "to_grant": duration(turnaround["to_grant"]),
        "rejections": rejections,
        "batch_runs": insights.batch_runs(),
        "charts": {
            "queue_age": bar_chart(queue_age, "bucket", "count", "Open EC requests by age"),
            "rejections": bar_chart(rejections, "reason", "count", "Rejections by reason"),
        },
    }


def queue_age_rows(period: Period) -> list[tuple[Any, ...]]:
    return [(r["bucket"], r["count"]) for r in insights.open_by_age()]


def rejection_rows(period: Period) -> list[tuple[Any, ...]]:
    return [(r["reason"], r["count"]) for r in insights.rejections(period)]


PANEL = Panel(
    key="ec_access", template="ec_access/dashboard_panel.html", context=context, order=10,
    tables={
        "queue-age": (("Open EC requests", "Count"), queue_age_rows),
        "rejections": (("Rejection reason", "Count"), rejection_rows),
    },
)
