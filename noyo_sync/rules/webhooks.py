"""Noyo's webhooks (reference/noyo/noyo-webhooks.yml): the envelope, the signature, and the
order of status changes.

"delivery: at-least-once", "ordering: not-guaranteed", "dedupe_on: event.id"; the signature in
``x-noyo-signature`` is an HMAC with the subscription's secret, beside ``x-noyo-timestamp``.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import Any

SIGNATURE_HEADER = "x-noyo-signature"
TIMESTAMP_HEADER = "x-noyo-timestamp"
# A delivery whose timestamp is further than this from our clock is refused: a captured
# delivery replayed later fails here even with a valid signature.
TIMESTAMP_TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024  # "pii_phi: none": a status change is a few hundred bytes

CREATED = "group_connection_request.created"
STATUS_CHANGE = "group_connection_request.status_change"
HELLO = "test.hello_world"
HANDLED_TYPES = frozenset({CREATED, STATUS_CHANGE, HELLO})


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``"<timestamp>.<raw body>"`` with the subscription's secret, hex.

    Our reference names the header, the HMAC and the timestamp header but not the exact
    message (Noyo's verification page is not in it): signing the timestamp with the body is
    what makes the timestamp check mean something, so both sides here (the receiver and the
    in-app sandbox's sender) use this one function. Change it here if Noyo's page says else."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_problem(secret: str, timestamp: str, body: bytes, given: str, now: float) -> str | None:
    """Why a delivery is not to be trusted, or None. Constant-time comparison."""
    if not given or not timestamp:
        return f"Missing {SIGNATURE_HEADER} or {TIMESTAMP_HEADER}."
    try:
        sent_at = float(timestamp)
    except ValueError:
        return f"{TIMESTAMP_HEADER} is not a Unix time."
    if abs(now - sent_at) > TIMESTAMP_TOLERANCE_SECONDS:
        return (f"{TIMESTAMP_HEADER} is more than {TIMESTAMP_TOLERANCE_SECONDS // 60} minutes from "
                "our clock: a stale or replayed delivery.")
    if not hmac.compare_digest(signature(secret, timestamp, body), given.strip()):
        return f"{SIGNATURE_HEADER} does not match the body."
    return None


@dataclass(frozen=True)
class Envelope:
    """``{"data": {...}, "event": {"id": <uuid>, "created": <unix>, "type": <event_key>}}``"""

    event_id: uuid.UUID
    type: str
    created: int
    data: dict[str, Any]


def parse_envelope(payload: Any) -> Envelope | str:
    """The envelope, or why it is not one."""
    if not isinstance(payload, dict):
        return "The body is not a JSON object."
    event, data = payload.get("event"), payload.get("data")
    if not isinstance(event, dict) or not isinstance(data, dict):
        return "The body needs an event object and a data object."
    try:
        event_id = uuid.UUID(str(event.get("id")))
    except ValueError:
        return "event.id is not a UUID."
    if not isinstance(event.get("type"), str) or not event["type"]:
        return "event.type is missing."
    created = event.get("created")
    if not isinstance(created, int) or isinstance(created, bool):
        return "event.created is not a Unix time."
    return Envelope(event_id=event_id, type=event["type"], created=created, data=data)


def order_key(data: dict[str, Any], event_created: int) -> tuple[int, int]:
    """Where a status change stands in Noyo's order: the connection's own ``modified`` time,
    then the event's ``created`` time (both Unix seconds). ``ordering: not-guaranteed``: a change
    older than the one we hold is kept in the history as seen, and never overwrites it."""
    modified = data.get("modified")
    return (modified if isinstance(modified, int) and not isinstance(modified, bool) else 0,
            event_created)
