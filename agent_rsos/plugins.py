"""What Agent RSOS adds to the core's pages, registered from apps.py ``ready()``: its links, its
audit actions and objects, its dashboard panel and its demo data (the core knows no domain app)."""

from __future__ import annotations

from django.core.management.base import CommandError

from supportdesk import audit, dashboard_panels, navigation
from supportdesk.demo import DemoRun, register_loader
from supportdesk.navigation import NavEntry
from supportdesk.roles import Role

# Each demo case is a real walk through the engine: (flow key, [(step key, POST data), ...]).
DEMO_CASES = (
    ("arsos-routing", [("sale_stage", {"choice": "pre_sale"})]),
    (
        "arsos-routing",
        [
            ("sale_stage", {"choice": "post_sale"}),
            ("topic", {"choice": "billing"}),
            ("si_member", {"choice": "existing"}),
            ("si_my_humana_business", {}),
            ("si_result", {"choice": "submitted"}),
        ],
    ),
    ("arsos-routing", [("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "claims"})]),
)


def load_demo_cases(run: DemoRun) -> None:
    """A few cases walked through the routing flow, so the case pages have something to show;
    only into an empty case table."""
    from supportdesk import services
    from supportdesk.engine import registry
    from supportdesk.models import Case

    if Case.objects.exists():
        return None
    specialist = run.users[Role.SPECIALIST]
    for flow_key, answers in DEMO_CASES:
        flow = registry.get(flow_key)
        if flow is None:
            raise CommandError(f"Demo data needs the flow {flow_key!r}.")
        case = services.case_open(flow=flow, user=specialist)
        for step_key, data in answers:
            result = services.case_answer(case=case, user=specialist, step_key=step_key, data=data)
            if not result.ok:
                raise CommandError(f"Demo answer for {step_key!r} did not validate.")
            case = result.case
    return None


def load_demo_escalations(run: DemoRun) -> str:
    from .demo import load_agent_rsos_demo

    return load_agent_rsos_demo(run.today)


def register() -> None:
    from . import dashboard

    specialist, supervisor = frozenset({Role.SPECIALIST}), frozenset({Role.SUPERVISOR})
    navigation.register(
        NavEntry("My escalations", "arsos_my_escalations", specialist, order=30),
        NavEntry("Escalations", "arsos_escalation_overview", supervisor, order=60),
    )
    audit.register_actions(
        areas={"arsos_escalation": "ARSOS escalations"},
        actions={
            "arsos_escalation.draft": "ARSOS escalation drafted",
            "arsos_escalation.discard": "ARSOS draft escalation discarded",
            "arsos_escalation.details": "ARSOS escalation details saved",
            "arsos_escalation.split": "ARSOS escalation split",
            "arsos_escalation.sent": "ARSOS escalation sent",
            "arsos_escalation.acknowledge": "ARSOS escalation acknowledged",
            "arsos_escalation.follow_up": "ARSOS escalation follow-up recorded",
            "arsos_escalation.resolve": "ARSOS escalation resolved",
            "arsos_escalation.escalate": "ARSOS escalation escalated further",
            "arsos_escalation.reminder": "ARSOS SLA reminder sent",
        },
        object_pages={"agent_rsos.escalation": ("ARSOS escalation", "arsos_escalation")},
    )
    dashboard_panels.register_panel(dashboard.PANEL)
    # The cases come first (as they always have), before the EC data and the escalations.
    register_loader("agent_rsos.cases", load_demo_cases, order=10)
    register_loader("agent_rsos.escalations", load_demo_escalations, order=30)
