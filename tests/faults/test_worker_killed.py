"""A worker killed in the middle of a task: the next run finishes the work and nothing is doubled.

The weekly batch is killed for real (SIGKILL of a process holding the batch's open transaction,
after it wrote every row and before it committed). The Noyo poll and the SLA reminders are
interrupted in-process (SystemExit / KeyboardInterrupt, what a worker's warm shutdown raises) at
their most awkward point: after Noyo accepted a request but before we recorded it; between two
pages; between two reminders.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone

from agent_rsos import tasks as arsos_tasks
from agent_rsos.models import EscalationEvent, SlaReminder
from ec_access import tasks as ec_tasks
from ec_access.models import ECBatchLine, ECBatchRun, ECRequest, ECRequestEvent
from ec_access.services import batch as batch_service
from ec_access.services.batch import previous_week
from noyo_sync import tasks as noyo_tasks
from noyo_sync.models import GroupConnection, GroupConnectionEvent
from noyo_sync.services import connections as connection_service
from noyo_sync.services import polling
from tests.agent_rsos.make import make_escalation
from tests.clock import subprocess_env
from tests.ec_access.make import make_eligible_group, make_group, make_product
from tests.noyo_sync.make import request_connection

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 30


def ec_rows() -> tuple:
    return (ECBatchRun.objects.count(), ECRequest.objects.count(), ECRequestEvent.objects.count(),
            ECBatchLine.objects.count())


def make_last_weeks_groups() -> None:
    wednesday = previous_week(timezone.localdate()) + dt.timedelta(days=2)
    make_eligible_group(group_number="100001", portal_registered_on=wednesday)
    make_eligible_group(group_number="100002", portal_registered_on=wednesday)
    make_product(make_group("100003", portal_registered_on=wednesday), "dental")


# --- The weekly batch, SIGKILLed -----------------------------------------------------------

WORKER = textwrap.dedent("""
    import sys, time
    import django
    django.setup()
    from ec_access.services import batch
    from ec_access.tasks import run_weekly_ec_batch

    written = batch._write

    def write_then_hang(run, plan):  # every row written, the transaction still open
        written(run, plan)
        open(sys.argv[1], "w").write("written")
        time.sleep(600)

    batch._write = write_then_hang
    run_weekly_ec_batch()  # the task's body, as a worker runs it
""")


def database_url_of_this_test() -> str:
    """DATABASE_URL for the test database this test sees (pytest-django's test_ copy)."""
    db = connection.settings_dict
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_it_finishes_the_weekly_batch_after_the_worker_is_killed_before_commit(tmp_path, mailoutbox):
    make_last_weeks_groups()
    marker = tmp_path / "written"
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(marker)], cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url_of_this_test(),
             "DJANGO_SETTINGS_MODULE": "supportdesk.settings", **subprocess_env()},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not marker.exists():
            assert worker.poll() is None, worker.stdout.read().decode()
            assert time.monotonic() < deadline, "the worker never reached the commit"
            time.sleep(0.05)
        assert ec_rows() == (0, 0, 0, 0)  # written, not committed: nobody sees it
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(TIMEOUT_S)
    assert worker.returncode == -signal.SIGKILL
    assert ec_rows() == (0, 0, 0, 0)  # PostgreSQL rolled the dead worker's transaction back

    ec_tasks.run_weekly_ec_batch()  # the message delivered again (acks_late)
    finished = ec_rows()
    ec_tasks.run_weekly_ec_batch()

    assert finished == (1, 2, 2, 1) and ec_rows() == finished
    assert ECBatchRun.objects.get().week_start == previous_week(timezone.localdate())
    assert len(mailoutbox) == 1  # the spreadsheet, once


@pytest.mark.django_db
@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit])
def test_it_finishes_the_weekly_batch_after_an_interruption_before_commit(monkeypatch, interruption):
    make_last_weeks_groups()

    def interrupted(**kwargs):  # every row written; building the spreadsheet, then the commit
        raise interruption()

    with monkeypatch.context() as patch:
        patch.setattr(batch_service.spreadsheet, "batch_workbook", interrupted)
        with pytest.raises(interruption):
            ec_tasks.run_weekly_ec_batch()
    assert ec_rows() == (0, 0, 0, 0)

    ec_tasks.run_weekly_ec_batch()
    ec_tasks.run_weekly_ec_batch()
    assert ec_rows() == (1, 2, 2, 1)


# --- The Noyo poll -------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_adopts_a_request_noyo_accepted_just_before_the_worker_died(fake_noyo, specialist,
                                                                      monkeypatch):
    waiting = request_connection(specialist, "989101", send=False)

    def killed(*args, **kwargs):  # Noyo said yes; we die before writing it down
        raise SystemExit(1)

    with monkeypatch.context() as patch:
        patch.setattr(connection_service, "record_accepted", killed)
        with pytest.raises(SystemExit):
            noyo_tasks.poll_group_connections()
    waiting.refresh_from_db()
    assert waiting.status == "not_sent" and len(fake_noyo.connections) == 1

    noyo_tasks.poll_group_connections()  # within two minutes: the dead sender's claim still holds
    waiting.refresh_from_db()
    assert waiting.status == "not_sent" and fake_noyo.creates == 1

    GroupConnection.objects.filter(pk=waiting.pk).update(
        send_claimed_at=timezone.now() - connection_service.SEND_CLAIM - dt.timedelta(seconds=1))
    noyo_tasks.poll_group_connections()
    noyo_tasks.poll_group_connections()

    waiting.refresh_from_db()
    assert waiting.status == "created" and waiting.noyo_id == "gc-0001"
    assert fake_noyo.creates == 2 and len(fake_noyo.connections) == 1  # a 409, then adopted
    sent = GroupConnectionEvent.objects.get(connection=waiting, kind="sent")
    assert "adopted" in sent.note


@pytest.mark.django_db
def test_it_records_the_remaining_pages_after_a_poll_died_between_pages(fake_noyo, specialist,
                                                                        monkeypatch, settings):
    settings.NOYO_PAGE_SIZE = 1
    for carrier_group_id in ("989101", "767101", "545101"):
        request_connection(specialist, carrier_group_id, send=False)
    noyo_tasks.poll_group_connections()
    fake_noyo.set_status("noyo_review")
    applied = polling._apply_page
    pages = []

    def dies_on_the_second_page(page, run):
        pages.append(page)
        if len(pages) == 2:
            raise KeyboardInterrupt
        return applied(page, run)

    with monkeypatch.context() as patch:
        patch.setattr(polling, "_apply_page", dies_on_the_second_page)
        with pytest.raises(KeyboardInterrupt):
            noyo_tasks.poll_group_connections()
    assert GroupConnection.objects.filter(status="noyo_review").count() == 1  # page one kept

    noyo_tasks.poll_group_connections()
    noyo_tasks.poll_group_connections()

    assert set(GroupConnection.objects.values_list("status", flat=True)) == {"noyo_review"}
    changes = GroupConnectionEvent.objects.filter(kind="status")
    assert changes.count() == 3
    assert sorted(changes.values_list("connection_id", flat=True)) == sorted(
        GroupConnection.objects.values_list("pk", flat=True))


# --- The SLA reminders ----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_sends_the_remaining_reminders_after_a_run_died_between_two(specialist, monkeypatch,
                                                                       mailoutbox):
    specialist.email = "sam.rivera@example.com"
    specialist.save()
    now = timezone.now()
    make_escalation(specialist, status="sent", sent_at=now - dt.timedelta(hours=80))
    make_escalation(specialist, status="sent", sent_at=now - dt.timedelta(hours=75))
    send = EmailMessage.send
    sends = []

    def dies_on_the_second(message, fail_silently=False):
        sends.append(message)
        if len(sends) == 2:
            raise KeyboardInterrupt
        return send(message, fail_silently)

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", dies_on_the_second)
        with pytest.raises(KeyboardInterrupt):
            arsos_tasks.send_sla_reminders()
    assert SlaReminder.objects.count() == 1 and len(mailoutbox) == 1  # the first one committed

    assert arsos_tasks.send_sla_reminders() == 1
    assert arsos_tasks.send_sla_reminders() == 0
    assert SlaReminder.objects.count() == 2 and len(mailoutbox) == 2
    assert EscalationEvent.objects.filter(kind="overdue").count() == 2
    assert {message.subject for message in mailoutbox} == {
        f"Overdue: ARSOS escalation #{pk} (Medicare), response within 72 hours"
        for pk in SlaReminder.objects.values_list("escalation_id", flat=True)}
