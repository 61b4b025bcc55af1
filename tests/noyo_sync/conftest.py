from __future__ import annotations

from types import SimpleNamespace

import pytest

from noyo_sync.transport import NoyoTransport, forget_tokens


@pytest.fixture(autouse=True)
def _fresh_tokens():
    forget_tokens()
    yield
    forget_tokens()


@pytest.fixture
def noyo(live_server, settings):
    """The client pointed at the local sandbox, served over real HTTP by the live server."""
    settings.NOYO_BASE_URL = f"{live_server.url}/noyo/sandbox"
    settings.NOYO_TIMEOUT_SECONDS = 1.0
    settings.NOYO_SANDBOX_ENABLED = True
    settings.NOYO_SANDBOX_SETTLE_SECONDS = 8
    transports: list[NoyoTransport] = []

    def transport(**overrides: object) -> NoyoTransport:
        made = NoyoTransport.from_settings(**overrides)
        transports.append(made)
        return made

    yield SimpleNamespace(base_url=settings.NOYO_BASE_URL, transport=transport,
                          carrier_id=settings.NOYO_CARRIER_ID)
    for made in transports:
        made.close()
