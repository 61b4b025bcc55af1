"""Celery tasks for Noyo: the poll and the webhook events (CELERY_BEAT_SCHEDULE runs the backstops)."""

from __future__ import annotations

from celery import shared_task

from .models import PollRun
from .services import poll_group_connections as poll
from .services.webhooks import webhook_process, webhook_process_pending


@shared_task(acks_late=True, ignore_result=True)
def send_waiting_noyo_requests() -> dict[str, object]:
    """Every minute: send the requests that are still waiting for Noyo (an outage, say)."""
    run = poll(trigger=PollRun.Trigger.BEAT, watch=False)
    return {"poll_run": run.pk, "outcome": run.outcome, "sent": run.sent}


@shared_task(acks_late=True, ignore_result=True)
def poll_group_connections() -> dict[str, object]:
    """Send waiting requests and record Noyo's status changes for the open connections.

    acks_late is safe because the poll is idempotent: a second delivery, or a run overlapping the
    next minute's, records a change only where our status still differs from Noyo's. An outage
    ends the run with the statuses kept; the next minute tries again."""
    run = poll(trigger=PollRun.Trigger.BEAT)
    return {"poll_run": run.pk, "outcome": run.outcome, "pages": run.pages, "seen": run.seen,
            "changed": run.changed, "sent": run.sent, "retries": run.retries}


@shared_task(acks_late=True, ignore_result=True)
def process_noyo_webhook(event_pk: int) -> str:
    """Apply one stored webhook event. Idempotent: a processed event is left as it is."""
    return webhook_process(event_pk)


@shared_task(acks_late=True, ignore_result=True)
def process_pending_noyo_webhooks() -> int:
    """Beat's backstop for events whose task was lost (the broker was down when they came)."""
    return webhook_process_pending()


@shared_task(ignore_result=True, expires=5)
def send_sandbox_webhooks() -> int:
    """The in-app sandbox's webhook round (beat, every 5 s); a no-op where the sandbox is off."""
    from .sandbox.webhooks import sandbox_send_webhooks

    return sandbox_send_webhooks()
