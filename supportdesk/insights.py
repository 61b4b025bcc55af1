"""Supervisor figures over cases, computed in the database: a fixed number of queries whatever
the number of cases (aggregates and GROUP BY, never a loop over rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from supportdesk import clock

from .engine import Disposition, registry
from .models import Case, CaseEvent
from .percentile import Percentile

TAKEN_KINDS = (CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK, CaseEvent.Kind.ACTION,
               CaseEvent.Kind.OUTCOME)

# A case still open this long after its last step counts as abandoned at that step.
ABANDONED_AFTER = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    flow_key: str = ""

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tz),
            dt.datetime.combine(self.end, dt.time.max, tz),
        )

    def cases(self) -> QuerySet[Case]:
        start, end = self.bounds
        cases = Case.objects.filter(opened_at__range=(start, end))
        return cases.filter(flow_key=self.flow_key) if self.flow_key else cases

    def events(self) -> QuerySet[CaseEvent]:
        start, end = self.bounds
        events = CaseEvent.objects.filter(case__opened_at__range=(start, end))
        return events.filter(case__flow_key=self.flow_key) if self.flow_key else events


def share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def overview(period: Period) -> dict[str, Any]:
    """Started, finished, still open, abandoned; median and 90th-percentile handle time."""
    stale = clock.now() - ABANDONED_AFTER
    figures = period.cases().aggregate(
        started=Count("pk"),
        finished=Count("pk", filter=Q(status=Case.Status.CLOSED)),
        open=Count("pk", filter=Q(status=Case.Status.OPEN)),
        abandoned=Count("pk", filter=Q(status=Case.Status.OPEN, updated_at__lt=stale)),
        # Waiting on a date, a request or a carrier: neither finished nor abandoned.
        waiting=Count("pk", filter=Q(status=Case.Status.WAITING)),
        # Reopened by their specialist to change an answer after the outcome; counted once,
        # at their final disposition.
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        median=Percentile(F("closed_at") - F("opened_at"), 0.5, filter=Q(status="closed")),
        p90=Percentile(F("closed_at") - F("opened_at"), 0.9, filter=Q(status="closed")),
    )
    figures["finished_share"] = share(figures["finished"], figures["started"])
    return figures


def cases_per_day(period: Period) -> list[dict[str, Any]]:
    """Cases opened on each day of the period (days in TIME_ZONE), days without cases as 0:
    one GROUP BY query, however many cases."""
    counts = dict(
        period.cases()
        .annotate(day=TruncDate("opened_at", tzinfo=timezone.get_current_timezone()))
        .values("day").annotate(count=Count("pk")).order_by("day")
        .values_list("day", "count")
    )
    days = (period.end - period.start).days + 1
    return [
        {"day": day, "count": counts.get(day, 0)}
        for day in (period.start + dt.timedelta(days=n) for n in range(days))
    ]


def dispositions(period: Period) -> list[dict[str, Any]]:
    rows = list(
        period.cases().filter(status=Case.Status.CLOSED)
        .values("disposition").annotate(count=Count("pk")).order_by("-count", "disposition")
    )
    total = sum(row["count"] for row in rows)
    labels = dict(Disposition.choices)
    return [
        {"label": labels.get(row["disposition"], row["disposition"]), "key": row["disposition"],
         "count": row["count"], "share": share(row["count"], total)}
        for row in rows
    ]


def drop_off(period: Period) -> list[dict[str, Any]]:
    """Where open cases stand, and how many of them are abandoned there."""
    stale = clock.now() - ABANDONED_AFTER
    rows = (
        period.cases().filter(status=Case.Status.OPEN)
        .values("flow_key", "current_step")
        .annotate(open=Count("pk"), abandoned=Count("pk", filter=Q(updated_at__lt=stale)))
        .order_by("-open", "flow_key", "current_step")
    )
    return [{**row, "flow": _flow_title(row["flow_key"]),
             "step": _step_title(row["flow_key"], row["current_step"])} for row in rows]


def top_branches(period: Period, limit: int = 15) -> list[dict[str, Any]]:
    """The answers and automatic branches taken most often."""
    rows = (
        period.events().filter(kind__in=[CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK])
        .values("case__flow_key", "step_key", "step_title", "answer")
        .annotate(count=Count("pk")).order_by("-count", "step_key")[:limit]
    )
    return [
        {"flow": _flow_title(row["case__flow_key"]),
         "step": row["step_title"] or _step_title(row["case__flow_key"], row["step_key"]),
         "answer": row["answer"], "count": row["count"]}
        for row in rows
    ]


def specialists(period: Period) -> list[dict[str, Any]]:
    rows = (
        period.cases()
        .values("opened_by__username", "opened_by__first_name", "opened_by__last_name")
        .annotate(started=Count("pk"), finished=Count("pk", filter=Q(status="closed")))
        .order_by("-started", "opened_by__username")
    )
    return [
        {"name": f"{r['opened_by__first_name']} {r['opened_by__last_name']}".strip()
         or r["opened_by__username"], "started": r["started"], "finished": r["finished"]}
        for r in rows
    ]


def step_traffic(period: Period) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """How many times each step was passed, and each branch (step key, stored value) taken.

    Counted from the transcript's step events; a case that went back and answered again counts
    twice, which is what a reviewer of the flow's wording wants to see (and it avoids a
    COUNT(DISTINCT) over millions of events)."""
    events = period.events().filter(kind__in=TAKEN_KINDS)
    steps = {
        row["step_key"]: row["count"]
        for row in events.values("step_key").annotate(count=Count("pk"))
    }
    branches = {
        (row["step_key"], str(row["value"])): row["count"]
        for row in events.filter(kind__in=[CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK])
        .values("step_key", "value").annotate(count=Count("pk"))
    }
    return steps, branches


def _flow_title(key: str) -> str:
    flow = registry.get(key)
    return flow.title if flow else key


def _step_title(flow_key: str, step_key: str) -> str:
    flow = registry.get(flow_key)
    step = flow.step(step_key) if flow else None
    return step.title if step else step_key
