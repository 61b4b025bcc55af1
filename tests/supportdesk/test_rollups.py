"""The rollups the write path keeps equal what rebuild() counts from the raw rows."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supportdesk import rollups, services
from tests.factories import make_user
from tests.rollup_walk import rollup_rows, walk, walk_flow_registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(specialist, other_specialist):
    return [specialist, other_specialist, make_user("specialist3", None, first_name="Jo")]


@pytest.fixture
def walk_flow():
    with walk_flow_registered() as flow:
        yield flow


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_keeps_the_rollups_equal_to_a_rebuild(
        seed, users, walk_flow, clock_at):
    walk(random.Random(seed), users, clock_at)
    kept = rollup_rows()
    statuses = {(status, reopened) for _day, _flow, status, _disposition, reopened, _n in kept["case"]}
    # The walk reaches every state: open, waiting, closed, and reopened after an outcome.
    assert {"open", "waiting", "closed"} <= {status for status, _reopened in statuses}
    assert any(reopened for _status, reopened in statuses) and len({r[0] for r in kept["case"]}) > 2
    rollups.rebuild()
    assert rollup_rows() == kept


def test_the_rebuild_command_is_idempotent(users, walk_flow, clock_at):
    walk(random.Random(11), users, clock_at, cases=15)
    kept = rollup_rows()
    for _ in range(2):
        out = io.StringIO()
        call_command("rebuild_rollups", stdout=out)
        assert "Rollups rebuilt" in out.getvalue()
        assert rollup_rows() == kept


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one WITH statement on PostgreSQL")
def test_it_adds_one_statement_to_a_step_on_postgresql(specialist, walk_flow):
    cases = [services.case_open(flow=walk_flow, user=specialist)]

    def rollup_statements(**answer: str) -> int:
        case = cases[-1]
        with CaptureQueriesContext(connection) as captured:
            result = services.case_answer(case=case, user=specialist, step_key=case.current_step,
                                          data=answer)
        cases.append(result.case)
        return sum("ON CONFLICT" in q["sql"] for q in captured)

    assert rollup_statements(choice="wait") == 1  # the answer taken, the case now waiting
    assert rollup_statements() == 1  # resumed: the step taken (still counted as waiting→open)
    assert rollup_statements(choice="yes") == 1  # closed: four counters in one statement
