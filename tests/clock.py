"""The suite's clock: every test runs at a fixed moment unless it moves the clock itself.

``PINNED_DAY`` at ``PINNED_TIME`` is a Wednesday in mid-November at 10:00 in the office's time zone: outside the
1st–5th reporting blackout, a business day, a week away from the nearest US federal holiday.
time-machine moves ``time.time()`` and ``datetime.now()`` for the whole process, so the live
server of the browser tests and the in-thread Celery workers see the same moment. A test on
another day calls ``on_day(date)`` (10:00 that day) or ``clock_at(datetime)``.

A Python process a test starts (a Celery worker killed with SIGKILL, say) starts at the test's
moment given ``subprocess_env()``: scripts/machine-date/sitecustomize.py, which also serves
`make test-on-day`, moves its clock there.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

PINNED_DAY = dt.date(2026, 11, 18)
PINNED_TIME = dt.time(10, 0)
MACHINE_DATE = Path(__file__).resolve().parents[1] / "scripts" / "machine-date"


def office_moment(day: dt.date, at: dt.time = PINNED_TIME) -> dt.datetime:
    """``at`` on ``day`` in TIME_ZONE (the zone "today" is counted in)."""
    return dt.datetime.combine(day, at, ZoneInfo(settings.TIME_ZONE))


def subprocess_env() -> dict[str, str]:
    """The environment a child Python process needs to start at the test's (pinned) moment."""
    path = os.pathsep.join(filter(None, (str(MACHINE_DATE), os.environ.get("PYTHONPATH"))))
    return {"PYTHONPATH": path, "SUPPORTDESK_MACHINE_DATE": timezone.now().isoformat()}
