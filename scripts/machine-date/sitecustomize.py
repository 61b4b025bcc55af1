"""Start this Python process with its clock on SUPPORTDESK_MACHINE_DATE (ISO 8601, with an offset).

`make test-on-day DAY=2026-12-03` puts this folder on PYTHONPATH, so every Python process of the
run (pytest, the live server's threads, the Celery workers and manage.py commands the tests
start) reads that date from time.time() and datetime.now(), and the clock runs on from there.
It proves that the suite does not depend on the machine's date. Tests use it too, to start a
child process at the test's pinned moment (tests/clock.py's subprocess_env()). libfaketime would do this for
every process, but with it Python 3.11's timed waits (Event.wait, Barrier) never return, or
time.sleep() fails with EINVAL. PostgreSQL, Redis and Chromium keep the real clock.
"""

import os

_moment = os.environ.get("SUPPORTDESK_MACHINE_DATE")
if _moment:
    try:
        import time_machine
    except ImportError:  # an interpreter without the test dependencies (pip bootstrapping)
        pass
    else:
        time_machine.travel(_moment, tick=True).start()
