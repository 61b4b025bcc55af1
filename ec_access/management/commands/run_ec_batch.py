"""manage.py run_ec_batch [--week YYYY-MM-DD] [--dry-run]: the weekly new-group EC batch by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from ec_access.models import ECBatchRun
from ec_access.services.batch import (
    BatchRefused,
    BatchResult,
    batch_page_path,
    ec_batch_run,
    previous_week,
)
from supportdesk import clock

LINES_PRINTED = 20


def _week(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--week takes a date as YYYY-MM-DD (any day of the registration week), e.g. "
            f"2026-11-09; {value!r} is not one."
        ) from None


class Command(BaseCommand):
    help = (
        "Queue EC requests for the brand new groups registered on the Employer Portal in a week and "
        "e-mail Access Management the spreadsheet: the same run as the Monday schedule. A week runs "
        "once; running it again reports the earlier run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--week", metavar="YYYY-MM-DD",
            help="Any day of the registration week (Monday to Sunday). Default: last week.",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Print what the run would queue and leave out, then write and send nothing.",
        )

    def handle(self, *args: Any, week: str | None, dry_run: bool, **options: Any) -> None:
        today = clock.today()
        week_of = _week(week) if week else previous_week(today)
        try:
            result = ec_batch_run(
                week_of=week_of, trigger=ECBatchRun.Trigger.COMMAND, dry_run=dry_run, today=today
            )
        except BatchRefused as refused:
            raise CommandError(str(refused)) from refused
        self._report(result, dry_run)

    def _report(self, result: BatchResult, dry_run: bool) -> None:
        write = self.stdout.write
        write(f"Week of {result.week_start} (registrations {result.week_start} to {result.week_end})")
        if result.already_ran:
            run = result.run
            assert run is not None
            write(self.style.WARNING(
                f"This week already ran on {timezone.localtime(run.started_at):%Y-%m-%d %H:%M} "
                f"({run.get_trigger_display()}): nothing new was queued."
            ))
        elif dry_run:
            write(self.style.WARNING("Dry run: nothing was written or sent."))
        counts = result.counts
        verb = "would be queued" if dry_run and not result.already_ran else "queued"
        write(
            f"Groups seen: {counts.seen}; {verb}: {counts.queued}; not eligible: "
            f"{counts.ineligible}; skipped: {counts.skipped}"
        )
        if dry_run and not result.already_ran:
            for line in result.lines[:LINES_PRINTED]:
                write(f"  not queued: {line.group_number} {line.group_name}: {line.reason}")
            if len(result.lines) > LINES_PRINTED:
                write(f"  … and {len(result.lines) - LINES_PRINTED} more")
        if result.run is not None:
            run = result.run
            write(f"Duration: {run.duration_seconds:.2f} s")
            write(
                f"Spreadsheet: {batch_page_path(run.week_start)} "
                f"(download {reverse('ec_batch_spreadsheet', args=[run.pk])})"
            )
        else:
            write(f"Duration: {result.seconds:.2f} s")
        if result.created:
            write(self.style.SUCCESS("Done."))
