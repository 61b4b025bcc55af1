"""Which database a test run may use: PostgreSQL for the suite, SQLite for tests/embedded alone.

The suite runs on the real services; SQLite would hide locking and trigger behaviour. The one
exception is the embedded pass of ``make test`` (scripts/embeddedenv.py): tests/embedded run on
the SQLite that ``make run`` serves from, to prove the default install works.

Tests that use no database (the rules, the flow graphs, the deployment files) run without one:
``DATABASE_URL= python -m pytest tests/ec_access/test_rules.py``. Without PostgreSQL a run is
refused only when it selected a test that needs the database (pytest-django's ``django_db``
marker, or a fixture that sets the database up: ``db``, ``transactional_db``, ``live_server``...),
so SQLite never stands in for PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

EMBEDDED = Path(__file__).resolve().parent / "embedded"


def only_embedded_selected(config: pytest.Config) -> bool:
    """Every path on the command line (testpaths when none) is inside tests/embedded."""
    paths = [
        Path(config.invocation_params.dir, arg.split("::", 1)[0]).resolve() for arg in config.args
    ]
    return bool(paths) and all(path == EMBEDDED or EMBEDDED in path.parents for path in paths)


# Set by check_database when the run has no PostgreSQL: then no selected test may need a database.
WITHOUT_POSTGRES = pytest.StashKey[bool]()

# What sets the test database up (pytest-django): a test whose fixtures include one of these (its
# own, or one of its fixtures' own: `specialist(db)`) uses the database.
DATABASE_FIXTURES = frozenset({"django_db_setup", "_django_db_helper", "live_server"})


def check_database(config: pytest.Config) -> None:
    """PostgreSQL for the suite, SQLite for the embedded pass alone; anything else is noted, and
    refuse_tests_needing_a_database() refuses the run if it selected a test that needs one."""
    scheme = os.environ.get("DATABASE_URL", "").split(":", 1)[0]
    if scheme in {"postgres", "postgresql"}:
        return
    if scheme == "sqlite" and only_embedded_selected(config):
        _test_database_in_a_file()
        return
    config.stash[WITHOUT_POSTGRES] = True


def needs_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    from django.test import TransactionTestCase  # Django's own test cases (TestCase included)

    cls = getattr(item, "cls", None)
    return isinstance(cls, type) and issubclass(cls, TransactionTestCase)


def refuse_tests_needing_a_database(session: pytest.Session) -> None:
    """After collection (and -k/-m): a run without PostgreSQL may hold only tests without a
    database."""
    if not session.config.stash.get(WITHOUT_POSTGRES, False):
        return
    needing = [item for item in session.items if needs_database(item)]
    if not needing:
        return
    message = (
        "The tests run on PostgreSQL and Redis: run them with `make test`, or set DATABASE_URL "
        "and CELERY_BROKER_URL yourself (see scripts/testenv.py). Only tests/embedded runs on "
        "SQLite (see scripts/embeddedenv.py); tests that use no database run without DATABASE_URL."
    )
    if hasattr(session.config, "workerinput"):
        # A pytest-xdist worker cannot stop the run (its controller reports a crash): each of
        # those tests fails at setup instead (tests/conftest.py pytest_runtest_setup).
        for item in needing:
            item.stash[REFUSED] = f"This test uses the database. {message}"
        return
    raise pytest.UsageError(
        f"{len(needing)} of the selected tests use the database (the first: {needing[0].nodeid}). "
        + message
    )


REFUSED = pytest.StashKey[str]()


def refuse_a_test_needing_a_database(item: pytest.Item) -> None:
    if REFUSED in item.stash:
        pytest.fail(item.stash[REFUSED], pytrace=False)


def _test_database_in_a_file() -> None:
    """Django would test on an in-memory SQLite, whose shared cache has table locks of its own
    instead of the file's WAL and busy timeout: the races would not be make run's races. So the
    test database is a file beside the one DATABASE_URL names."""
    database = settings.DATABASES["default"]
    name = Path(database["NAME"])
    database.setdefault("TEST", {})["NAME"] = str(name.with_name(f"test-{name.name}"))
