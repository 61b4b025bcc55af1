"""What the database itself refuses: bad carrier group IDs, duplicates, rewriting history."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from noyo_sync.models import GroupConnection, GroupConnectionEvent
from tests.noyo_sync.make import make_group, request_connection

pytestmark = pytest.mark.django_db


def raw_connection(user, carrier_group_id: str, **fields) -> GroupConnection:
    fields.setdefault("status", "not_sent")
    return GroupConnection.objects.create(
        group=make_group(), carrier_id="humana", carrier_group_id=carrier_group_id, group_name="X",
        people=1, status_changed_at=timezone.now(), requested_by=user, **fields)


@pytest.mark.parametrize("carrier_group_id", ["98910", "98910a", " 98910"])
def test_it_refuses_a_bad_carrier_group_id_in_the_database(specialist, carrier_group_id):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_connection(specialist, carrier_group_id)


def test_it_refuses_a_second_live_connection_in_the_database(specialist):
    raw_connection(specialist, "989101")
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_connection(specialist, "989101")
    raw_connection(specialist, "989101", status="refused")  # a refused request does not count


def test_it_refuses_an_accepted_connection_without_noyo_id(specialist):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_connection(specialist, "989101", status="created")
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_connection(specialist, "989102", status="teleported", noyo_id="x")


def test_it_keeps_the_history_append_only(specialist, settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"
    event = request_connection(specialist, send=False).events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        GroupConnectionEvent.objects.update(note="rewritten")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE noyo_sync_groupconnectionevent SET note = 'rewritten'")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM noyo_sync_groupconnectionevent")
    assert GroupConnectionEvent.objects.get().note.startswith("Prerequisites confirmed")
