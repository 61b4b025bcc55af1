"""An in-memory Noyo behind the transport's interface (STYLE.md: tests replace the transport),
keeping what a real Noyo keeps across our crashes: a connection it accepted stays accepted, and
a second create of the same carrier group ID is a 409."""

from __future__ import annotations

from dataclasses import replace

from noyo_sync.transport import NoyoConflict, Page, RemoteConnection


class FakeNoyo:
    def __init__(self) -> None:
        self.connections: dict[str, RemoteConnection] = {}
        self.creates = 0  # POSTs that reached Noyo, accepted or not

    def create_group_connection(self, *, carrier_id: str, group_data: dict[str, str],
                                federal_ein: str = "") -> RemoteConnection:
        self.creates += 1
        carrier_group_id = group_data["carrier_group_id"]
        if any(c.carrier_group_id == carrier_group_id for c in self.connections.values()):
            raise NoyoConflict("Group connection already exists.", status=409)
        remote = RemoteConnection(id=f"gc-{len(self.connections) + 1:04d}", status="created",
                                  carrier_id=carrier_id, carrier_group_id=carrier_group_id)
        self.connections[remote.id] = remote
        return remote

    def list_group_connections(self, *, carrier_id: str | None = None, statuses: tuple[str, ...] = (),
                               carrier_group_id: str | None = None, offset: int = 0,
                               page_size: int = 100) -> Page:
        found = [c for _, c in sorted(self.connections.items())
                 if carrier_group_id in (None, c.carrier_group_id)]
        return Page(found[offset:offset + page_size], offset, page_size, len(found))

    def get_group_connection(self, connection_id: str) -> RemoteConnection:
        return self.connections[connection_id]

    def set_status(self, status: str) -> None:
        """Noyo moves every connection on (as its review does)."""
        self.connections = {key: replace(c, status=status) for key, c in self.connections.items()}

    def close(self) -> None:
        pass
