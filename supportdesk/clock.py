"""The one clock: every "now" and "today" the app reads comes from here.

Time is an input. The EC flows change on the 1st–5th of a month, the SLA clock skips weekends
and holidays, the weekly batch keys on Mondays: code that read the machine's clock in many
places could not be tested on the day that matters. Rules take the date as a parameter; views,
services, tasks and forms ask this module. Tests pin it with time-machine, which moves
``time.time()`` and ``datetime.now()`` for the whole process (live-server threads included).

"Today" is the date in ``TIME_ZONE`` (the company's office time), not UTC: at 9 p.m. in New
York on the 5th it is still the 5th for the flows, though UTC is already on the 6th.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, time-zone aware (UTC)."""
    return timezone.now()


def local_now() -> dt.datetime:
    """The current moment in ``TIME_ZONE``: for what a person reads (form defaults, headings)."""
    return timezone.localtime(now())


def today() -> dt.date:
    """The date in ``TIME_ZONE``."""
    return timezone.localdate(now())
