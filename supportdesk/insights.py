"""Supervisor figures over cases, read from the per-day rollups (rollups.py, kept up to date by
the write path): a fixed number of queries whose cost follows the period's days, not its cases
(aggregates and GROUP BY over a few rows a day, never a loop over rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from supportdesk import clock

from .engine import Disposition, registry
from .models import Case, CaseDay, HandleTimeDay, OpenStepDay, SpecialistDay, StepDay
from .percentile import Percentile
from .rollups import ALL_FLOWS, BRANCH_KINDS, histogram_percentile

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


def share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def overview(period: Period, *, standing: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Started, finished, still open, abandoned; median and 90th-percentile handle time.

    The counts come from the rollups; abandoned (open and untouched for a day) is added up from
    the period's drop_off() rows, or from ``standing``, those rows when the caller has them
    already (the dashboard). The percentiles are exact (percentile_cont over the closed cases) while the
    period has at most EXACT_PERCENTILES_UP_TO closed cases, and from the handle-time buckets
    beyond: within 0.5 s + 2.3 % of the exact figure (rollups.histogram_percentile)."""
    rows = _rolled(period, CaseDay).aggregate(
        started=Sum("cases"),
        finished=Sum("cases", filter=Q(status=Case.Status.CLOSED)),
        open=Sum("cases", filter=Q(status=Case.Status.OPEN)),
        # Waiting on a date, a request or a carrier: neither finished nor abandoned.
        waiting=Sum("cases", filter=Q(status=Case.Status.WAITING)),
        # Reopened by their specialist to change an answer after the outcome; counted once,
        # at their final disposition.
        reopened=Sum("cases", filter=Q(reopened=True)),
    )
    figures: dict[str, Any] = {name: count or 0 for name, count in rows.items()}
    figures["abandoned"] = sum(row["abandoned"] for row in
                               (drop_off(period) if standing is None else standing))
    figures.update(_handle_times(period, figures["finished"]))
    figures["finished_share"] = share(figures["finished"], figures["started"])
    return figures


# Up to this many closed cases in the period, handle-time percentiles are computed exactly from
# the cases (a sort of at most this many values, a few tens of milliseconds); beyond, from the
# rollup's buckets, whose cost does not grow with the period's cases.
EXACT_PERCENTILES_UP_TO = 20_000


def _handle_times(period: Period, closed: int) -> dict[str, dt.timedelta | None]:
    if closed <= EXACT_PERCENTILES_UP_TO:
        handle = F("closed_at") - F("opened_at")
        return period.cases().filter(status=Case.Status.CLOSED).aggregate(
            median=Percentile(handle, 0.5), p90=Percentile(handle, 0.9))
    counts = dict(_rolled(period, HandleTimeDay).values("bucket").annotate(n=Sum("cases"))
                  .values_list("bucket", "n"))
    return {"median": histogram_percentile(counts, 0.5),
            "p90": histogram_percentile(counts, 0.9)}


def cases_per_day(period: Period) -> list[dict[str, Any]]:
    """Cases opened on each day of the period (days in TIME_ZONE), days without cases as 0:
    one GROUP BY over the day's rollup rows, however many cases."""
    counts = dict(
        _days(period, CaseDay, period.start, period.end).values("day").annotate(count=Sum("cases")).order_by("day")
        .values_list("day", "count")
    )
    days = (period.end - period.start).days + 1
    return [
        {"day": day, "count": counts.get(day, 0)}
        for day in (period.start + dt.timedelta(days=n) for n in range(days))
    ]


def dispositions(period: Period) -> list[dict[str, Any]]:
    rows = list(
        _rolled(period, CaseDay).filter(status=Case.Status.CLOSED)
        .values("disposition").annotate(count=Sum("cases")).filter(count__gt=0)
        .order_by("-count", "disposition")
    )
    total = sum(row["count"] for row in rows)
    labels = dict(Disposition.choices)
    return [
        {"label": labels.get(row["disposition"], row["disposition"]), "key": row["disposition"],
         "count": row["count"], "share": share(row["count"], total)}
        for row in rows
    ]


def drop_off(period: Period) -> list[dict[str, Any]]:
    """Where open cases stand, and how many of them are abandoned there (untouched for
    ABANDONED_AFTER). The open counts come from the OpenStepDay rollup; abandoned depends on
    now, so it is the open count less the open cases touched since: a read of the partial
    index case_open_recent that follows the last day's work, not how many cases have stood
    open for good (some 60,000 in a year of a large team)."""
    touched = {
        (row["flow_key"], row["current_step"]): row["n"]
        for row in _open_cases(period).filter(updated_at__gte=clock.now() - ABANDONED_AFTER)
        .values("flow_key", "current_step").annotate(n=Count("pk")).order_by()
    }
    rows = (
        _rolled(period, OpenStepDay).values("flow_key", "current_step")
        .annotate(open=Sum("cases")).filter(open__gt=0)
        .order_by("-open", "flow_key", "current_step")
    )
    return [{**row, "abandoned": row["open"] - touched.get((row["flow_key"], row["current_step"]), 0),
             "flow": _flow_title(row["flow_key"]),
             "step": _step_title(row["flow_key"], row["current_step"])} for row in rows]


# The answer shown for a step answered without a branch (a form's details, an instruction
# continued, a wait resumed): each is counted once per step, whatever was typed.
ONE_WAY_ON = "Continued"


def top_branches(period: Period, limit: int = 15) -> list[dict[str, Any]]:
    """The answers and automatic branches taken most often (ties in the order of flow, step
    and answer). A step with one way on (rollups.branch_taken) is one row, shown as
    ONE_WAY_ON and charted by its step's title."""
    rows = (
        _rolled(period, StepDay).filter(kind__in=BRANCH_KINDS)
        .values("flow_key", "step_key", "step_title", "answer")
        .annotate(count=Sum("taken")).filter(count__gt=0)
        .order_by("-count", "step_key", "flow_key", "step_title", "answer")[:limit]
    )
    return [branch_row(row["flow_key"], row["step_key"], row["step_title"], row["answer"],
                       row["count"]) for row in rows]


def branch_row(flow_key: str, step_key: str, step_title: str, answer: str,
               count: int) -> dict[str, Any]:
    step = step_title or _step_title(flow_key, step_key)
    return {"flow": _flow_title(flow_key), "step": step, "answer": answer or ONE_WAY_ON,
            "label": answer or step, "count": count}


def specialists(period: Period) -> list[dict[str, Any]]:
    """Cases each specialist started and finished in the period: over all flows from the rows
    that count every flow together (rollups.ALL_FLOWS), a row per specialist a day."""
    rows = (
        SpecialistDay.objects.filter(_spanning(period.start, period.end),
                                     flow_key=period.flow_key or ALL_FLOWS)
        .values("specialist__username", "specialist__first_name", "specialist__last_name")
        .annotate(started=Sum("cases"), finished=Sum("cases", filter=Q(closed=True)))
        .filter(started__gt=0)
        .order_by("-started", "specialist__username")
    )
    return [
        {"name": f"{r['specialist__first_name']} {r['specialist__last_name']}".strip()
         or r["specialist__username"], "started": r["started"], "finished": r["finished"] or 0}
        for r in rows
    ]


def step_traffic(period: Period) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """How many times each step was passed, and each branch (step key, stored value) taken.

    Counted from the transcript's step events (through the rollups); a case that went back and
    answered again counts twice, which is what a reviewer of the flow's wording wants to see."""
    taken = _rolled(period, StepDay)
    steps = {
        row["step_key"]: row["count"]
        for row in taken.values("step_key").annotate(count=Sum("taken")).filter(count__gt=0)
    }
    branches = {  # the steps with one way on have no branch (rollups.branch_taken)
        (row["step_key"], str(row["value"])): row["count"]
        for row in taken.filter(kind__in=BRANCH_KINDS, value__isnull=False)
        .values("step_key", "value").annotate(count=Sum("taken")).filter(count__gt=0)
    }
    return steps, branches


Rollup = TypeVar("Rollup", CaseDay, SpecialistDay, StepDay, HandleTimeDay, OpenStepDay)


def _rolled(period: Period, model: type[Rollup]) -> QuerySet[Rollup]:
    """The rollup rows that count the period's cases (and flow) once each: the month rows of the
    whole months inside the period, the day rows of the days before and after them. A year
    reads about 12 month rows and up to 60 day rows per key instead of 365 day rows. Only for
    sums over the period: a figure by day reads _days()."""
    rows = model.objects.filter(_spanning(period.start, period.end))
    return rows.filter(flow_key=period.flow_key) if period.flow_key else rows


def _spanning(start: dt.date | None, end: dt.date | None) -> Q:
    """The rollup rows of the days from ``start`` to ``end`` (None: unbounded), each day counted
    once: month rows for the whole months, day rows for the edge days."""
    days = Q(month=False, **({"day__gte": start} if start else {}),
             **({"day__lte": end} if end else {}))
    if start is not None and start >= dt.date(9999, 12, 2):
        return days  # no whole month after it (and no month after December 9999)
    first = start if start is None or start.day == 1 else _next_month(start)
    # The first day of the first month not whole in the period; none after 9999-12-31.
    past = None if end is None or end == dt.date.max else (end + dt.timedelta(days=1)).replace(day=1)
    if first is not None and past is not None and first >= past:  # no whole month inside
        return days
    rows = Q(month=True, **({"day__gte": first} if first else {}),
             **({"day__lt": past} if past else {}))
    if start is not None and first is not None and start < first:
        rows |= Q(month=False, day__gte=start, day__lt=first)
    if end is not None and past is not None and past <= end:
        rows |= Q(month=False, day__gte=past, day__lte=end)
    return rows


def cases_counted(*, start: dt.date | None, end: dt.date | None, flow_keys: list[str] | None,
                  status: str, disposition: str, reopened: bool | None) -> int:
    """The cases opened from ``start`` to ``end`` (days in TIME_ZONE; None: unbounded) in
    ``flow_keys`` (None: any) that stand at ``status`` and ``disposition`` ("": any), reopened
    or not (None: either), counted from the CaseDay rollup: the case list's total without a
    COUNT(*) over the year's cases."""
    rows = CaseDay.objects.filter(_spanning(start, end))
    if flow_keys is not None:
        rows = rows.filter(flow_key__in=flow_keys)
    if status:
        rows = rows.filter(status=status)
    if disposition:
        rows = rows.filter(disposition=disposition)
    if reopened is not None:
        rows = rows.filter(reopened=reopened)
    return rows.aggregate(n=Sum("cases"))["n"] or 0


def _days(period: Period, model: type[Rollup], start: dt.date, end: dt.date) -> QuerySet[Rollup]:
    """The day rows from ``start`` to ``end`` (and the period's flow)."""
    rows = model.objects.filter(month=False, day__range=(start, end))
    return rows.filter(flow_key=period.flow_key) if period.flow_key else rows


def _next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _open_cases(period: Period) -> QuerySet[Case]:
    return period.cases().filter(status=Case.Status.OPEN)


def _flow_title(key: str) -> str:
    flow = registry.get(key)
    return flow.title if flow else key


def _step_title(flow_key: str, step_key: str) -> str:
    flow = registry.get(flow_key)
    step = flow.step(step_key) if flow else None
    return step.title if step else step_key
