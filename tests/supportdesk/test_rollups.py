"""The rollups the write path keeps equal what rebuild() counts from the raw rows, and the
dashboard's figures from them equal those computed from the raw cases and events."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supportdesk import insights, rollups, services
from supportdesk.percentile import percentile_cont
from tests.factories import make_user
from tests.rollup_walk import (
    ACROSS_MONTHS,
    details_rows,
    periods,
    raw_figures,
    rolled_figures,
    rollup_rows,
    two_details_typed,
    walk,
    walk_flow_registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(specialist, other_specialist):
    return [specialist, other_specialist, make_user("specialist3", None, first_name="Jo")]


@pytest.fixture
def walk_flow():
    with walk_flow_registered() as flow:
        yield flow


@pytest.mark.parametrize(("seed", "days"), [(1, 4), (2, 4), (3, 4),
                                            (4, ACROSS_MONTHS), (5, ACROSS_MONTHS)])
def test_it_keeps_the_rollups_equal_to_a_rebuild_and_the_figures_to_the_raw_rows(
        seed, days, users, walk_flow, clock_at):
    walk(random.Random(seed), users, clock_at, cases=30 if days == 4 else 60, days=days)
    kept = rollup_rows()
    statuses = {(status, reopened)
                for _month, _day, _flow, status, _disposition, reopened, _n in kept["case"]}
    # The walk reaches every state: open, waiting, closed, and reopened after an outcome.
    assert {"open", "waiting", "closed"} <= {status for status, _reopened in statuses}
    assert any(reopened for _status, reopened in statuses) and len({r[1] for r in kept["case"]}) > 2
    if days == ACROSS_MONTHS:  # month rows of three months were kept
        assert len({day for month, day, *_rest in kept["case"] if month}) == 3
    for period in periods():
        assert rolled_figures(period) == raw_figures(period), period
    rollups.rebuild()
    assert rollup_rows() == kept


def test_it_gives_handle_time_percentiles_from_buckets_within_the_stated_error(
        users, walk_flow, clock_at, monkeypatch):
    walk(random.Random(7), users, clock_at, cases=40)
    [period, *_others] = periods()
    exact = insights.overview(period)
    monkeypatch.setattr(insights, "EXACT_PERCENTILES_UP_TO", 0)
    bucketed = insights.overview(period)
    for figure in ("median", "p90"):
        error = abs((bucketed[figure] - exact[figure]).total_seconds())
        assert error <= 0.5 + 0.023 * exact[figure].total_seconds(), figure


def test_it_counts_a_form_step_as_one_branch_whatever_was_typed(specialist, walk_flow):
    period = two_details_typed(specialist)
    assert details_rows() == [(False, "", None, 2), (True, "", None, 2)]
    rollups.rebuild()
    assert details_rows() == [(False, "", None, 2), (True, "", None, 2)]
    details = [r for r in insights.top_branches(period) if r["step"] == "Details"]
    assert details == [{"flow": "Rollup walk", "step": "Details", "answer": insights.ONE_WAY_ON,
                        "label": "Details", "count": 2}]
    assert rolled_figures(period) == raw_figures(period)


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


def test_the_bucketed_percentile_stays_within_its_stated_error_of_percentile_cont():
    rng = random.Random(3)
    for size in (1, 2, 5, 50, 2_000):
        seconds = [rng.choice([rng.uniform(0, 30), rng.lognormvariate(6, 1.5)]) for _ in range(size)]
        counts: dict[int, int] = {}
        for value in seconds:
            bucket = rollups.handle_bucket(dt.timedelta(seconds=value))
            counts[bucket] = counts.get(bucket, 0) + 1
        for fraction in (0.5, 0.9):
            exact = percentile_cont(seconds, fraction)
            estimate = rollups.histogram_percentile(counts, fraction).total_seconds()
            assert abs(estimate - exact) <= 0.5 + 0.023 * exact, (size, fraction)
