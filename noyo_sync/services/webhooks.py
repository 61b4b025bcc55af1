"""Noyo's webhooks: receive (verify, store once, answer fast), then process in Celery.

The receiver does nothing slow: it checks the signature and the timestamp, stores the event
under its unique ID (a second delivery of the same event only counts), and hands the row to a
Celery task after the commit. If the broker is down the row waits; the beat backstop
(``webhook_process_pending``) processes what is still pending, and the poller stays the
backstop of the webhook itself.

Status changes are applied in Noyo's order, whatever the delivery order: an event older than
the status we hold (``rules.webhooks.order_key``) is kept as "superseded" and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import F

from supportdesk import clock

from .. import rules
from ..models import GroupConnection, NoyoWebhookEvent
from ..rules import webhooks as hooks
from .connections import record_status

logger = logging.getLogger(__name__)
Outcome = NoyoWebhookEvent.Outcome
PENDING_GRACE = dt.timedelta(minutes=1)  # the task normally takes it well before this


def webhook_receive(*, headers: Mapping[str, str], body: bytes) -> tuple[int, str]:
    """One delivery: (HTTP status, a short reason). Never raises on what Noyo (or anyone)
    sends; nothing is stored unless the delivery is signed and fresh."""
    if len(body) > hooks.MAX_BODY_BYTES:
        return 413, "The body is larger than any Noyo event."
    problem = hooks.signature_problem(
        settings.NOYO_WEBHOOK_SECRET, headers.get(hooks.TIMESTAMP_HEADER, ""), body,
        headers.get(hooks.SIGNATURE_HEADER, ""), clock.now().timestamp())
    if problem:
        logger.warning("Noyo webhook refused: %s", problem)
        return 401, problem
    try:
        envelope = hooks.parse_envelope(json.loads(body))
    except (ValueError, UnicodeDecodeError):
        envelope = "The body is not JSON."
    if isinstance(envelope, str):
        logger.warning("Noyo webhook refused: %s", envelope)
        return 400, envelope
    with transaction.atomic():
        event, created = NoyoWebhookEvent.objects.get_or_create(
            event_id=envelope.event_id,
            defaults={"event_type": envelope.type[:80], "event_created": envelope.created,
                      "data": envelope.data},
        )
        if not created:  # at-least-once: the same event again changes nothing
            NoyoWebhookEvent.objects.filter(pk=event.pk).update(deliveries=F("deliveries") + 1)
            return 200, "Already received."
        transaction.on_commit(lambda: _enqueue(event.pk))
    return 202, "Accepted."


def _enqueue(event_pk: int) -> None:
    from ..tasks import process_noyo_webhook  # the task module imports the services

    try:
        process_noyo_webhook.delay(event_pk)
    except Exception:  # the broker is down: the row waits for the beat backstop
        logger.warning("Noyo webhook event %s stored; the broker did not take its task", event_pk)


def webhook_process(event_pk: int) -> str:
    """Apply one stored event (once: a second run finds it processed). Its outcome."""
    with transaction.atomic():
        event = NoyoWebhookEvent.objects.select_for_update().get(pk=event_pk)
        if event.outcome != Outcome.PENDING:
            return event.outcome
        event.outcome = _apply(event)
        event.processed_at = clock.now()
        event.save(update_fields=["outcome", "processed_at", "connection"])
        return event.outcome


def _apply(event: NoyoWebhookEvent) -> str:
    if event.event_type == hooks.HELLO:
        return Outcome.HELLO
    if event.event_type not in (hooks.CREATED, hooks.STATUS_CHANGE):
        return Outcome.IGNORED
    connection = (GroupConnection.objects.select_for_update()
                  .filter(noyo_id=str(event.data.get("id") or "")).exclude(noyo_id="").first())
    if connection is None:
        return Outcome.UNKNOWN
    event.connection = connection
    status = rules.noyo_status(str(event.data.get("status") or ""))
    if status is None:
        logger.warning("Noyo webhook %s: unknown status for connection %s; kept %s",
                       event.pk, connection.pk, connection.status)
        return Outcome.IGNORED
    key = hooks.order_key(event.data, event.event_created)
    if key < (connection.noyo_modified, connection.noyo_event_created):
        return Outcome.SUPERSEDED
    connection.noyo_modified, connection.noyo_event_created = key
    connection.save(update_fields=["noyo_modified", "noyo_event_created"])
    if not record_status(connection, status, webhook_event=event,
                         note="Noyo sent this change as it happened (its webhook)."):
        return Outcome.UNCHANGED
    return Outcome.APPLIED


def webhook_process_pending() -> int:
    """The beat backstop: process events still pending a minute after they arrived (their
    task was lost, or the broker was down). How many it processed."""
    pending = NoyoWebhookEvent.objects.filter(
        outcome=Outcome.PENDING, received_at__lt=clock.now() - PENDING_GRACE).order_by("pk")
    done = 0
    for event_pk in pending.values_list("pk", flat=True)[:500]:
        webhook_process(event_pk)
        done += 1
    return done
