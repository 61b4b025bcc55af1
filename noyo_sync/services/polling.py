"""The poller: send what waited, then read Noyo's connections page by page and record changes.

Idempotent: a status is written (with its history row) only when it differs from ours, each page
in one transaction with our rows locked, so two polls at once cannot both record a change. When
Noyo is unreachable (5xx, 429/503, timeouts) a call is retried with backoff; if it still fails the
run ends as an outage, the statuses we hold stay as they were (nothing is ever marked failed
because Noyo could not be reached), and every page already read stays recorded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.db import transaction

from supportdesk import clock
from supportdesk.audit import audit

from .. import rules
from ..models import GroupConnection, GroupConnectionEvent, PollRun
from ..transport import NoyoError, NoyoTransport, NoyoUnavailable, Page
from .connections import group_connection_send, tell_case

logger = logging.getLogger(__name__)
# The statuses that can still change at Noyo: what the poll asks Noyo for and watches here.
WATCHED = tuple(sorted(status.value for status in rules.WATCHED_STATUSES))

S = rules.ConnectionStatus
T = TypeVar("T")

DEFAULT_PAGE_SIZE = 100
MAX_ATTEMPTS = 4  # the first call and three retries
BACKOFF_BASE_S = 1.0  # 1 s, 2 s, 4 s; a longer Retry-After from Noyo wins
BACKOFF_CAP_S = 30.0
SEND_PER_RUN = 200  # waiting requests sent per run; the rest wait for the next minute


class _Backoff:
    def __init__(self, run: PollRun, sleep: Callable[[float], None], attempts: int, base: float) -> None:
        self.run, self.sleep, self.attempts, self.base = run, sleep, attempts, base

    def __call__(self, call: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except NoyoUnavailable as error:
                if attempt == self.attempts:
                    raise
                wait = min(max(self.base * 2 ** (attempt - 1), error.retry_after or 0), BACKOFF_CAP_S)
                logger.info("Noyo unavailable (%s); retry %s in %.1f s", error.message, attempt, wait)
                self.run.retries += 1
                self.sleep(wait)
        raise AssertionError("unreachable")


def _apply_page(page: Page, run: PollRun) -> tuple[int, int]:
    """Record the changes one page shows for our open connections: (seen, changed)."""
    remote = {connection.id: connection for connection in page.connections}
    seen = changed = 0
    with transaction.atomic():
        rows = list(GroupConnection.objects.select_for_update()
                    .filter(noyo_id__in=list(remote), status__in=WATCHED)
                    .only("pk", "noyo_id", "status", "status_changed_at", "case_id",
                          "carrier_group_id", "noyo_modified"))
        now = clock.now()
        events = []
        updated = []
        for row in rows:
            status = rules.noyo_status(remote[row.noyo_id].status)
            seen += 1
            if status is None:
                logger.warning("Noyo sent an unknown status %r for connection %s; kept %s",
                               remote[row.noyo_id].status, row.pk, row.status)
                continue
            if status == row.status:
                continue
            modified = remote[row.noyo_id].modified
            if modified and modified < row.noyo_modified:  # a webhook brought a newer one
                continue
            events.append(GroupConnectionEvent(
                connection_id=row.pk, kind=GroupConnectionEvent.Kind.STATUS, status=status,
                previous_status=row.status, seen_at=now, poll_run=run,
            ))
            row.status, row.status_changed_at = status, now
            row.noyo_modified = max(row.noyo_modified, modified)
            updated.append(row)
        if updated:
            GroupConnection.objects.bulk_update(updated, ["status", "status_changed_at", "noyo_modified"])
            GroupConnectionEvent.objects.bulk_create(events)
            for row in updated:  # the cases waiting on them hear of it (few: most have none)
                tell_case(row)
            changed = len(updated)
            # One entry per page that changed something (each connection's history has the
            # detail); a poll that changed nothing is recorded by its PollRun alone.
            audit(user=None, action="noyo_poll.changes", obj=run, summary=(
                f"Poll #{run.pk} ({run.get_trigger_display()}): {changed} connection "
                f"status{'es' if changed != 1 else ''} changed: "
                + ", ".join(f"#{row.pk} {row.get_status_display()}" for row in updated[:20])
                + (" …" if changed > 20 else "")
            ))
    return seen, changed


def poll_group_connections(
    *, trigger: str = PollRun.Trigger.BEAT, transport: NoyoTransport | None = None,
    sleep: Callable[[float], None] = time.sleep, page_size: int | None = None,
    attempts: int = MAX_ATTEMPTS, backoff_base: float | None = None, watch: bool = True,
) -> PollRun:
    """Send the requests still waiting for Noyo, then (``watch``) list what can still change.
    Beat sends every minute and watches every NOYO_POLL_MINUTES: webhooks bring the changes."""
    run = PollRun.objects.create(trigger=trigger)
    owned = transport is None
    transport = transport or NoyoTransport.from_settings()
    page_size = page_size or int(getattr(settings, "NOYO_PAGE_SIZE", DEFAULT_PAGE_SIZE))
    if backoff_base is None:
        backoff_base = float(getattr(settings, "NOYO_BACKOFF_SECONDS", BACKOFF_BASE_S))
    with_backoff = _Backoff(run, sleep, attempts, backoff_base)
    carrier_id = settings.NOYO_CARRIER_ID
    try:
        waiting = GroupConnection.objects.filter(
            status__in=GroupConnection.TRANSITIONS["send"]).order_by("pk")
        for connection_id in waiting.values_list("pk", flat=True)[:SEND_PER_RUN]:
            sent = with_backoff(partial(group_connection_send, connection_id=connection_id,
                                        transport=transport, poll_run=run))
            run.sent += int(sent.status != S.NOT_SENT)

        watched = GroupConnection.objects.filter(status__in=WATCHED)
        offset: int | None = 0 if watch and watched.exclude(noyo_id="").exists() else None
        # Only what can still change: Noyo filters by status, so a year of completed
        # connections is not listed every time.
        while offset is not None:
            page = with_backoff(partial(transport.list_group_connections, carrier_id=carrier_id,
                                        statuses=WATCHED, offset=offset, page_size=page_size))
            seen, changed = _apply_page(page, run)
            run.pages, run.seen, run.changed = run.pages + 1, run.seen + seen, run.changed + changed
            offset = page.next_offset
        run.outcome = PollRun.Outcome.OK
    except NoyoUnavailable as error:
        run.outcome, run.error = PollRun.Outcome.OUTAGE, error.message[:500]
        logger.warning("Noyo poll %s: Noyo unreachable, statuses kept (%s)", run.pk, error.message)
    except NoyoError as error:
        run.outcome, run.error = PollRun.Outcome.REFUSED, error.message[:500]
        logger.warning("Noyo poll %s: %s", run.pk, error.message)
    finally:
        if owned:
            transport.close()
        run.finished_at = clock.now()
        run.save()
    return run


def noyo_health() -> dict[str, object]:
    """What the pages say about Noyo: the last poll, and since when it has been unreachable."""
    finished = PollRun.objects.exclude(outcome=PollRun.Outcome.RUNNING)
    last = finished.first()
    last_ok = finished.filter(outcome=PollRun.Outcome.OK).first()
    down_since = None
    if last is not None and last.outcome != PollRun.Outcome.OK:
        failing = finished.exclude(outcome=PollRun.Outcome.OK)
        if last_ok is not None:
            failing = failing.filter(started_at__gt=last_ok.started_at)
        down_since = failing.order_by("started_at").values_list("started_at", flat=True).first()
    return {"last_poll": last, "last_ok": last_ok, "down_since": down_since}
