"""The three Celery tasks survive re-delivery: acks_late means a message can arrive twice (a
worker lost its connection before acking, a visibility timeout passed), and beat can overlap
itself. Each task run twice in a row leaves exactly what one run leaves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agent_rsos import tasks as arsos_tasks
from agent_rsos.models import Escalation, EscalationEvent, SlaReminder
from ec_access import tasks as ec_tasks
from ec_access.models import ECBatchLine, ECBatchRun, ECRequest, ECRequestEvent
from ec_access.services.batch import previous_week
from noyo_sync import tasks as noyo_tasks
from noyo_sync.models import GroupConnection, GroupConnectionEvent, PollRun
from tests.agent_rsos.make import make_escalation
from tests.ec_access.make import make_eligible_group, make_group, make_product
from tests.noyo_sync.make import request_connection

pytestmark = pytest.mark.django_db


def ec_rows() -> tuple:
    return (list(ECBatchRun.objects.values_list("pk", "week_start", "queued_count",
                                                "ineligible_count", "skipped_count")),
            list(ECRequest.objects.values_list("pk", "group_id", "state")),
            ECRequestEvent.objects.count(), ECBatchLine.objects.count())


def noyo_rows() -> tuple:
    return (list(GroupConnection.objects.values_list("pk", "status", "noyo_id")),
            list(GroupConnectionEvent.objects.values_list("connection_id", "kind", "status")))


def arsos_rows() -> tuple:
    return (list(SlaReminder.objects.values_list("escalation_id", "due_point", "due_at")),
            list(EscalationEvent.objects.values_list("escalation_id", "kind")),
            list(Escalation.objects.values_list("pk", "follow_ups_missed")))


@pytest.fixture
def last_weeks_groups():
    """Two eligible brand new groups and a dental-only one, registered last week."""
    wednesday = previous_week(timezone.localdate()) + dt.timedelta(days=2)
    make_eligible_group(group_number="100001", portal_registered_on=wednesday)
    make_eligible_group(group_number="100002", portal_registered_on=wednesday)
    make_product(make_group("100003", portal_registered_on=wednesday), "dental")


def test_it_runs_the_weekly_batch_once_however_often_it_is_delivered(last_weeks_groups, mailoutbox):
    first = ec_tasks.run_weekly_ec_batch.apply().get()
    after_one = ec_rows()
    second = ec_tasks.run_weekly_ec_batch.apply().get()

    assert (first["created"], second["created"]) == (True, False)
    assert first["queued"] == second["queued"] == 2
    assert ec_rows() == after_one
    assert len(after_one[1]) == 2 and after_one[2] == 2  # two requests, one event each


def test_it_polls_noyo_twice_and_records_each_change_once(fake_noyo, specialist):
    for carrier_group_id in ("989101", "767101", "545101"):
        request_connection(specialist, carrier_group_id, send=False)

    noyo_tasks.poll_group_connections.apply().get()  # sends the three waiting requests
    fake_noyo.set_status("noyo_review")
    first = noyo_tasks.poll_group_connections.apply().get()
    after_one = noyo_rows()
    second = noyo_tasks.poll_group_connections.apply().get()

    assert (first["changed"], second["changed"]) == (3, 0)
    assert noyo_rows() == after_one
    assert fake_noyo.creates == 3 and len(fake_noyo.connections) == 3
    assert GroupConnectionEvent.objects.filter(kind="sent").count() == 3
    assert GroupConnectionEvent.objects.filter(kind="status").count() == 3
    assert PollRun.objects.filter(outcome="ok").count() == 3


def test_it_sends_each_sla_reminder_once_however_often_it_is_delivered(specialist, mailoutbox):
    specialist.email = "sam.rivera@example.com"
    specialist.save()
    now = timezone.now()
    make_escalation(specialist, status="sent", sent_at=now - dt.timedelta(hours=73))
    make_escalation(specialist, status="acknowledged", sent_at=now - dt.timedelta(days=21),
                    acknowledged_at=now - dt.timedelta(days=20, hours=23))

    first = arsos_tasks.send_sla_reminders.apply().get()
    after_one = arsos_rows()
    second = arsos_tasks.send_sla_reminders.apply().get()

    assert (first, second) == (3, 0)  # the first's response; the second's response and follow-up
    assert arsos_rows() == after_one
    assert len(mailoutbox) == 3


# --- A Monday the broker was down ---------------------------------------------------------


def test_it_catches_up_a_week_that_beat_could_not_send(last_weeks_groups, on_day, mailoutbox):
    # Beat reserves an entry before sending it: with the broker down at 06:00 that Monday's
    # message is lost. The next run (here, the following Monday) runs the missed week as well.
    last_week = previous_week(timezone.localdate())
    ECBatchRun.objects.create(week_start=last_week - dt.timedelta(weeks=1), trigger="beat",
                              started_at=timezone.now(), finished_at=timezone.now(),
                              spreadsheet=b"")
    next_monday = timezone.localdate() + dt.timedelta(weeks=1)
    on_day(next_monday)
    wednesday = last_week + dt.timedelta(weeks=1, days=2)
    make_eligible_group(group_number="100004", portal_registered_on=wednesday)

    result = ec_tasks.run_weekly_ec_batch.apply().get()

    assert result["weeks"] == [last_week.isoformat(), (last_week + dt.timedelta(weeks=1)).isoformat()]
    runs = dict(ECBatchRun.objects.values_list("week_start", "queued_count"))
    assert runs[last_week] == 2 and runs[last_week + dt.timedelta(weeks=1)] == 1
    assert ECRequest.objects.count() == 3
    again = ec_rows()
    ec_tasks.run_weekly_ec_batch.apply().get()
    assert ec_rows() == again


@pytest.mark.parametrize("today,last_run,expected", [
    # Monday 2026-11-23: last week is the week of 2026-11-16.
    (dt.date(2026, 11, 23), None, ["2026-11-16"]),
    (dt.date(2026, 11, 23), dt.date(2026, 11, 9), ["2026-11-16"]),
    (dt.date(2026, 11, 23), dt.date(2026, 11, 16), ["2026-11-16"]),  # already ran: reported
    (dt.date(2026, 11, 23), dt.date(2026, 11, 2), ["2026-11-09", "2026-11-16"]),
    (dt.date(2026, 11, 24), dt.date(2026, 11, 9), ["2026-11-16"]),  # a Tuesday catch-up
    # A long outage: at most CATCH_UP_WEEKS weeks, the older ones by hand (run_ec_batch --week).
    (dt.date(2026, 11, 23), dt.date(2026, 9, 7),
     ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]),
])
def test_it_works_out_the_weeks_a_run_is_due(today, last_run, expected):
    assert [week.isoformat() for week in ec_tasks.weeks_due(today, last_run)] == expected
