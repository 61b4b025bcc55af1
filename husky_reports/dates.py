"""Calendar arithmetic the HUSKY rules are written in: ages, months back, inclusive bands.

Seed 003 says "ages 18 to 75", "within the last two years", "over a year ago" and never says
how to count. The choices, made once here and used by every rule in ``rules/``:

- an age band is inclusive at both ends ("ages 18 to 75" holds 18 and 75, not 76);
- the age is the age on the check date, and a member reaches an age on their birthday; someone
  born on 29 February reaches it on 1 March in years without one;
- "within the last N months" includes the day exactly N months back; "over N months ago" starts
  the day before it. N months back from a day the month lacks (31 May - 3 months) is that
  month's last day (28/29 February).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months; a day the target month lacks becomes its last."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Completed years on ``on``: the birthday itself counts (29 February → 1 March)."""
    if date_of_birth > on:
        raise ValueError("The date of birth is after the check date.")
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


def within_months(last: dt.date | None, on: dt.date, months: int) -> bool:
    """``last`` lies in the ``months`` up to ``on``, the first day included."""
    return last is not None and add_months(on, -months) <= last <= on


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass(frozen=True)
class AgeBand:
    """An inclusive band of ages, as the seed writes them ("ages 18 to 75")."""

    low: int
    high: int

    def __contains__(self, age: object) -> bool:
        return isinstance(age, int) and self.low <= age <= self.high

    def __str__(self) -> str:
        return f"{self.low} to {self.high}"


def no_later_than(on: dt.date, *dates: dt.date | None) -> None:
    """Refuse service dates after the day of the check: a typo, not a future service."""
    if any(day is not None and day > on for day in dates):
        raise ValueError("A service date is after the check date.")
