"""GroupConnection.TRANSITIONS is what the services enforce: for every status and each of our
actions (send, cancel, retry), the service does it exactly when `can()` says yes, so the page,
which offers what `can()` allows, agrees with them. Changing one without the other fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from noyo_sync import rules
from noyo_sync.models import GroupConnection
from noyo_sync.services import (
    ConnectionRefused,
    group_connection_cancel,
    group_connection_retry,
    group_connection_send,
)
from noyo_sync.transport import RemoteConnection
from tests.noyo_sync.make import request_connection

pytestmark = pytest.mark.django_db


class AnsweringNoyo:
    """Noyo taking whatever it is asked: a new connection is created, a retry processing."""

    def _remote(self, status: str) -> RemoteConnection:
        return RemoteConnection(id="noyo-1", status=status, carrier_id="humana",
                                carrier_group_id="989101", group_id="group-1")

    def create_group_connection(self, **_: Any) -> RemoteConnection:
        return self._remote("created")

    def retry_group_connection(self, noyo_id: str) -> RemoteConnection:
        return self._remote("processing")

    def close(self) -> None:
        pass


SERVICES: dict[str, Callable[[GroupConnection, Any], object]] = {
    "send": lambda connection, user: group_connection_send(
        connection_id=connection.pk, transport=AnsweringNoyo()),
    "cancel": lambda connection, user: group_connection_cancel(connection_id=connection.pk,
                                                               user=user),
    "retry": lambda connection, user: group_connection_retry(
        connection_id=connection.pk, user=user, transport=AnsweringNoyo()),
}


def in_status(user: Any, status: rules.ConnectionStatus) -> GroupConnection:
    """A connection requested (not sent), then put in ``status`` as Noyo would have."""
    connection = request_connection(user, send=False)
    noyo_id = "" if status in rules.OURS else f"noyo-{connection.pk}"
    GroupConnection.objects.filter(pk=connection.pk).update(status=status, noyo_id=noyo_id)
    connection.refresh_from_db()
    return connection


def test_it_tests_every_action():
    assert set(SERVICES) == set(GroupConnection.TRANSITIONS)


@pytest.mark.parametrize("action", list(SERVICES))
@pytest.mark.parametrize("status", list(rules.ConnectionStatus))
def test_the_service_does_exactly_what_can_allows(specialist, status, action):
    connection = in_status(specialist, status)
    allowed = connection.can(action)
    assert (action in connection.allowed_actions) == allowed
    before = connection.events.count()

    try:
        SERVICES[action](connection, specialist)
    except ConnectionRefused:
        done = False
    else:  # a send of one not waiting to be sent is not refused, only left alone
        done = connection.events.count() > before

    assert done == allowed, f"{action} from {status}: the service and GroupConnection.can() disagree"
