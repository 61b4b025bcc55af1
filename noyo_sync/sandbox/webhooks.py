"""The sandbox's webhooks: what real Noyo does when a connection's status changes, signed the
way our receiver checks (rules.webhooks.signature), sent to NOYO_SANDBOX_WEBHOOK_URL.

The sandbox works a status out from the clock, so the sender (beat, every few seconds) looks at
the connections of the last hour, works out every status each has reached since its creation or
last retry, and sends the event of each one it has not sent yet (one per status version).
An answer other than 2xx is tried again next round, as Noyo retries. ``SandboxWebhookFault``
makes a round misbehave the ways Noyo's documentation allows or warns of: the same event twice
("at-least-once"), newest first ("ordering: not-guaranteed"), or a bad signature.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

import httpx
from django.conf import settings
from django.db import transaction

from supportdesk import clock

from ..models import SandboxGroupConnection, SandboxWebhookDelivery, SandboxWebhookFault
from ..rules import webhooks as hooks
from . import results
from .views import sandbox_enabled

logger = logging.getLogger(__name__)
WATCH = dt.timedelta(hours=1)  # a sandbox connection settles within seconds of its submission
Fault = SandboxWebhookFault.Kind


def _reached(row: SandboxGroupConnection, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """Each status the connection has had since it was submitted, with when it began."""
    reached: list[tuple[str, dt.datetime]] = []
    for moment in sorted({row.submitted_at, row.processing_at, row.settles_at}):
        if moment <= now:
            status = results.current_status(row, moment)
            if not reached or reached[-1][0] != status:
                reached.append((status, moment))
    return reached


def _take_faults() -> set[str]:
    with transaction.atomic():
        faults = list(SandboxWebhookFault.objects.select_for_update())
        for fault in faults:
            if fault.remaining <= 1:
                fault.delete()
            else:
                SandboxWebhookFault.objects.filter(pk=fault.pk).update(remaining=fault.remaining - 1)
        return {fault.kind for fault in faults}


def sandbox_webhook_fault(kind: str, *, rounds: int = 1) -> SandboxWebhookFault:
    if kind not in Fault.values:
        raise ValueError(f"Unknown webhook fault {kind!r}: use one of {', '.join(Fault.values)}.")
    fault, _ = SandboxWebhookFault.objects.update_or_create(kind=kind, defaults={"remaining": rounds})
    return fault


def sandbox_send_webhooks(*, url: str | None = None, transport: httpx.BaseTransport | None = None) -> int:
    """One round: send the events owed. Returns how many deliveries the app took (2xx)."""
    if not sandbox_enabled():
        return 0
    url = url or settings.NOYO_SANDBOX_WEBHOOK_URL
    now = clock.now()
    owed = []
    for row in SandboxGroupConnection.objects.filter(submitted_at__gte=now - WATCH).order_by("created_at"):
        sent = set(row.webhook_deliveries.values_list("version", flat=True))
        for status, since in _reached(row, now):
            version = uuid.UUID(results.version(row, status))
            if version not in sent:
                owed.append((row, status, since, version))
    if not owed:
        return 0
    faults = _take_faults()
    if Fault.OUT_OF_ORDER in faults:
        owed.reverse()
    taken = 0
    with httpx.Client(timeout=5.0, transport=transport) as client:
        for row, status, since, version in owed:
            event_id = uuid.uuid4()
            payload = {"data": results.serialize(row, since), "event": {
                "id": str(event_id), "created": int(since.timestamp()),
                "type": hooks.CREATED if status == "created" else hooks.STATUS_CHANGE}}
            body = json.dumps(payload).encode()
            answer = None
            for _ in range(2 if Fault.DUPLICATE in faults else 1):
                answer = _post(client, url, body, bad=Fault.BAD_SIGNATURE in faults)
            if answer is not None and 200 <= answer < 300:
                SandboxWebhookDelivery.objects.get_or_create(
                    connection=row, version=version,
                    defaults={"status": status, "event_id": event_id, "answer": answer})
                taken += 1
    return taken


def _post(client: httpx.Client, url: str, body: bytes, *, bad: bool) -> int | None:
    timestamp = str(int(clock.now().timestamp()))
    secret = "not-the-subscription-secret" if bad else settings.NOYO_WEBHOOK_SECRET
    try:
        response = client.post(url, content=body, headers={
            "content-type": "application/json", hooks.TIMESTAMP_HEADER: timestamp,
            hooks.SIGNATURE_HEADER: hooks.signature(secret, timestamp, body)})
    except httpx.HTTPError as error:
        logger.warning("Sandbox webhook not delivered: %s", type(error).__name__)
        return None
    return response.status_code
