"""A routing case sent to the ARSOS mailbox waits on its escalations, followed up on their SLA
dates (seed 002: a response within 72 hours, a follow-up within 5 business days after the
acknowledgement), and ends when the mailbox resolves them or escalates them further."""

from __future__ import annotations

import datetime as dt

import pytest

from agent_rsos import services
from agent_rsos.models import Escalation
from agent_rsos.rules import LineOfBusiness
from supportdesk import services as cases
from supportdesk.models import Case
from tests.agent_rsos.make import at, details, mailbox_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(specialist, clock_at):
    """The case reaches the mailbox step at 16:00 on Monday 30 November 2026."""
    clock_at(at(2026, 11, 30, 16, 0))
    case = mailbox_case(specialist)
    case = cases.case_answer(case=case, user=specialist, step_key="mailbox_email", data={}).case
    return case, Escalation.objects.get(case=case)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def resume(case: Case, user) -> Case:
    return cases.case_answer(case=fresh(case), user=user, step_key="mailbox_wait", data={}).case


def send(escalation: Escalation, user, when: dt.datetime) -> None:
    services.escalation_save_details(escalation_id=escalation.pk, user=user,
                                     details=details(LineOfBusiness(escalation.line_of_business)))
    services.escalation_mark_sent(escalation_id=escalation.pk, user=user, occurred_at=when)


def test_a_draft_is_due_today_and_a_sent_one_on_its_response_date(waiting, specialist):
    case, escalation = waiting
    assert (case.status, case.current_step) == ("waiting", "mailbox_wait")
    assert case.follow_up_on == dt.date(2026, 11, 30)
    assert f"{escalation.label} is a draft: fill in the template and send it" in case.waiting_reason
    assert case.waiting_on == escalation.label

    send(escalation, specialist, at(2026, 11, 30, 10, 0))
    case = fresh(case)
    # "respond to the requests within 72 hours": Thursday 3 December, 10:00.
    assert case.follow_up_on == dt.date(2026, 12, 3)
    assert "is sent; response due Thu Dec 3, 2026, 10:00" in case.waiting_reason

    services.escalation_acknowledge(escalation_id=escalation.pk, user=specialist,
                                    occurred_at=at(2026, 11, 30, 15, 0))
    case = fresh(case)
    # Acknowledged is not answered: the 72-hour response is still the next date owed.
    assert "is acknowledged; response due Thu Dec 3, 2026, 10:00" in case.waiting_reason
    services.escalation_follow_up(escalation_id=escalation.pk, user=specialist,
                                  occurred_at=at(2026, 11, 30, 15, 30))
    case = fresh(case)
    # "there will be an update sent every five business days": Monday 7 December.
    assert case.follow_up_on == dt.date(2026, 12, 7)
    assert "is acknowledged; follow-up due Mon Dec 7, 2026, 15:30" in case.waiting_reason

    case = resume(case, specialist)  # still with the mailbox: it waits again
    assert (case.status, case.current_step) == ("waiting", "mailbox_wait")


def test_it_ends_when_the_mailbox_resolves_the_request(waiting, specialist):
    case, escalation = waiting
    send(escalation, specialist, at(2026, 11, 30, 10, 0))
    services.escalation_resolve(escalation_id=escalation.pk, user=specialist)
    case = fresh(case)
    assert "resume the case to finish it" in case.waiting_reason
    case = resume(case, specialist)
    assert (case.status, case.outcome_key, case.disposition) == ("closed", "out_mailbox", "escalated")
    assert f"{escalation.label}: resolved on Mon Nov 30, 2026." in case.events.last().shown


def test_it_ends_escalated_further_to_the_one_the_mailbox_named(waiting, specialist):
    case, escalation = waiting
    send(escalation, specialist, at(2026, 11, 30, 10, 0))
    services.escalation_escalate(escalation_id=escalation.pk, user=specialist, escalated_to="brm")
    case = resume(case, specialist)
    assert case.outcome_key == "out_mailbox_escalated"
    shown = case.events.last().shown
    assert "escalated further to the Broker Relationship Manager (BRM)" in shown


def test_a_split_case_waits_until_both_lines_are_closed(waiting, specialist):
    case, medicare = waiting
    individual = services.escalation_split(escalation_id=medicare.pk, user=specialist)
    send(medicare, specialist, at(2026, 11, 30, 10, 0))
    case = fresh(case)
    assert case.follow_up_on == dt.date(2026, 11, 30)  # the Individual draft is still to send
    assert medicare.label in case.waiting_on and individual.label in case.waiting_on

    services.escalation_resolve(escalation_id=medicare.pk, user=specialist)
    case = resume(case, specialist)
    assert (case.status, case.current_step) == ("waiting", "mailbox_wait")
    send(individual, specialist, at(2026, 11, 30, 11, 0))
    services.escalation_resolve(escalation_id=individual.pk, user=specialist)
    assert resume(case, specialist).outcome_key == "out_mailbox"
