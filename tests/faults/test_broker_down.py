"""Redis down, as the Celery broker and as the cache: the web app still serves whole flows.

No view enqueues a Celery task (work that follows a case is written in the case's transaction and
picked up by beat's next run), so a dead broker cannot fail a page; these tests walk the flows
through the sign-in page and the step view with both pointed at a closed port, and fail on any
attempt to publish. What beat sends while the broker is down is reported ("Message Error" in
beat's log) and caught up by the next run: the Noyo poll and the SLA reminders read the state
each run, and the weekly batch runs any week it missed (ec_access.tasks.weeks_due).
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import time

import pytest
import redis
from celery.app.task import Task
from celery.beat import ScheduleEntry, Scheduler
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from agent_rsos.models import Escalation
from ec_access.models import ECBatchRun, ECRequest
from ec_access.tasks import run_weekly_ec_batch
from noyo_sync.models import GroupConnection
from supportdesk.celery import app as celery_app
from supportdesk.models import Case
from tests.agent_rsos.make import DETAILS, TO_MAILBOX_LINE
from tests.ec_access.make import make_eligible_group
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit hooks run, as in production

MID_MONTH = dt.date(2026, 11, 18)  # outside the EC reporting blackout (1st-5th)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


@pytest.fixture
def dead_redis(settings, monkeypatch):
    """The broker and the cache both on a port nothing listens on."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_URL = url
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery reads the environment first
    monkeypatch.setattr(celery_app.conf, "broker_url", url)
    # The producer pools are built from broker_url once: build them again for the dead one.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield url
    celery_app.amqp._producer_pool = celery_app._pool = None


@pytest.fixture
def publishes(monkeypatch):
    """Every attempt to publish a task, which fails the request that makes it."""
    published = []

    def refuse(name):
        published.append(name)
        raise AssertionError(f"a web request published {name}")

    monkeypatch.setattr(celery_app, "send_task", lambda name, *args, **kwargs: refuse(name))
    monkeypatch.setattr(Task, "apply_async", lambda task, *args, **kwargs: refuse(task.name))
    return published


def sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "signing in needs neither the cache nor the broker"
    return client


def walk(client: Client, case_url: str, steps: list[tuple[str, dict]]) -> Case:
    reference = case_url.split("/")[2]
    for step_key, data in steps:
        response = client.post(reverse("case_step", args=[reference, step_key]), data,
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200, (step_key, response.status_code)
        page = response.content.decode()
        assert "message-error" not in page, page[page.find('class="messages"'):][:600]
    return Case.objects.get(pk=int(reference.removeprefix("SD-")))


def open_case(client: Client, flow_key: str, **subject: str) -> str:
    response = client.post(reverse("case_open", args=[flow_key]),
                           {"caller_type": "employer", **subject})
    assert response.status_code == 303
    return response["Location"]


def test_it_serves_whole_flows_while_redis_is_down(dead_redis, publishes, specialist, on_day,
                                                    mailoutbox, settings):
    on_day(MID_MONTH)
    settings.NOYO_BASE_URL = f"http://127.0.0.1:{closed_port()}/noyo/sandbox"  # Noyo down too
    settings.NOYO_TIMEOUT_SECONDS = 1.0
    make_eligible_group(group_number="824751", portal_registered_on=dt.date(2024, 3, 4))
    client = sign_in(specialist)
    assert client.get(reverse("home")).status_code == 200

    # ARSOS: to the mailbox; the escalation is filled in and sent (its SLA clock starts).
    arsos = walk(client, open_case(client, "arsos-routing"), [
        *TO_MAILBOX_LINE, ("mailbox_line", {"mailbox_line-medicare": "on"}), ("mailbox_email", {}),
    ])
    assert (arsos.status, arsos.current_step) == ("waiting", "mailbox_wait")
    escalation = Escalation.objects.get(case=arsos)
    client.post(reverse("arsos_escalation_save", args=[escalation.pk]),
                {**DETAILS, "topic": "billing", "medicare": "on"})
    client.post(reverse("arsos_escalation_sent", args=[escalation.pk]),
                {"sent-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    escalation.refresh_from_db()
    assert escalation.status == "sent"

    # EC: a standard request for Access Management (its e-mail goes after the commit).
    # The group is asked once, on the start form.
    ec = walk(client, open_case(client, "ec-employer-access", **{"group-group_number": "824751"}), [
        ("run_report", {}),
        ("expedite", {"choice": "standard"}), ("request_email", {}),
    ])
    # A queued request leaves the case waiting on Access Management.
    assert (ec.status, ec.current_step) == ("waiting", "request_wait")
    assert ECRequest.objects.filter(case=ec, state="queued").exists()
    assert [message.to for message in mailoutbox] == [["EmployerGroup@humana.com"]]

    # Noyo: the request is saved; sending it after the commit finds no Noyo either (the sandbox
    # is not served here) and leaves it waiting for the poller, as during a Noyo outage.
    noyo = walk(client, open_case(client, "noyo-connect-group"), [
        ("prerequisites", {"prerequisites-census_file_sent": "on",
                           "prerequisites-group_number_issued": "on"}),
        ("plans", {}),
        ("connection", {"connection-group_number": "824751",
                        "connection-carrier_group_id": "989101", "connection-people": "40"}),
        ("create", {}),
    ])
    assert (noyo.status, noyo.current_step) == ("waiting", "connection_wait")
    waiting = GroupConnection.objects.get()
    assert waiting.status == "not_sent" and "could not be reached" in waiting.last_error

    assert publishes == []  # nothing tried to publish a task


def test_it_reports_a_task_sent_to_a_dead_broker_clearly(dead_redis):
    # Beat is the only sender. Celery's own retry gives up after a bounded time and says why.
    started = time.monotonic()
    with pytest.raises(OperationalError):
        celery_app.send_task("ec_access.tasks.run_weekly_ec_batch",
                             retry_policy={"max_retries": 1, "interval_start": 0,
                                           "interval_step": 0.1})
    assert time.monotonic() - started < 10


def test_it_loses_no_week_when_beat_could_not_send_the_batch(dead_redis, caplog, on_day,
                                                            mailoutbox):
    on_day(dt.date(2026, 11, 16))
    make_eligible_group(group_number="100001", portal_registered_on=dt.date(2026, 11, 4))
    ECBatchRun.objects.create(week_start=dt.date(2026, 10, 26), trigger="beat",
                              started_at=timezone.now(), finished_at=timezone.now(),
                              spreadsheet=b"")
    # Monday 2026-11-09, 06:00: beat sends last week's batch and the broker is down.
    entry = django_settings.CELERY_BEAT_SCHEDULE["ec-weekly-batch"]
    scheduler = Scheduler(app=celery_app, lazy=True)
    beat_entry = ScheduleEntry(name="ec-weekly-batch", task=entry["task"],
                               schedule=entry["schedule"], app=celery_app,
                               options={"retry_policy": {"max_retries": 1, "interval_start": 0}})

    with caplog.at_level(logging.ERROR, logger="celery.beat"):
        scheduler.apply_entry(beat_entry)

    assert "Message Error" in caplog.text  # reported, and the message is gone
    assert not ECBatchRun.objects.filter(week_start=dt.date(2026, 11, 2)).exists()

    result = run_weekly_ec_batch.run()  # Monday 2026-11-16: the next run, the broker back
    assert result["weeks"] == ["2026-11-02", "2026-11-09"]
    assert ECRequest.objects.filter(batch__week_start=dt.date(2026, 11, 2)).count() == 1


def test_it_queues_a_task_once_the_broker_is_back():
    # The real Redis of the test run: a message published now waits in the queue for a worker.
    queue = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    queue.delete("celery")
    try:
        celery_app.send_task("agent_rsos.tasks.send_sla_reminders")
        assert queue.llen("celery") == 1
    finally:
        queue.delete("celery")  # no worker of a later test should run it
