from __future__ import annotations

import pytest

from noyo_sync.transport import NoyoTransport
from tests.faults.fake_noyo import FakeNoyo


@pytest.fixture
def fake_noyo(monkeypatch):
    """Every transport the services make (NoyoTransport.from_settings) is this in-memory Noyo."""
    noyo = FakeNoyo()
    monkeypatch.setattr(NoyoTransport, "from_settings", classmethod(lambda cls, **kwargs: noyo))
    return noyo
