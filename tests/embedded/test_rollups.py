"""On SQLite too (make run), the rollups the write path keeps equal what rebuild() counts from
the raw rows, and the dashboard's figures from them equal those of the raw cases and events."""

from __future__ import annotations

import random

import pytest

from supportdesk import rollups
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


@pytest.mark.django_db
@pytest.mark.parametrize(("seed", "days"), [(1, 4), (2, 4), (3, ACROSS_MONTHS)])
def test_it_keeps_the_rollups_equal_to_a_rebuild_and_the_figures_to_the_raw_rows(
        seed, days, specialist, other_specialist, clock_at):
    users = [specialist, other_specialist, make_user("specialist3", None, first_name="Jo")]
    with walk_flow_registered():
        walk(random.Random(seed), users, clock_at, days=days)
        kept = rollup_rows()
        assert kept["case"] and kept["step"] and kept["handle"]
        for period in periods():
            assert rolled_figures(period) == raw_figures(period), period
        rollups.rebuild()
        assert rollup_rows() == kept
        rollups.rebuild()
        assert rollup_rows() == kept


@pytest.mark.django_db
def test_it_counts_a_form_step_as_one_branch_whatever_was_typed(specialist):
    with walk_flow_registered():
        two_details_typed(specialist)
        assert details_rows() == [(False, "", None, 2), (True, "", None, 2)]
        rollups.rebuild()
        assert details_rows() == [(False, "", None, 2), (True, "", None, 2)]
