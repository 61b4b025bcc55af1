"""The escalation services: the only write path, one event per step, case notes without member
data, and every refusal said plainly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agent_rsos import services
from agent_rsos.models import Escalation, EscalationEvent
from agent_rsos.rules import LineOfBusiness
from supportdesk.models import CaseEvent
from tests.agent_rsos.make import DETAILS, MEMBER, at, details, make_draft, make_escalation

pytestmark = pytest.mark.django_db


def case_texts(escalation: Escalation) -> str:
    """Everything the case holds: transcript and answers, as one string."""
    case = escalation.case
    case.refresh_from_db()
    events = CaseEvent.objects.filter(case=case)
    return " ".join(
        f"{e.shown} {e.answer} {e.value} {e.artifact}" for e in events
    ) + f" {case.answers} {case.artifacts}"


def test_it_drafts_one_escalation_per_case_and_line_without_member_data(specialist):
    escalation = make_draft(specialist)

    assert escalation.status == "draft"
    assert escalation.owner == specialist
    assert escalation.line_of_business == "Medicare"
    assert escalation.topic == "billing"
    assert escalation.member_id == ""
    assert [e.kind for e in escalation.events.all()] == ["drafted"]
    again = services.escalation_draft(case=escalation.case, user=specialist,
                                      line=LineOfBusiness.MEDICARE)
    assert again == escalation


def test_it_walks_the_lifecycle_and_notes_each_step_on_the_case(specialist):
    escalation = make_draft(specialist)
    services.escalation_save_details(escalation_id=escalation.pk, user=specialist,
                                     details=details())
    sent = timezone.now() - dt.timedelta(days=2)
    services.escalation_mark_sent(escalation_id=escalation.pk, user=specialist, occurred_at=sent)
    services.escalation_acknowledge(escalation_id=escalation.pk, user=specialist,
                                    occurred_at=sent + dt.timedelta(hours=1))
    services.escalation_follow_up(escalation_id=escalation.pk, user=specialist,
                                  occurred_at=sent + dt.timedelta(hours=30), note="Credit issued")
    services.escalation_follow_up(escalation_id=escalation.pk, user=specialist)
    services.escalation_escalate(escalation_id=escalation.pk, user=specialist, escalated_to="brm")

    escalation.refresh_from_db()
    assert escalation.status == "escalated"
    assert escalation.escalated_to == "brm"
    assert escalation.responded_at == sent + dt.timedelta(hours=30)  # the first update
    assert escalation.next_due_at is None and escalation.follow_up_due_at is None
    assert [e.kind for e in escalation.events.all()] == [
        "drafted", "details", "sent", "acknowledged", "follow_up", "follow_up", "escalated",
    ]
    notes = list(CaseEvent.objects.filter(case=escalation.case, kind="note").values_list("answer",
                                                                                          flat=True))
    assert len(notes) == 5
    assert all(note.startswith(f"ARSOS escalation #{escalation.pk} (Medicare): ") for note in notes)
    assert "escalated to the Broker Relationship Manager (BRM)" in notes[-1]
    texts = case_texts(escalation)
    for value in (*MEMBER.values(), DETAILS["summary"], "Credit issued"):
        assert value not in texts


def test_it_starts_the_clock_when_sent_and_moves_it_on_acknowledgement(specialist):
    # Sent Monday 2025-11-24 10:00 New York: response due Thursday 10:00 (72 hours, holiday or not).
    escalation = make_escalation(specialist, status="sent", sent_at=at(2025, 11, 24, 10, 0))
    assert escalation.response_due_at == at(2025, 11, 27, 10, 0)
    assert (escalation.next_due_kind, escalation.next_due_at) == ("response", at(2025, 11, 27, 10))

    # Acknowledged Tuesday: follow-up in 5 business days, Thanksgiving (Thu 27) skipped.
    services.escalation_acknowledge(escalation_id=escalation.pk, user=specialist,
                                    occurred_at=at(2025, 11, 25, 9, 0))
    escalation.refresh_from_db()
    assert escalation.follow_up_due_at == at(2025, 12, 3, 9, 0)
    assert (escalation.next_due_kind, escalation.next_due_at) == ("response", at(2025, 11, 27, 10))

    # An update on Wednesday answers the response and sets the next follow-up from itself.
    services.escalation_follow_up(escalation_id=escalation.pk, user=specialist,
                                  occurred_at=at(2025, 11, 26, 15, 30))
    escalation.refresh_from_db()
    assert escalation.responded_at == at(2025, 11, 26, 15, 30)
    assert escalation.follow_up_due_at == at(2025, 12, 4, 15, 30)
    assert (escalation.next_due_kind, escalation.next_due_at) == ("follow_up", at(2025, 12, 4, 15, 30))


def test_it_refuses_to_send_an_incomplete_draft(specialist):
    escalation = make_draft(specialist)

    with pytest.raises(services.EscalationRefused, match="every required field"):
        services.escalation_mark_sent(escalation_id=escalation.pk, user=specialist)

    escalation.refresh_from_db()
    assert escalation.status == "draft" and escalation.events.count() == 1


def test_it_lets_only_the_owner_work_an_escalation(specialist, other_specialist):
    escalation = make_draft(specialist)

    with pytest.raises(services.EscalationRefused, match="only they can work it"):
        services.escalation_save_details(escalation_id=escalation.pk, user=other_specialist,
                                         details=details())

    escalation.refresh_from_db()
    assert escalation.agent_name == ""


@pytest.mark.parametrize(("status", "action", "message"), [
    ("sent", "escalation_follow_up", "acknowledgement first"),
    ("draft", "escalation_acknowledge", "is draft"),
    ("resolved", "escalation_follow_up", "is resolved"),
    ("resolved", "escalation_resolve", "is resolved"),
])
def test_it_refuses_steps_out_of_order(specialist, status, action, message):
    escalation = make_escalation(specialist, status=status)
    before = escalation.events.count()

    with pytest.raises(services.EscalationRefused, match=message):
        getattr(services, action)(escalation_id=escalation.pk, user=specialist)

    assert escalation.events.count() == before


def test_it_refuses_editing_the_details_once_sent(specialist):
    escalation = make_escalation(specialist, status="sent")

    with pytest.raises(services.EscalationRefused,
                       match="was sent: its details can no longer be changed"):
        services.escalation_save_details(escalation_id=escalation.pk, user=specialist,
                                         details=details(agent_name="Someone Else"))


def test_it_refuses_a_time_before_the_previous_step_or_in_the_future(specialist):
    escalation = make_escalation(specialist, status="sent", sent_at=at(2026, 11, 16, 10, 0))

    with pytest.raises(services.EscalationRefused, match="before the e-mail was sent"):
        services.escalation_acknowledge(escalation_id=escalation.pk, user=specialist,
                                        occurred_at=at(2026, 11, 16, 9, 0))
    with pytest.raises(services.EscalationRefused, match="future"):
        services.escalation_acknowledge(escalation_id=escalation.pk, user=specialist,
                                        occurred_at=timezone.now() + dt.timedelta(hours=1))
    escalation.refresh_from_db()
    assert escalation.status == "sent"


def test_it_splits_off_a_draft_for_the_other_line_once(specialist):
    escalation = make_draft(specialist)

    second = services.escalation_split(escalation_id=escalation.pk, user=specialist)
    again = services.escalation_split(escalation_id=escalation.pk, user=specialist)

    assert second == again
    assert (second.case, second.line_of_business, second.status) == (escalation.case, "HumanaOne",
                                                                     "draft")
    assert Escalation.objects.filter(case=escalation.case).count() == 2
    escalation.refresh_from_db()
    assert escalation.line_of_business == "Medicare"


def test_it_refuses_the_escalate_step_without_a_named_person(specialist):
    escalation = make_escalation(specialist, status="acknowledged")

    with pytest.raises(services.EscalationRefused, match="Sales Manager"):
        services.escalation_escalate(escalation_id=escalation.pk, user=specialist,
                                     escalated_to="ceo")


def test_it_keeps_escalation_events_append_only(specialist):
    event = make_draft(specialist).events.get()

    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        EscalationEvent.objects.filter(pk=event.pk).update(note="x")
