"""Tests that use no database run without one; a run that selects one that does is refused, so
SQLite never stands in for PostgreSQL (tests/databases.py). Both runs are pytest subprocesses
with DATABASE_URL empty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = "tests/ec_access/test_rules.py"
NEEDS_DATABASE = "tests/ec_access/test_queue.py::test_it_claims_a_queued_request"


def run_pytest(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": "", "SUPPORTDESK_SERVER_ENV": os.devnull}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def test_the_rule_tests_run_without_a_database():
    result = run_pytest(PURE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def test_a_run_that_selects_a_database_test_is_refused_without_postgresql():
    result = run_pytest(PURE, NEEDS_DATABASE)
    assert result.returncode == 4, result.stdout + result.stderr  # pytest's usage error
    assert "1 of the selected tests use the database" in result.stderr
    assert NEEDS_DATABASE in result.stderr
    assert "passed" not in result.stdout  # refused before any test ran
