"""ARSOS escalation SLA figures for the supervisor dashboard (no member data)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from supportdesk import clock
from supportdesk.insights import Period

from .models import Escalation, EscalationEvent, SlaReminder
from .queries import open_counts, weekly_compliance


def sla_figures(period: Period) -> dict[str, Any]:
    now = clock.now()
    start, end = period.bounds
    events = EscalationEvent.objects.filter(occurred_at__range=(start, end)).aggregate(
        follow_ups=Count("pk", filter=Q(kind=EscalationEvent.Kind.FOLLOW_UP)),
        resolved=Count("pk", filter=Q(kind=EscalationEvent.Kind.RESOLVED)),
    )
    overdue = (
        Escalation.objects.filter(status__in=Escalation.OPEN_STATES, next_due_at__lte=now)
        .select_related("owner")
        .only("pk", "line_of_business", "status", "next_due_at", "owner__username",
              "owner__first_name", "owner__last_name")
        .order_by("next_due_at")[:10]
    )
    return {
        "counts": open_counts(now=now),
        "weeks": weekly_compliance(now=now, weeks=6),
        "overdue": list(overdue),
        "follow_ups": events["follow_ups"],
        "resolved": events["resolved"],
        "reminders": SlaReminder.objects.filter(sent_at__range=(start, end)).count(),
    }
