"""Noyo's webhooks (reference/noyo/noyo-webhooks.yml): signed and fresh deliveries only, each
event stored once ("at-least-once"), processed in Celery, applied in Noyo's order whatever the
delivery order ("ordering: not-guaranteed")."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import pytest
from django.urls import reverse

from noyo_sync.models import GroupConnection, NoyoWebhookEvent
from noyo_sync.rules import webhooks as hooks
from noyo_sync.services.webhooks import webhook_process, webhook_process_pending
from supportdesk import clock
from tests.noyo_sync.make import request_connection

pytestmark = pytest.mark.django_db
URL = "/noyo/webhooks/"
NOYO_ID = "dd9a1813-34f7-4c7e-86bc-f041f2cbd9a1"


def envelope(status: str = "processing", *, modified: int = 1_795_000_100, created: int | None = None,
             event_type: str = hooks.STATUS_CHANGE, noyo_id: str = NOYO_ID) -> dict:
    return {"data": {"id": noyo_id, "status": status, "modified": modified,
                     "carrier_id": "8fac0992-933a-4743-8dab-0d606ef2569e"},
            "event": {"id": str(uuid.uuid4()), "created": created or modified, "type": event_type}}


def deliver(client, payload: dict | bytes, *, secret: str | None = None, at: float | None = None,
            signature: str | None = None):
    from django.conf import settings

    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    timestamp = str(int(at if at is not None else clock.now().timestamp()))
    signed = signature if signature is not None else hooks.signature(
        secret or settings.NOYO_WEBHOOK_SECRET, timestamp, body)
    return client.post(URL, body, content_type="application/json",
                       headers={"x-noyo-signature": signed, "x-noyo-timestamp": timestamp})


@pytest.fixture
def connection(specialist, settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"
    made = request_connection(specialist, "989101", send=False)
    GroupConnection.objects.filter(pk=made.pk).update(noyo_id=NOYO_ID, status="created")
    made.refresh_from_db()
    return made


def processed(response) -> str:
    """What the worker would do with the delivery just stored."""
    event = NoyoWebhookEvent.objects.latest("pk")
    return webhook_process(event.pk)


def test_the_urls_name_the_receiver():
    assert reverse("noyo_webhook") == URL


def test_a_good_event_is_stored_answered_fast_and_applied(client, connection):
    response = deliver(client, envelope("noyo_review"))
    assert response.status_code == 202
    assert processed(response) == "applied"
    connection.refresh_from_db()
    assert connection.status == "noyo_review"
    last = connection.events.latest("pk")
    assert last.webhook_event is not None and "its webhook" in last.note


@pytest.mark.parametrize("tamper", ["signature", "secret", "body"])
def test_a_badly_signed_delivery_is_refused_and_stores_nothing(client, connection, tamper):
    payload = envelope("completed")
    if tamper == "signature":
        response = deliver(client, payload, signature="0" * 64)
    elif tamper == "secret":
        response = deliver(client, payload, secret="not-our-secret")
    else:
        body = json.dumps(payload).encode()
        timestamp = str(int(clock.now().timestamp()))
        signed = hooks.signature("sandbox-webhook-secret", timestamp, body)
        response = client.post(URL, body.replace(b"completed", b"processing"),
                               content_type="application/json",
                               headers={"x-noyo-signature": signed, "x-noyo-timestamp": timestamp})
    assert response.status_code == 401
    assert not NoyoWebhookEvent.objects.exists()
    connection.refresh_from_db()
    assert connection.status == "created"


def test_a_delivery_replayed_later_is_refused_even_with_its_signature(client, connection):
    """A captured delivery sent again ten minutes later: its timestamp is signed, so stale."""
    stale = clock.now().timestamp() - 10 * 60
    response = deliver(client, envelope("completed"), at=stale)
    assert response.status_code == 401 and "stale or replayed" in response.json()["message"]
    assert deliver(client, envelope("completed"), at=clock.now().timestamp() + 10 * 60).status_code == 401
    assert not NoyoWebhookEvent.objects.exists()


def test_a_duplicate_delivery_is_counted_and_applied_once(client, connection):
    payload = envelope("noyo_review")
    assert deliver(client, payload).status_code == 202
    again = deliver(client, payload)
    assert again.status_code == 200 and again.json()["message"] == "Already received."
    event = NoyoWebhookEvent.objects.get()
    assert event.deliveries == 2
    assert webhook_process(event.pk) == "applied"
    assert webhook_process(event.pk) == "applied"  # a second task run changes nothing
    assert connection.events.filter(webhook_event=event).count() == 1


def test_events_out_of_order_end_at_noyos_latest_status(client, connection):
    newer = envelope("completed", modified=1_795_000_200)
    older = envelope("waiting_on_carrier", modified=1_795_000_100)
    deliver(client, newer)
    assert processed(None) == "applied"
    deliver(client, older)
    assert processed(None) == "superseded"
    connection.refresh_from_db()
    assert connection.status == "completed"
    applied = connection.events.exclude(webhook_event=None).values_list("status", flat=True)
    assert list(applied) == ["completed"]  # the older one left no history row


def test_the_same_second_is_ordered_by_the_event_time(client, connection):
    deliver(client, envelope("processing", modified=1_795_000_100, created=1_795_000_101))
    processed(None)
    deliver(client, envelope("created", modified=1_795_000_100, created=1_795_000_100))
    assert processed(None) == "superseded"
    connection.refresh_from_db()
    assert connection.status == "processing"


def test_a_test_event_and_unknown_things_are_received_and_change_nothing(client, connection):
    assert deliver(client, envelope(event_type=hooks.HELLO)).status_code == 202
    assert processed(None) == "hello"
    deliver(client, envelope(event_type="member_snapshot.status_change"))
    assert processed(None) == "ignored"
    deliver(client, envelope("completed", noyo_id=str(uuid.uuid4())))
    assert processed(None) == "unknown"
    deliver(client, envelope("move_to_nowhere"))
    assert processed(None) == "ignored"
    connection.refresh_from_db()
    assert connection.status == "created"


@pytest.mark.parametrize(("body", "status"), [
    (b"not json", 400), (b"[]", 400), (json.dumps({"data": {}, "event": {"id": "x"}}).encode(), 400),
    (b"{" + b" " * (hooks.MAX_BODY_BYTES + 1) + b"}", 413),
])
def test_bad_bodies_get_a_clear_4xx_never_a_500(client, body, status):
    response = deliver(client, body)
    assert response.status_code == status and response.json()["message"]
    assert not NoyoWebhookEvent.objects.exists()


def test_only_post_and_no_session_needed(client):
    assert client.get(URL).status_code == 405
    assert deliver(client, envelope(event_type=hooks.HELLO)).status_code == 202  # anonymous


def test_the_beat_backstop_processes_what_the_broker_lost(client, connection, clock_at):
    deliver(client, envelope("noyo_review"))
    assert webhook_process_pending() == 0  # within its first minute the task has it
    clock_at(clock.now() + dt.timedelta(minutes=2))
    assert webhook_process_pending() == 1
    connection.refresh_from_db()
    assert connection.status == "noyo_review"


def test_a_webhook_tells_the_case_waiting_on_the_connection(client, connection, specialist):
    from tests.factories import make_case

    case = make_case(specialist, "arsos-routing")
    GroupConnection.objects.filter(pk=connection.pk).update(case=case)
    deliver(client, envelope("action_required"))
    processed(None)
    note = case.events.latest("seq").answer
    assert note.startswith(f"Noyo group connection #{connection.pk} (carrier group ID 989101) is now "
                           "Action required")


@pytest.mark.django_db(transaction=True)
def test_the_worker_applies_it_after_the_receiver_answered(client, connection):
    """The whole path on a real worker and Redis: the receiver only stores and enqueues."""
    from celery.contrib.testing.worker import start_worker

    from supportdesk.celery import app as celery_app

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert deliver(client, envelope("completed")).status_code == 202
        deadline = time.monotonic() + 20
        while NoyoWebhookEvent.objects.get().outcome == "pending":
            assert time.monotonic() < deadline, "the worker did not process the event"
            time.sleep(0.1)
    connection.refresh_from_db()
    assert connection.status == "completed"
