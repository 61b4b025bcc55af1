"""Access Management figures for the supervisor dashboard, computed in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Min, OuterRef, Q, Subquery

from supportdesk import clock
from supportdesk.insights import Percentile, Period

from .models import ECBatchRun, ECRequest, ECRequestEvent, RejectReason

AGE_BUCKETS = (("Under 1 day", 0, 1), ("1–3 days", 1, 3), ("3–7 days", 3, 7), ("Over 7 days", 7, None))


def open_by_age() -> list[dict[str, Any]]:
    now = clock.now()
    filters = {}
    for index, (_label, low, high) in enumerate(AGE_BUCKETS):
        q = Q(created_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            q &= Q(created_at__gt=now - dt.timedelta(days=high))
        filters[f"bucket{index}"] = Count("pk", filter=q)
    counts = ECRequest.objects.filter(state__in=ECRequest.OPEN_STATES).aggregate(**filters)
    return [{"bucket": label, "count": counts[f"bucket{i}"]}
            for i, (label, _, _) in enumerate(AGE_BUCKETS)]


def turnaround(period: Period) -> dict[str, Any]:
    """Median time from request to first claim, and from request to grant, for requests made
    in the period."""
    start, end = period.bounds
    first_claim = (
        ECRequestEvent.objects.filter(request=OuterRef("pk"), kind=ECRequestEvent.Kind.CLAIMED)
        .values("request").annotate(at=Min("created_at")).values("at")
    )
    return (
        ECRequest.objects.filter(created_at__range=(start, end))
        .annotate(claimed=Subquery(first_claim))
        .aggregate(
            requests=Count("pk"),
            to_claim=Percentile(F("claimed") - F("created_at"), 0.5, filter=Q(claimed__isnull=False)),
            to_grant=Percentile(F("decided_at") - F("created_at"), 0.5, filter=Q(state="granted")),
            granted=Count("pk", filter=Q(state="granted")),
            rejected=Count("pk", filter=Q(state="rejected")),
        )
    )


def rejections(period: Period) -> list[dict[str, Any]]:
    start, end = period.bounds
    labels = dict(RejectReason.choices)
    rows = (
        ECRequest.objects.filter(state="rejected", decided_at__range=(start, end))
        .values("reject_reason").annotate(count=Count("pk")).order_by("-count")
    )
    return [{"reason": labels.get(r["reject_reason"], r["reject_reason"]), "count": r["count"]}
            for r in rows]


def batch_runs(limit: int = 8) -> list[ECBatchRun]:
    return list(ECBatchRun.objects.defer("spreadsheet").select_related("started_by")[:limit])
