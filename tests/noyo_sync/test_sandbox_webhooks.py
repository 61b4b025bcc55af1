"""The in-app sandbox sends Noyo's webhooks to our receiver, over real HTTP: one event per
status a connection reaches, signed; and it can be told to send duplicates, newest first, or
badly signed ones. With polling off, the statuses still arrive."""

from __future__ import annotations

import datetime as dt

import pytest

from noyo_sync.models import GroupConnection, NoyoWebhookEvent, SandboxWebhookDelivery
from noyo_sync.sandbox.webhooks import sandbox_send_webhooks, sandbox_webhook_fault
from noyo_sync.services.webhooks import webhook_process
from supportdesk import clock
from tests.noyo_sync.make import request_connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(noyo, specialist, settings, clock_at):
    """A connection sent to the sandbox (989… settles on noyo_review within its 8 s)."""
    settings.NOYO_SANDBOX_WEBHOOK_URL = noyo.base_url.replace("/noyo/sandbox", "/noyo/webhooks/")
    connection = request_connection(specialist, "989101")
    from noyo_sync.services import group_connection_send

    connection = group_connection_send(connection_id=connection.pk, transport=noyo.transport())
    assert connection.status == "created"
    return connection


def later(clock_at, seconds: float) -> None:
    clock_at(clock.now() + dt.timedelta(seconds=seconds))


def process_all() -> list[str]:
    return [webhook_process(pk) for pk in NoyoWebhookEvent.objects.order_by("pk").values_list("pk", flat=True)]


def test_each_status_reached_is_sent_once_and_applied(sent, clock_at):
    assert sandbox_send_webhooks() == 1  # "created"
    later(clock_at, 10)
    assert sandbox_send_webhooks() == 2  # processing, then noyo_review
    assert sandbox_send_webhooks() == 0  # nothing more owed
    types = list(NoyoWebhookEvent.objects.order_by("pk").values_list("event_type", flat=True))
    assert types == ["group_connection_request.created", *["group_connection_request.status_change"] * 2]
    assert process_all() == ["unchanged", "applied", "applied"]
    sent.refresh_from_db()
    assert sent.status == "noyo_review"
    assert sent.events.latest("pk").seen_by == "Noyo's webhook"


def test_duplicates_are_received_twice_and_stored_once(sent, clock_at):
    sandbox_webhook_fault("duplicate")
    later(clock_at, 10)
    assert sandbox_send_webhooks() == 3
    assert set(NoyoWebhookEvent.objects.values_list("deliveries", flat=True)) == {2}
    assert NoyoWebhookEvent.objects.count() == 3


def test_newest_first_still_ends_at_the_latest_status(sent, clock_at):
    sandbox_webhook_fault("out_of_order")
    later(clock_at, 10)
    sandbox_send_webhooks()
    assert process_all() == ["applied", "superseded", "superseded"]
    sent.refresh_from_db()
    assert sent.status == "noyo_review"


def test_a_badly_signed_round_is_refused_and_sent_again_next_round(sent, clock_at):
    sandbox_webhook_fault("bad_signature")
    assert sandbox_send_webhooks() == 0
    assert not NoyoWebhookEvent.objects.exists() and not SandboxWebhookDelivery.objects.exists()
    assert sandbox_send_webhooks() == 1
    assert NoyoWebhookEvent.objects.count() == 1


def test_a_retry_sends_the_new_statuses(sent, noyo, clock_at, specialist):
    """323… settles on unable_to_connect; retried, it processes and completes."""
    from noyo_sync.services import group_connection_retry, group_connection_send

    other = request_connection(specialist, "323101")
    other = group_connection_send(connection_id=other.pk, transport=noyo.transport())
    later(clock_at, 10)
    sandbox_send_webhooks()
    process_all()
    other.refresh_from_db()
    assert other.status == "unable_to_connect"
    group_connection_retry(connection_id=other.pk, user=specialist, transport=noyo.transport())
    later(clock_at, 10)
    sandbox_send_webhooks()
    process_all()
    other.refresh_from_db()
    assert other.status == "completed"
    assert GroupConnection.objects.get(pk=sent.pk).status == "noyo_review"


def test_a_connection_noyo_already_held_for_another_name_is_adopted_and_flagged(noyo, specialist, client):
    """Made elsewhere (another platform, another group name): adopted on the 409, never silent."""
    from django.urls import reverse

    from noyo_sync.services import group_connection_send

    elsewhere = noyo.transport().create_group_connection(
        carrier_id=noyo.carrier_id, federal_ein="111111111",
        group_data={"carrier_group_id": "767555", "group_name": "ANOTHER EMPLOYER LLC"})
    ours = request_connection(specialist, "767555", send=False, federal_ein="222222222")
    ours = group_connection_send(connection_id=ours.pk, transport=noyo.transport())
    assert ours.noyo_id == elsewhere.id
    assert "Noyo's group name is “ANOTHER EMPLOYER LLC”, ours “FUSION CONTROLS INC”." in ours.adopted_differences
    assert "Noyo's employer federal EIN is 111111111, ours 222222222." in ours.adopted_differences
    assert "It differs from our request" in ours.events.latest("pk").note
    client.force_login(specialist)
    page = client.get(reverse("noyo_connection", args=[ours.pk])).content.decode()
    assert "Check this connection:" in page
    assert "Differs from our request" in client.get(reverse("noyo_connections")).content.decode()
