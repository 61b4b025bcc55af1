"""Demo ARSOS mailbox escalations: one at every point of the lifecycle, with made-up members.

Each comes from a real walk of the ARSOS routing flow and the escalation services, owned by the
demo specialist. Idempotent: once any escalation exists, nothing more is made. Times are worked
out from ``today`` (always in the past), so the SLA figures look the same on any day.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from supportdesk import services as case_services
from supportdesk.engine import registry

from . import services
from .models import Escalation
from .rules import LineOfBusiness, Topic

DEMO_SPECIALIST = "specialist"

TO_MAILBOX: tuple[tuple[str, dict[str, str]], ...] = (
    ("sale_stage", {"choice": "post_sale"}),
    ("topic", {"choice": Topic.BILLING.value}),
    ("si_member", {"choice": "existing"}),
    ("si_my_humana_business", {}),
    ("si_result", {"choice": "unresolved"}),
    ("escalation", {"choice": "mailbox"}),
)

# (line, last name, first name, member ID, what happens: step → days before today)
DEMO_ESCALATIONS: tuple[tuple[LineOfBusiness, str, str, str, dict[str, float]], ...] = (
    (LineOfBusiness.MEDICARE, "Example", "Jordan", "H00000001", {}),  # a draft to fill in
    (LineOfBusiness.HUMANAONE, "Sample", "Casey", "H00000002", {"sent": 4}),  # response overdue
    (LineOfBusiness.MEDICARE, "Specimen", "Riley", "H00000003",
     {"sent": 1, "acknowledged": 0.9}),  # on track
    (LineOfBusiness.MEDICARE, "Placeholder", "Avery", "H00000004",
     {"sent": 16, "acknowledged": 15.9, "follow_up": 14}),  # follow-up overdue
    (LineOfBusiness.HUMANAONE, "Fictional", "Morgan", "H00000005",
     {"sent": 9, "acknowledged": 8.9, "follow_up": 8, "resolved": 6}),
    (LineOfBusiness.MEDICARE, "Madeup", "Quinn", "H00000006",
     {"sent": 20, "acknowledged": 19.9, "follow_up": 16, "escalated": 12}),
)


def load_agent_rsos_demo(today: dt.date) -> str:
    if Escalation.objects.exists():
        return f"ARSOS demo: {Escalation.objects.count()} escalations already there"
    specialist = get_user_model().objects.filter(username=DEMO_SPECIALIST).first()
    if specialist is None:
        return "ARSOS demo: skipped (no demo specialist yet)"
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
    for line, last, first, member_id, steps in DEMO_ESCALATIONS:
        _escalation(specialist, line, last, first, member_id,
                    {step: noon - dt.timedelta(days=days) for step, days in steps.items()})
    counts = {status: Escalation.objects.filter(status=status).count()
              for status in Escalation.Status.values}
    return "ARSOS demo: " + ", ".join(f"{n} {status}" for status, n in counts.items() if n)


def _escalation(user: User, line: LineOfBusiness, last: str, first: str, member_id: str,
                when: dict[str, dt.datetime]) -> None:
    flow = registry.get("arsos-routing")
    if flow is None:
        raise LookupError("the ARSOS routing flow registers as agent_rsos loads")
    case = case_services.case_open(flow=flow, user=user)
    line_field = "medicare" if line == LineOfBusiness.MEDICARE else "individual"
    for step_key, data in (*TO_MAILBOX, ("mailbox_line", {f"mailbox_line-{line_field}": "on"}),
                           ("mailbox_email", {})):
        result = case_services.case_answer(case=case, user=user, step_key=step_key, data=data)
        if not result.ok:
            raise ValueError(f"ARSOS demo answer for {step_key!r} did not validate.")
        case = result.case
    escalation = Escalation.objects.get(case=case, line_of_business=line.value)
    if not when:
        return
    services.escalation_save_details(escalation_id=escalation.pk, user=user, details=(
        services.EscalationDetails(
            line=line, topic=Topic.BILLING, agent_name="Robin Agent", agent_san="7654321",
            member_id=member_id, member_first_name=first, member_last_name=last,
            reference_number="", summary="Demo: premium billed after the plan change; the "
            "Service Inquiry was closed without a fix.",
        )))
    services.escalation_mark_sent(escalation_id=escalation.pk, user=user, occurred_at=when["sent"])
    if "acknowledged" in when:
        services.escalation_acknowledge(escalation_id=escalation.pk, user=user,
                                        occurred_at=when["acknowledged"])
    if "follow_up" in when:
        services.escalation_follow_up(escalation_id=escalation.pk, user=user,
                                      occurred_at=when["follow_up"])
    if "resolved" in when:
        services.escalation_resolve(escalation_id=escalation.pk, user=user,
                                    occurred_at=when["resolved"])
    if "escalated" in when:
        services.escalation_escalate(escalation_id=escalation.pk, user=user,
                                     escalated_to=Escalation.EscalatedTo.BRM,
                                     occurred_at=when["escalated"])
