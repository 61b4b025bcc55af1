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
