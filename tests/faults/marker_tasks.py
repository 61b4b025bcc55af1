"""A task for tests that kill real workers: it notes each delivery in a file, then sleeps.

Loaded into a test's worker with ``celery worker --include tests.faults.marker_tasks``; the app
never imports it.
"""

from __future__ import annotations

import os
import time

from celery import shared_task


@shared_task(name="tests.mark_delivery")
def mark_delivery(path: str, sleep: float = 0.0) -> int:
    with open(path, "a") as marks:
        marks.write(f"{os.getpid()}\n")
    time.sleep(sleep)
    with open(path) as marks:
        return len(marks.read().split())
