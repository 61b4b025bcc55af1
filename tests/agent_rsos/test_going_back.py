"""Back past the ARSOS mailbox step: the draft escalation is discarded (what was typed about the
member cleared); a sent one cannot be unsent, so Back is refused with what to do instead."""

from __future__ import annotations

import pytest

from agent_rsos import services
from agent_rsos.models import Escalation
from supportdesk import services as cases
from tests.agent_rsos.make import details, make_draft

pytestmark = pytest.mark.django_db


def test_back_twice_discards_the_draft_and_the_outcome_shows_only_the_current_path(specialist):
    escalation = make_draft(specialist)
    services.escalation_save_details(escalation_id=escalation.pk, user=specialist,
                                     details=details())
    case = escalation.case
    assert case.current_step == "mailbox_email" and "mailbox_email" in case.artifacts

    case = cases.case_back(case=case, user=specialist)
    assert case.current_step == "mailbox_line"
    escalation.refresh_from_db()
    assert (escalation.status, escalation.member_id, escalation.member_last_name,
            escalation.summary) == ("discarded", "", "", "")
    assert escalation.closed_at is not None
    assert f"Discarded the draft {escalation.label} (never sent)." in case.events.last().answer

    case = cases.case_back(case=case, user=specialist)
    case = cases.case_answer(case=case, user=specialist, step_key="escalation",
                             data={"choice": "exhausted"}).case
    assert (case.status, case.outcome_key, case.artifacts) == (
        "closed", "out_sales_escalation", {})
    assert set(case.answers) <= set(case.path)  # the mailbox line went with the path
    # Not under My escalations any more, and the SLA reminders never see it.
    assert not Escalation.objects.filter(owner=specialist).exclude(
        status__in=Escalation.CLOSED_STATES).exists()


def test_going_forward_again_drafts_a_new_escalation(specialist):
    escalation = make_draft(specialist)
    case = cases.case_back(case=escalation.case, user=specialist)
    case = cases.case_answer(case=case, user=specialist, step_key="mailbox_line",
                             data={"mailbox_line-medicare": "on"}).case
    assert case.current_step == "mailbox_email"
    fresh = Escalation.objects.get(case=case, status="draft")
    assert fresh.pk != escalation.pk


@pytest.mark.parametrize("undo", ["back", "restart"])
def test_it_refuses_to_go_back_past_a_sent_escalation(specialist, undo):
    escalation = make_draft(specialist)
    services.escalation_save_details(escalation_id=escalation.pk, user=specialist,
                                     details=details())
    services.escalation_mark_sent(escalation_id=escalation.pk, user=specialist)
    case = escalation.case
    events = case.events.count()
    with pytest.raises(cases.StepRefused, match=r"was sent to AgentRSOS@humana.com .* cannot be "
                                                r"unsent"):
        getattr(cases, f"case_{undo}")(case=case, user=specialist)
    escalation.refresh_from_db()
    case.refresh_from_db()
    assert (escalation.status, case.current_step, case.events.count()) == (
        "sent", "mailbox_email", events)
