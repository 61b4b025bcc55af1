"""On SQLite too (make run), the rollups the write path keeps equal what rebuild() counts from
the raw rows, and the dashboard's figures from them equal those of the raw cases and events."""

from __future__ import annotations

import random

import pytest

from supportdesk import rollups
from tests.factories import make_user
from tests.rollup_walk import (
    ACROSS_MONTHS,
    periods,
    raw_figures,
    rolled_figures,
    rollup_rows,
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
