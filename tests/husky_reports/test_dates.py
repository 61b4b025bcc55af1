"""How seed 003's ages and windows are counted (husky_reports/dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from husky_reports.dates import AgeBand, add_months, age_on, within_months

D = dt.date


@pytest.mark.parametrize(("born", "on", "age"), [
    (D(1950, 8, 15), D(2025, 8, 14), 74),  # the day before the birthday
    (D(1950, 8, 15), D(2025, 8, 15), 75),  # the birthday itself counts
    (D(1950, 8, 15), D(2025, 8, 16), 75),
    (D(2004, 2, 29), D(2022, 2, 28), 17),  # leap-day birthday: not yet on 28 February
    (D(2004, 2, 29), D(2022, 3, 1), 18),  # … reached on 1 March
    (D(2004, 2, 29), D(2024, 2, 29), 20),
    (D(2025, 8, 15), D(2025, 8, 15), 0),
])
def test_it_counts_the_age_on_the_check_date(born, on, age):
    assert age_on(born, on) == age


def test_it_refuses_a_birth_after_the_check_date():
    with pytest.raises(ValueError):
        age_on(D(2025, 8, 16), D(2025, 8, 15))


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2025, 8, 15), -12, D(2024, 8, 15)),
    (D(2024, 2, 29), -12, D(2023, 2, 28)),  # no 29 February: the month's last day
    (D(2025, 5, 31), -3, D(2025, 2, 28)),
    (D(2025, 1, 15), -1, D(2024, 12, 15)),
    (D(2025, 12, 1), 1, D(2026, 1, 1)),
    (D(2025, 8, 15), -60, D(2020, 8, 15)),
])
def test_it_moves_by_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


def test_it_includes_the_first_day_of_a_window_and_not_the_day_before():
    on = D(2025, 8, 15)
    assert within_months(D(2023, 8, 15), on, 24)
    assert not within_months(D(2023, 8, 14), on, 24)
    assert within_months(on, on, 24)
    assert not within_months(D(2025, 8, 16), on, 24)  # after the check date
    assert not within_months(None, on, 24)


def test_it_includes_both_ends_of_an_age_band():
    band = AgeBand(18, 75)
    assert 18 in band and 75 in band
    assert 17 not in band and 76 not in band
    assert str(band) == "18 to 75"
