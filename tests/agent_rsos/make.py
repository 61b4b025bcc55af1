"""make_* helpers for ARSOS escalations: real routing cases, then the services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from agent_rsos import services
from agent_rsos.models import Escalation
from agent_rsos.rules import LineOfBusiness, Topic
from tests.factories import make_case

NEW_YORK = ZoneInfo("America/New_York")

# The routing flow's path to the mailbox (seed 001: a Service Inquiry that did not resolve it).
TO_MAILBOX_LINE = [
    ("sale_stage", {"choice": "post_sale"}),
    ("topic", {"choice": "billing"}),
    ("si_member", {"choice": "existing"}),
    ("si_my_humana_business", {}),
    ("si_result", {"choice": "unresolved"}),
    ("escalation", {"choice": "mailbox"}),
]

# Made-up member data; the tests look for these strings where they must never be.
MEMBER = {
    "member_first_name": "Janine",
    "member_last_name": "Okonkwo-Smith",
    "member_id": "H12345678",
}
DETAILS = {
    "agent_name": "Robin Agent",
    "agent_san": "1234567",
    **MEMBER,
    "reference_number": "SI-99881",
    "summary": "Billing shows a premium after the plan change; SI was closed unresolved.",
}


def at(*args: int) -> dt.datetime:
    """A New York wall-clock time (the business's time zone)."""
    return dt.datetime(*args, tzinfo=NEW_YORK)


def mailbox_case(user: Any, line_field: str = "medicare") -> Any:
    return make_case(user, "arsos-routing", [
        *TO_MAILBOX_LINE, ("mailbox_line", {f"mailbox_line-{line_field}": "on"}),
    ])


def make_draft(user: Any, line: LineOfBusiness = LineOfBusiness.MEDICARE) -> Escalation:
    case = mailbox_case(user, "medicare" if line == LineOfBusiness.MEDICARE else "individual")
    return Escalation.objects.get(case=case, line_of_business=line.value)


def details(line: LineOfBusiness = LineOfBusiness.MEDICARE, **changes: str) -> services.EscalationDetails:
    return services.EscalationDetails(line=line, topic=Topic.BILLING, **{**DETAILS, **changes})


def make_escalation(user: Any, *, status: str = "draft", sent_at: dt.datetime | None = None,
                    acknowledged_at: dt.datetime | None = None,
                    line: LineOfBusiness = LineOfBusiness.MEDICARE) -> Escalation:
    """An escalation walked through the services up to ``status``."""
    escalation = make_draft(user, line)
    if status == "draft":
        return escalation
    services.escalation_save_details(escalation_id=escalation.pk, user=user, details=details(line))
    services.escalation_mark_sent(escalation_id=escalation.pk, user=user, occurred_at=sent_at)
    if status in {"acknowledged", "resolved"}:
        services.escalation_acknowledge(escalation_id=escalation.pk, user=user,
                                        occurred_at=acknowledged_at)
    if status == "resolved":
        services.escalation_resolve(escalation_id=escalation.pk, user=user)
    escalation.refresh_from_db()
    return escalation
