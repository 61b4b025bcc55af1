"""Run the Noyo poll by hand: what Celery beat runs every minute."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...models import PollRun
from ...services import poll_group_connections

SANDBOX_PATH = "/noyo/sandbox"


class Command(BaseCommand):
    help = "Send waiting Noyo connection requests and record status changes of open connections."

    def handle(self, *args: Any, **options: Any) -> None:
        run = poll_group_connections(trigger=PollRun.Trigger.COMMAND)
        if run.finished_at is None:
            raise ValueError(f"poll #{run.pk} returned unfinished")
        seconds = (run.finished_at - run.started_at).total_seconds()
        summary = (f"Poll #{run.pk}: {run.get_outcome_display()} in {seconds:.1f} s; "
                   f"{run.pages} page(s), {run.seen} open connection(s) seen, {run.changed} "
                   f"changed, {run.sent} request(s) sent, {run.retries} retry(ies).")
        if run.outcome != PollRun.Outcome.OK:
            raise CommandError(f"{summary} {run.error} Statuses were kept as they were."
                               + unreachable_hint(run))
        self.stdout.write(summary)


def unreachable_hint(run: PollRun) -> str:
    """Where the poll went, and, for this app's own sandbox, how to start it."""
    if run.outcome != PollRun.Outcome.OUTAGE:
        return ""
    address = urlsplit(settings.NOYO_BASE_URL)
    shown = address._replace(netloc=address.netloc.rpartition("@")[2]).geturl()  # no credentials
    hint = f"\nTried Noyo at {shown}."
    if address.path.rstrip("/").endswith(SANDBOX_PATH):
        hint += (" That is SupportDesk's own sandbox: if no server answers there, start one with "
                 "`make run` (this command then reads its address from var/server.env), or set "
                 "SUPPORTDESK_SITE_URL (or NOYO_BASE_URL) to where it listens.")
    return hint
