"""Celery tasks for EC access. Beat runs the weekly batch on Monday morning (CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db.models import Max

from supportdesk import clock

from .models import ECBatchRun
from .services.batch import ec_batch_run, previous_week

logger = logging.getLogger(__name__)


# Celery beat reserves a schedule entry before it sends the message: if the broker is down at
# Monday 06:00, the send fails, beat logs "Message Error" and waits for next Monday, and that
# week's new groups would never be queued. So a run also runs the finished weeks after the last
# one that ran, at most CATCH_UP_WEEKS back: an outage makes a week late, never lost, and since
# a week runs once (ECBatchRun.week_start is unique) catching up never doubles anything.
CATCH_UP_WEEKS = 4


def weeks_due(today: dt.date, last_run_week: dt.date | None) -> list[dt.date]:
    """The registration weeks a scheduled run on ``today`` runs, oldest first: last week, and any
    week between the last run and it that was missed. With no run yet, last week only."""
    last_week = previous_week(today)
    if last_run_week is None or last_run_week >= last_week:
        return [last_week]
    week = max(last_run_week + dt.timedelta(weeks=1),
               last_week - dt.timedelta(weeks=CATCH_UP_WEEKS - 1))
    weeks = []
    while week <= last_week:
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    return weeks


@shared_task(acks_late=True, ignore_result=True)
def run_weekly_ec_batch(week_of: str | None = None) -> dict[str, object]:
    """Run the weekly new-group batch for last week's registrations, and any week missed since
    the last run (or only the week of ``week_of``, YYYY-MM-DD).

    acks_late: a worker that dies mid-run leaves the message to be delivered again. That is safe
    because the service is idempotent: the run is one transaction keyed on its week, so a second
    delivery (or a second worker racing the first) finds the week done and creates nothing.
    """
    today = clock.today()
    if week_of:
        weeks = [dt.date.fromisoformat(week_of)]
    else:
        weeks = weeks_due(today, ECBatchRun.objects.aggregate(last=Max("week_start"))["last"])
    for week in weeks:
        result = ec_batch_run(week_of=week, trigger=ECBatchRun.Trigger.BEAT, today=today)
        if result.already_ran:
            logger.info("EC batch for the week of %s already ran: nothing new queued",
                        result.week_start)
    return {
        "weeks": [week.isoformat() for week in weeks],
        "week_start": result.week_start.isoformat(),
        "created": result.created,
        "seen": result.counts.seen,
        "queued": result.counts.queued,
        "ineligible": result.counts.ineligible,
        "skipped": result.counts.skipped,
    }
