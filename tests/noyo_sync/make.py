"""make_* helpers for Noyo tests, with defaults."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from django.db.models import F

from ec_access.models import EmployerGroup
from noyo_sync.models import GroupConnection, SandboxGroupConnection
from noyo_sync.services import group_connection_request

_numbers = count(1)


def make_group(group_number: str | None = None, **fields: Any) -> EmployerGroup:
    fields.setdefault("name", "FUSION CONTROLS INC")
    fields.setdefault("platform", "MTV")
    fields.setdefault("fin_bus_segment_cd", "T")
    return EmployerGroup.objects.create(group_number=group_number or f"{810000 + next(_numbers)}",
                                        **fields)


def request_connection(user: Any, carrier_group_id: str = "989101", *, group: EmployerGroup | None = None,
                       send: bool = True, **fields: Any) -> GroupConnection:
    """A connection request through the service, prerequisites met, nothing unsupported."""
    fields.setdefault("people", 40)
    fields.setdefault("census_file_sent", True)
    fields.setdefault("group_number_issued", True)
    return group_connection_request(group=group or make_group(), carrier_group_id=carrier_group_id,
                                    user=user, send=send, **fields)


def age_sandbox(seconds: float) -> None:
    """Let time pass for every sandbox connection: its submission moves ``seconds`` back."""
    delta = dt.timedelta(seconds=seconds)
    SandboxGroupConnection.objects.update(
        submitted_at=F("submitted_at") - delta, processing_at=F("processing_at") - delta,
        settles_at=F("settles_at") - delta, created_at=F("created_at") - delta,
    )
    # What we recorded of Noyo's times moves back with them (so the order of changes holds).
    GroupConnection.objects.filter(noyo_modified__gt=0).update(
        noyo_modified=F("noyo_modified") - int(seconds))
