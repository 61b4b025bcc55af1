"""What the core's view tests share: a client signed in as the specialist (the supervisor's
tests override ``signed_in`` with their own)."""

from __future__ import annotations

import pytest


@pytest.fixture
def signed_in(client, specialist):
    client.force_login(specialist)
    return client
