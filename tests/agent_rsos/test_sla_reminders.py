"""The beat task: a due point that passed marks the escalation overdue and e-mails its owner,
once per due point however often the task runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from agent_rsos import services, tasks
from agent_rsos.models import SlaReminder
from supportdesk.celery import app
from tests.agent_rsos.make import MEMBER, make_escalation

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(specialist):
    specialist.email = "sam.rivera@example.com"
    specialist.save()
    return specialist


def ago(**kwargs: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


def test_it_sends_one_reminder_when_run_twice(owner, mailoutbox):
    escalation = make_escalation(owner, status="sent", sent_at=ago(hours=73))

    first = tasks.send_sla_reminders()
    second = tasks.send_sla_reminders()

    assert (first, second) == (1, 0)
    assert len(mailoutbox) == 1
    reminder = SlaReminder.objects.get()
    assert (reminder.escalation, reminder.due_point) == (escalation, "response")
    assert reminder.due_at == escalation.response_due_at
    assert escalation.events.filter(kind="overdue").count() == 1


def test_it_e_mails_the_owner_without_member_data(owner, mailoutbox):
    escalation = make_escalation(owner, status="sent", sent_at=ago(hours=80))

    tasks.send_sla_reminders()

    message = mailoutbox[0]
    assert message.to == ["sam.rivera@example.com"]
    assert message.subject == (f"Overdue: ARSOS escalation #{escalation.pk} (Medicare), "
                               "response within 72 hours")
    assert f"/arsos/escalations/{escalation.pk}/" in message.body
    assert escalation.case.reference in message.body
    for value in MEMBER.values():
        assert value not in message.subject and value not in message.body


def test_it_leaves_an_escalation_alone_before_its_due_point(owner, mailoutbox):
    make_escalation(owner, status="sent", sent_at=ago(hours=71))

    assert tasks.send_sla_reminders() == 0
    assert mailoutbox == [] and not SlaReminder.objects.exists()


def test_it_reminds_once_for_each_due_point_that_passed(owner, mailoutbox):
    # Sent and acknowledged three weeks ago, nothing since: both the response and the first
    # follow-up are overdue.
    escalation = make_escalation(owner, status="acknowledged", sent_at=ago(days=21),
                                 acknowledged_at=ago(days=20, hours=23))

    assert tasks.send_sla_reminders() == 2
    assert tasks.send_sla_reminders() == 0

    assert sorted(SlaReminder.objects.values_list("due_point", flat=True)) == ["follow_up",
                                                                              "response"]
    assert len(mailoutbox) == 2
    escalation.refresh_from_db()
    assert escalation.follow_ups_missed == 1


def test_it_reminds_again_for_the_next_due_point_after_an_update(owner, mailoutbox):
    escalation = make_escalation(owner, status="acknowledged", sent_at=ago(days=30),
                                 acknowledged_at=ago(days=29))
    assert tasks.send_sla_reminders() == 2
    # An update came 20 days ago: the next follow-up (5 business days later) has passed too.
    services.escalation_follow_up(escalation_id=escalation.pk, user=owner, occurred_at=ago(days=20))

    assert tasks.send_sla_reminders() == 1
    assert tasks.send_sla_reminders() == 0
    assert SlaReminder.objects.filter(escalation=escalation, due_point="follow_up").count() == 2
    escalation.refresh_from_db()
    assert escalation.follow_ups_missed == 2


def test_it_skips_drafts_and_closed_escalations(owner, mailoutbox):
    make_escalation(owner, status="draft")
    resolved = make_escalation(owner, status="resolved", sent_at=ago(days=10),
                               acknowledged_at=ago(days=9))

    assert tasks.send_sla_reminders() == 0
    assert not resolved.reminders.exists()


def test_it_records_the_reminder_when_the_owner_has_no_e_mail(specialist, mailoutbox):
    escalation = make_escalation(specialist, status="sent", sent_at=ago(hours=100))

    assert tasks.send_sla_reminders() == 1

    assert mailoutbox == []
    assert "no e-mail address" in escalation.events.get(kind="overdue").note


def test_it_tries_again_next_run_when_sending_fails(owner, mailoutbox, monkeypatch, caplog):
    escalation = make_escalation(owner, status="sent", sent_at=ago(hours=73))

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", refuse)
        assert tasks.send_sla_reminders() == 0
    assert not SlaReminder.objects.exists()
    assert not escalation.events.filter(kind="overdue").exists()
    assert f"escalation {escalation.pk} failed; retried next run" in caplog.text
    assert all(value not in caplog.text for value in MEMBER.values())

    assert tasks.send_sla_reminders() == 1
    assert len(mailoutbox) == 1


def test_it_guards_each_due_point_with_a_unique_constraint(owner):
    escalation = make_escalation(owner, status="sent", sent_at=ago(hours=73))
    SlaReminder.objects.create(escalation=escalation, due_point="response",
                               due_at=escalation.response_due_at)

    with pytest.raises(IntegrityError):
        SlaReminder.objects.create(escalation=escalation, due_point="response",
                                   due_at=escalation.response_due_at)


def test_it_registers_the_task_under_the_beat_schedule_name():
    entry = settings.CELERY_BEAT_SCHEDULE["arsos-sla-reminders"]

    assert entry["task"] == "agent_rsos.tasks.send_sla_reminders"
    assert tasks.send_sla_reminders.name == entry["task"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
