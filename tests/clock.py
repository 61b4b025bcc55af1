"""The suite's clock: every test runs at a fixed moment unless it moves the clock itself.

``PINNED_NOW`` is a Wednesday in mid-November at 10:00 in the office's time zone: outside the
1st–5th reporting blackout, a business day, a week away from the nearest US federal holiday.
time-machine moves ``time.time()`` and ``datetime.now()`` for the whole process, so the live
server of the browser tests and the in-thread Celery workers see the same moment. A test on
another day calls ``on_day(date)`` (10:00 that day) or ``clock_at(datetime)``.

Processes a test starts (a Celery worker killed with SIGKILL, say) start their clock with
``pin_in_subprocess()``: the moment travels in ``SUPPORTDESK_TEST_NOW``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

PINNED_DAY = dt.date(2026, 11, 18)
PINNED_TIME = dt.time(10, 0)
ENV_VAR = "SUPPORTDESK_TEST_NOW"


def office_moment(day: dt.date, at: dt.time = PINNED_TIME) -> dt.datetime:
    """``at`` on ``day`` in TIME_ZONE (the zone "today" is counted in)."""
    return dt.datetime.combine(day, at, ZoneInfo(settings.TIME_ZONE))


def subprocess_env() -> dict[str, str]:
    """The variable a child process reads to start at the test's (pinned) moment."""
    return {ENV_VAR: timezone.now().isoformat()}


# Prepended to a script a test runs with ``python -c``: the child starts at the test's moment.
PIN_IN_SUBPROCESS = (
    "import os, time_machine\n"
    f"time_machine.travel(os.environ[{ENV_VAR!r}], tick=True).start()\n"
)
