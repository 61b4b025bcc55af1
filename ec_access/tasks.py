"""Celery tasks for EC access. Beat runs the weekly batch on Monday morning (CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from .models import ECBatchRun
from .services.batch import ec_batch_run, previous_week

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def run_weekly_ec_batch(week_of: str | None = None) -> dict[str, object]:
    """Run the weekly new-group batch for last week's registrations (or the week of ``week_of``,
    YYYY-MM-DD).

    acks_late: a worker that dies mid-run leaves the message to be delivered again. That is safe
    because the service is idempotent: the run is one transaction keyed on its week, so a second
    delivery (or a second worker racing the first) finds the week done and creates nothing.
    """
    today = timezone.localdate()
    week = dt.date.fromisoformat(week_of) if week_of else previous_week(today)
    result = ec_batch_run(week_of=week, trigger=ECBatchRun.Trigger.BEAT, today=today)
    if result.already_ran:
        logger.info("EC batch for the week of %s already ran: nothing new queued", result.week_start)
    return {
        "week_start": result.week_start.isoformat(),
        "created": result.created,
        "seen": result.counts.seen,
        "queued": result.counts.queued,
        "ineligible": result.counts.ineligible,
        "skipped": result.counts.skipped,
    }
