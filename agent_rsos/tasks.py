"""Celery tasks for the ARSOS mailbox. Beat runs send_sla_reminders every 15 minutes
(CELERY_BEAT_SCHEDULE["arsos-sla-reminders"])."""

from __future__ import annotations

import logging

from celery import shared_task

from .services import sla_reminders_send

logger = logging.getLogger(__name__)


@shared_task(name="agent_rsos.tasks.send_sla_reminders", acks_late=True, ignore_result=True)
def send_sla_reminders() -> int:
    """Mark escalations whose due point passed as overdue and e-mail their owners.

    Safe to run twice, or on two workers at once: a due point is reminded of once
    (SlaReminder's unique constraint), so a redelivered message sends nothing new.
    """
    sent = sla_reminders_send()
    if sent:
        logger.info("ARSOS SLA reminders sent: %d", sent)
    return sent
