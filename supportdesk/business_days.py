"""The office's business days: weekdays that are not US federal holidays.

Plain functions over dates (no database, no clock), shared by the apps' rules: the ARSOS SLA
clock counts them, and an EC case stopped by the reporting blackout is followed up on one.
"""

from __future__ import annotations

import datetime as dt

import holidays

# US federal holidays, observed dates included (July 4 on a Saturday is observed on Friday).
US_FEDERAL_HOLIDAYS: holidays.HolidayBase = holidays.US()


def is_business_day(day: dt.date, calendar: holidays.HolidayBase = US_FEDERAL_HOLIDAYS) -> bool:
    """Business days skip weekends and US federal holidays."""
    return day.weekday() < 5 and day not in calendar


def add_business_days(
    start: dt.date, days: int, calendar: holidays.HolidayBase = US_FEDERAL_HOLIDAYS
) -> dt.date:
    """The date ``days`` business days after ``start``. The start day itself never counts, so
    "5 business days after" a Friday acknowledgement is the next Friday (the Monday after that
    when a federal holiday falls in between), and after a Saturday it is the Friday after."""
    if days < 0:
        raise ValueError("Count business days forward only.")
    day = start
    for _ in range(days):
        day += dt.timedelta(days=1)
        while not is_business_day(day, calendar):
            day += dt.timedelta(days=1)
    return day
