"""Shared fixtures: one standing user per role (and an outsider), like healthchecks' hc/test.py."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.factories import make_user
from supportdesk.roles import Role


def pytest_configure(config: pytest.Config) -> None:
    # The suite runs on the real services; SQLite would hide locking and trigger behaviour.
    if os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in {"postgres", "postgresql"}:
        raise pytest.UsageError(
            "The tests run on PostgreSQL and Redis: run them with `make test`, or set "
            "DATABASE_URL and CELERY_BROKER_URL yourself (see scripts/testenv.py)."
        )
    # Fast hashing: every test creates users, and PBKDF2 costs ~0.3 s per password.
    # Live-server threads must not keep connections open past a test, or the test database
    # cannot be dropped at the end of the run.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def specialist(db):
    return make_user("specialist", Role.SPECIALIST, first_name="Sam", last_name="Rivera")


@pytest.fixture
def other_specialist(db):
    return make_user("specialist2", Role.SPECIALIST)


@pytest.fixture
def supervisor(db):
    return make_user("supervisor", Role.SUPERVISOR, first_name="Pat", last_name="Okafor")


@pytest.fixture
def access_user(db):
    return make_user("access", Role.ACCESS_MANAGEMENT)


@pytest.fixture
def outsider(db):
    """Signed in, but in no role."""
    return make_user("outsider", None)
