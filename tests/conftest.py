"""Shared fixtures: one standing user per role (and an outsider), like healthchecks' hc/test.py."""

from __future__ import annotations

import datetime as dt
import importlib
import os
from typing import Any

import hypothesis
import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_migrate

from supportdesk.roles import Role
from tests.clock import PINNED_DAY, office_moment
from tests.databases import (
    check_database,
    refuse_a_test_needing_a_database,
    refuse_tests_needing_a_database,
)
from tests.factories import make_user
from tests.xdist_workers import isolate_redis

# CI draws the same hypothesis examples on every run, so a red CI is the change's doing, not the
# draw's; a local `make test` draws fresh examples each time and keeps exploring.
hypothesis.settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    hypothesis.settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    # PostgreSQL, except for tests/embedded alone on make run's SQLite (tests/databases.py).
    # Without it, only tests that use no database (refused after collection otherwise).
    check_database(config)
    # Under pytest-xdist, each worker's broker and cache in Redis databases of their own.
    isolate_redis(config)
    # A `make run` in this folder records its address in var/server.env; the suite never reads
    # it (the runners point SUPPORTDESK_SERVER_ENV at /dev/null), whoever started what.
    if settings.SERVER_ENV_READ is not None:
        raise pytest.UsageError(
            f"These settings read {settings.SERVER_ENV_READ}: run the tests with `make test`, "
            "or set SUPPORTDESK_SERVER_ENV=/dev/null."
        )
    # Fast hashing: every test creates users, and PBKDF2 costs ~0.3 s per password.
    # Live-server threads must not keep connections open past a test, or the test database
    # cannot be dropped at the end of the run.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    post_migrate.connect(_migration_data_back, dispatch_uid="tests-migration-data-back")


def pytest_collection_finish(session: pytest.Session) -> None:
    refuse_tests_needing_a_database(session)


def pytest_runtest_setup(item: pytest.Item) -> None:
    refuse_a_test_needing_a_database(item)  # under pytest-xdist, without PostgreSQL


# Rows the migrations write (the seed's business functions). A transactional test (a browser test,
# a race) ends by emptying every table, and the tests run after it on the same worker need them
# back: Django sends post_migrate after that flush, so they are written again then.
MIGRATION_DATA = {"ec_access": "ec_access.migrations.0002_business_functions"}


def _migration_data_back(sender: Any, using: str = "default", **kwargs: Any) -> None:
    module = MIGRATION_DATA.get(getattr(sender, "label", ""))
    if module is not None:
        from django.apps import apps

        with transaction.atomic(using=using):
            importlib.import_module(module).add(kwargs.get("apps") or apps, None)


@pytest.fixture(autouse=True)
def pinned_clock():
    """Every test starts at tests.clock's fixed moment, whatever the machine's date (the clock
    ticks from there, so timeouts and ordering still work)."""
    with time_machine.travel(office_moment(PINNED_DAY), tick=True) as traveller:
        yield traveller


@pytest.fixture
def clock_at(pinned_clock):
    """clock_at(moment): move the whole process's clock to an aware datetime; it ticks on."""

    def move(moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("clock_at takes an aware datetime; on_day takes a date")
        pinned_clock.move_to(moment, tick=True)
        return moment

    return move


@pytest.fixture
def on_day(clock_at):
    """on_day(date): 10:00 on that day in TIME_ZONE (what the flows call "today")."""

    def move(day: dt.date) -> dt.date:
        clock_at(office_moment(day))
        return day

    return move


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
def author(db):
    return make_user("author", Role.FLOW_AUTHOR, first_name="Jo", last_name="Lindqvist")


@pytest.fixture
def outsider(db):
    """Signed in, but in no role."""
    return make_user("outsider", None)


@pytest.fixture(autouse=True)
def composed_flows_forgotten():
    """Each test starts with no composed flow versions kept: the versions of a rolled-back
    test would otherwise stand for another test's of the same number."""
    from supportdesk import flow_content

    flow_content.forget()
    yield
    flow_content.forget()
