"""Which database a test run may use: PostgreSQL for the suite, SQLite for tests/embedded alone.

The suite runs on the real services; SQLite would hide locking and trigger behaviour. The one
exception is the embedded pass of ``make test`` (scripts/embeddedenv.py): tests/embedded run on
the SQLite that ``make run`` serves from, to prove the default install works.
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


def check_database(config: pytest.Config) -> None:
    """Refuse a run on anything but PostgreSQL, unless it is the embedded pass on SQLite."""
    scheme = os.environ.get("DATABASE_URL", "").split(":", 1)[0]
    if scheme in {"postgres", "postgresql"}:
        return
    if scheme == "sqlite" and only_embedded_selected(config):
        _test_database_in_a_file()
        return
    raise pytest.UsageError(
        "The tests run on PostgreSQL and Redis: run them with `make test`, or set DATABASE_URL "
        "and CELERY_BROKER_URL yourself (see scripts/testenv.py). Only tests/embedded runs on "
        "SQLite (see scripts/embeddedenv.py)."
    )


def _test_database_in_a_file() -> None:
    """Django would test on an in-memory SQLite, whose shared cache has table locks of its own
    instead of the file's WAL and busy timeout: the races would not be make run's races. So the
    test database is a file beside the one DATABASE_URL names."""
    database = settings.DATABASES["default"]
    name = Path(database["NAME"])
    database.setdefault("TEST", {})["NAME"] = str(name.with_name(f"test-{name.name}"))
