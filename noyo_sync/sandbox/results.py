"""A sandbox connection as Noyo answers with it: the spec's GroupSetupRequestPublicResult.

The sandbox works a connection's status out from the clock (created, then processing, then the
status its carrier group ID settles on) instead of a background process moving it, so what
changes with the status is worked out the same way: ``modified`` is when the current status
began, ``completed`` when it became completed, and ``version`` a UUID derived from the row's
version (drawn anew at each retry) and the current status, so it changes at every status change
and stays the same between two reads.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ..models import SandboxGroupConnection
from ..rules import ConnectionStatus

ORGANIZATION_ID = "00000000-0000-4000-8000-00000000beef"
# Every sandbox connection is for a brand new group, made by the create endpoint ("Create a new
# connection for a brand new group"): Noyo calls that an initial request, and a retry does not
# change what kind of request the connection is.
REQUEST_TYPE = "initial"


def current_status(row: SandboxGroupConnection, now: dt.datetime) -> str:
    """As SandboxConnectionQuerySet.with_status works it out in the database, from the row's
    times (not from that annotation, which a retry or a create has not refreshed)."""
    if row.settles_at <= now:
        return row.final_status
    return "processing" if row.processing_at <= now else "created"


def status_since(row: SandboxGroupConnection, now: dt.datetime) -> dt.datetime:
    passed = [when for when in (row.processing_at, row.settles_at) if when <= now]
    return max([row.submitted_at, *passed])


def version(row: SandboxGroupConnection, status: str) -> str:
    return str(uuid.uuid5(row.version, status))


def serialize(row: SandboxGroupConnection, now: dt.datetime) -> dict[str, Any]:
    status = current_status(row, now)
    result: dict[str, Any] = {
        "id": str(row.id),
        "version": version(row, status),
        "created": int(row.created_at.timestamp()),
        "modified": int(status_since(row, now).timestamp()),
        "organization_id": ORGANIZATION_ID,
        "group_id": str(row.group_id),
        "carrier_id": row.carrier_id,
        "request_type": REQUEST_TYPE,
        "status": status,
        "group_data": row.group_data,
        # Required by the spec, described only as "more information about the result": the
        # sandbox has nothing more to say than its status, as Noyo's own example ({}).
        "setup_result": {},
        "setup_metadata": {},
    }
    if status == ConnectionStatus.COMPLETED:
        result["completed"] = int(row.settles_at.timestamp())
    if row.federal_ein:
        result["federal_ein"] = row.federal_ein
    return result
