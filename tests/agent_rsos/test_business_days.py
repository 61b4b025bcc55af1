"""The SLA clock's arithmetic (agent_rsos.rules): business days skip weekends and US federal
holidays; seed 002's "within 72 hours" and "follow up within 5 business days after
acknowledgement", "every five business days". Pure: no database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_rsos import rules
from agent_rsos.rules import (
    DuePoint,
    add_business_days,
    business_days_after,
    is_business_day,
    response_due_business_hours_reading,
    sla_clock,
)

NY = ZoneInfo("America/New_York")
D = dt.date


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


# --- is_business_day ----------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (D(2026, 11, 23), True),   # Monday
    (D(2026, 11, 21), False),  # Saturday
    (D(2026, 11, 22), False),  # Sunday
    (D(2026, 11, 26), False),  # Thanksgiving Day
    (D(2026, 11, 27), True),   # the Friday after Thanksgiving is not a federal holiday
    (D(2026, 11, 11), False),  # Veterans Day, a Wednesday
    (D(2026, 10, 12), False),  # Columbus Day
    (D(2026, 6, 19), False),   # Juneteenth
    (D(2026, 7, 3), False),    # Independence Day (observed): July 4 is a Saturday
    (D(2027, 12, 31), False),  # New Year's Day 2028 (observed), a Friday in 2027
    (D(2026, 12, 24), True),   # Christmas Eve is not a federal holiday
])
def test_it_skips_weekends_and_us_federal_holidays(day, expected):
    assert is_business_day(day) is expected


def test_it_uses_the_holidays_package_calendar():
    assert isinstance(rules.US_FEDERAL_HOLIDAYS, type(__import__("holidays").US()))


# --- add_business_days: seed 002, "within 5 business days after acknowledgement" ----------


@pytest.mark.parametrize(("start", "expected"), [
    # A plain week: Monday → next Monday; Friday → next Friday.
    (D(2026, 11, 2), D(2026, 11, 9)),
    (D(2026, 10, 30), D(2026, 11, 6)),
    # Acknowledged on the Friday before Labor Day (Monday 2026-09-07): the following Monday.
    (D(2026, 9, 4), D(2026, 9, 14)),
    # Acknowledged on the Friday before MLK Day 2027 (Monday 2027-01-18).
    (D(2027, 1, 15), D(2027, 1, 25)),
    # Acknowledged on a Saturday: counting starts Monday; Thanksgiving (Thu 26) skipped.
    (D(2026, 11, 21), D(2026, 11, 30)),
    # Acknowledged on Thanksgiving itself.
    (D(2026, 11, 26), D(2026, 12, 3)),
    # An observed holiday: July 3 2026 (Friday) stands in for Saturday July 4.
    (D(2026, 7, 2), D(2026, 7, 10)),
    # Across the year end, with both observed holidays on Fridays (Dec 24 2027, Dec 31 2027).
    (D(2027, 12, 22), D(2027, 12, 30)),
    (D(2027, 12, 27), D(2028, 1, 4)),
])
def test_it_adds_five_business_days(start, expected):
    assert add_business_days(start, 5) == expected


def test_it_counts_zero_business_days_as_the_same_day():
    assert add_business_days(D(2026, 11, 21), 0) == D(2026, 11, 21)


def test_it_refuses_counting_backwards():
    with pytest.raises(ValueError):
        add_business_days(D(2026, 11, 23), -1)


@given(start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
       days=st.integers(min_value=1, max_value=30))
def test_it_always_lands_on_a_business_day_after_exactly_n_of_them(start, days):
    end = add_business_days(start, days)

    assert end > start
    assert is_business_day(end)
    between = [start + dt.timedelta(days=n) for n in range(1, (end - start).days + 1)]
    assert sum(is_business_day(day) for day in between) == days


# --- business_days_after: the same local clock time ---------------------------------------


def test_it_keeps_the_local_clock_time_across_the_end_of_daylight_saving():
    # DST ends Sunday 2026-11-01: 10:00 EDT Friday → 10:00 EST the Friday after.
    due = business_days_after(at(2026, 10, 30, 10, 0), 5)

    assert due == at(2026, 11, 6, 10, 0)
    assert (due.hour, due.minute) == (10, 0)
    assert due.astimezone(dt.UTC) - at(2026, 10, 30, 10, 0).astimezone(dt.UTC) == dt.timedelta(
        days=7, hours=1)


def test_it_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        business_days_after(dt.datetime(2026, 11, 23, 10, 0), 5)


# --- sla_clock ----------------------------------------------------------------------------


def test_it_owes_nothing_before_the_request_is_sent():
    clock = sla_clock(sent_at=None, acknowledged_at=None, last_update_at=None, closed=False)

    assert clock.pending() == [] and clock.next_due() is None


def test_it_owes_a_response_72_calendar_hours_after_sending_weekend_or_not():
    # Seed 002, Goal: "respond to the requests within 72 hours". Sent Friday 10:00 → Monday 10:00.
    clock = sla_clock(sent_at=at(2026, 11, 20, 10, 0), acknowledged_at=None, last_update_at=None,
                      closed=False)

    assert clock.next_due() == (DuePoint.RESPONSE, at(2026, 11, 23, 10, 0))
    assert clock.follow_up_due_at is None


def test_it_counts_72_elapsed_hours_across_the_end_of_daylight_saving():
    # Saturday 2026-10-31 10:00 EDT + 72 hours = Tuesday 09:00 EST (the clocks went back).
    clock = sla_clock(sent_at=at(2026, 10, 31, 10, 0), acknowledged_at=None, last_update_at=None,
                      closed=False)

    assert clock.response_due_at == at(2026, 11, 3, 9, 0)


def test_it_reads_72_business_hours_as_three_business_days_for_the_note():
    # The automatic response: "within 72 business hours". Friday before Labor Day → Thursday.
    assert response_due_business_hours_reading(at(2026, 9, 4, 10, 0)) == at(2026, 9, 10, 10, 0)


def test_it_owes_a_follow_up_five_business_days_after_acknowledgement():
    # Acknowledged on the Friday before Labor Day: due the Monday after next.
    clock = sla_clock(sent_at=at(2026, 9, 3, 16, 0), acknowledged_at=at(2026, 9, 4, 9, 30),
                      last_update_at=None, closed=False)

    assert clock.follow_up_due_at == at(2026, 9, 14, 9, 30)
    assert clock.pending() == [(DuePoint.RESPONSE, at(2026, 9, 6, 16, 0)),
                               (DuePoint.FOLLOW_UP, at(2026, 9, 14, 9, 30))]


def test_it_counts_every_five_business_days_from_the_last_update():
    clock = sla_clock(sent_at=at(2026, 9, 3, 16, 0), acknowledged_at=at(2026, 9, 4, 9, 30),
                      last_update_at=at(2026, 9, 14, 11, 0), closed=False)

    assert clock.response_met is True
    assert clock.pending() == [(DuePoint.FOLLOW_UP, at(2026, 9, 21, 11, 0))]


def test_it_owes_nothing_once_closed_but_keeps_the_response_due_time():
    clock = sla_clock(sent_at=at(2026, 9, 3, 16, 0), acknowledged_at=at(2026, 9, 4, 9, 30),
                      last_update_at=None, closed=True)

    assert clock.pending() == []
    assert clock.response_due_at == at(2026, 9, 6, 16, 0)


def test_it_lists_the_due_points_that_have_passed():
    clock = sla_clock(sent_at=at(2026, 9, 3, 16, 0), acknowledged_at=at(2026, 9, 4, 9, 30),
                      last_update_at=None, closed=False)

    assert clock.overdue(at(2026, 9, 6, 15, 59)) == []
    assert clock.overdue(at(2026, 9, 6, 16, 0)) == [(DuePoint.RESPONSE, at(2026, 9, 6, 16, 0))]
    assert [kind for kind, _ in clock.overdue(at(2026, 9, 14, 9, 30))] == [DuePoint.RESPONSE,
                                                                           DuePoint.FOLLOW_UP]


@pytest.mark.parametrize(("met", "measured", "rate"), [(3, 4, 0.75), (0, 2, 0.0), (0, 0, None)])
def test_it_computes_the_compliance_rate(met, measured, rate):
    assert rules.compliance_rate(met, measured) == rate
