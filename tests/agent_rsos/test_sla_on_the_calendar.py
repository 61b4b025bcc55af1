"""The SLA clock of a real escalation, sent and acknowledged at "now" with the clock on a Friday
before a US federal holiday (seed 002: "follow up within 5 business days after
acknowledgement"; respond "within 72 hours")."""

from __future__ import annotations

import datetime as dt

import pytest

from agent_rsos import services
from tests.agent_rsos.make import at, details, make_draft

pytestmark = pytest.mark.django_db


def test_it_skips_the_weekend_and_the_holiday_after_a_friday(specialist, clock_at):
    # Friday 15 January 2027, 16:30; Monday the 18th is Martin Luther King Jr. Day.
    friday = clock_at(at(2027, 1, 15, 16, 30))
    escalation = make_draft(specialist)
    services.escalation_save_details(escalation_id=escalation.pk, user=specialist, details=details())
    services.escalation_mark_sent(escalation_id=escalation.pk, user=specialist)  # at "now"
    services.escalation_acknowledge(escalation_id=escalation.pk, user=specialist)

    escalation.refresh_from_db()
    assert abs(escalation.sent_at - friday) < dt.timedelta(minutes=1)
    # 72 elapsed hours: Monday the 18th at 16:30, holiday or not.
    assert escalation.response_due_at.date() == dt.date(2027, 1, 18)
    # Five business days: Tue 19, Wed 20, Thu 21, Fri 22, Mon 25 (not Mon 18, the holiday).
    assert escalation.follow_up_due_at.date() == dt.date(2027, 1, 25)
    assert escalation.next_due_at == escalation.response_due_at


def test_it_reminds_of_nothing_before_the_due_point_and_once_after(specialist, clock_at):
    clock_at(at(2027, 1, 15, 16, 30))
    escalation = make_draft(specialist)
    services.escalation_save_details(escalation_id=escalation.pk, user=specialist, details=details())
    services.escalation_mark_sent(escalation_id=escalation.pk, user=specialist)

    clock_at(at(2027, 1, 18, 16, 0))  # the holiday, before the 72 hours are up
    assert services.sla_reminders_send() == 0
    clock_at(at(2027, 1, 18, 17, 0))
    assert services.sla_reminders_send() == 1
    assert services.sla_reminders_send() == 0
