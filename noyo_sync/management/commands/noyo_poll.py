"""Run the Noyo poll by hand: what Celery beat runs every minute."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ...models import PollRun
from ...services import poll_group_connections


class Command(BaseCommand):
    help = "Send waiting Noyo connection requests and record status changes of open connections."

    def handle(self, *args: Any, **options: Any) -> None:
        run = poll_group_connections(trigger=PollRun.Trigger.COMMAND)
        seconds = (run.finished_at - run.started_at).total_seconds()
        summary = (f"Poll #{run.pk}: {run.get_outcome_display()} in {seconds:.1f} s; "
                   f"{run.pages} page(s), {run.seen} open connection(s) seen, {run.changed} "
                   f"changed, {run.sent} request(s) sent, {run.retries} retry(ies).")
        if run.outcome != PollRun.Outcome.OK:
            raise CommandError(f"{summary} {run.error} Statuses were kept as they were.")
        self.stdout.write(summary)
