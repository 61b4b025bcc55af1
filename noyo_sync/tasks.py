"""Celery tasks for Noyo. Beat runs the poll every minute (CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from .models import PollRun
from .services import poll_group_connections as poll


@shared_task(acks_late=True, ignore_result=True)
def poll_group_connections() -> dict[str, object]:
    """Send waiting requests and record Noyo's status changes for the open connections.

    acks_late is safe because the poll is idempotent: a second delivery, or a run overlapping the
    next minute's, records a change only where our status still differs from Noyo's. An outage
    ends the run with the statuses kept; the next minute tries again."""
    run = poll(trigger=PollRun.Trigger.BEAT)
    return {"poll_run": run.pk, "outcome": run.outcome, "pages": run.pages, "seen": run.seen,
            "changed": run.changed, "sent": run.sent, "retries": run.retries}
