"""Reading escalations for the pages: filters, and the weekly SLA figures (database aggregates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from supportdesk.lists import FormFilterSet

from . import rules
from .forms import EscalationFilterForm
from .models import Escalation

DUE_SOON = dt.timedelta(hours=24)


class EscalationFilter(FormFilterSet):
    """The supervisor's filters (EscalationFilterForm): state, line, owner, and due against
    ``now``; the next due first."""

    state = django_filters.Filter(method="filter_state")
    line_of_business = django_filters.Filter(field_name="line_of_business")
    owner = django_filters.Filter(field_name="owner")
    due = django_filters.Filter(method="filter_due")

    class Meta:
        form = EscalationFilterForm

    def __init__(self, data: Any, *, now: dt.datetime) -> None:
        super().__init__(data, queryset=Escalation.objects.select_related("owner", "case").order_by(
            F("next_due_at").asc(nulls_last=True), "-created_at", "-pk"
        ))
        self.now = now

    def filter_state(self, escalations: QuerySet[Escalation], name: str, value: str) -> QuerySet[Escalation]:
        if value == "open":
            return escalations.filter(status__in=Escalation.OPEN_STATES)
        return escalations.filter(status=value)

    def filter_due(self, escalations: QuerySet[Escalation], name: str, value: str) -> QuerySet[Escalation]:
        if value == "overdue":
            return escalations.filter(next_due_at__lte=self.now)
        if value == "due_24h":
            return escalations.filter(next_due_at__gt=self.now, next_due_at__lte=self.now + DUE_SOON)
        if value == "on_track":
            return escalations.filter(next_due_at__gt=self.now)
        return escalations


def open_counts(*, now: dt.datetime) -> dict[str, int]:
    return Escalation.objects.filter(status__in=Escalation.OPEN_STATES).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(next_due_at__lte=now)),
        due_soon=Count("pk", filter=Q(next_due_at__gt=now, next_due_at__lte=now + DUE_SOON)),
    )


@dataclass(frozen=True)
class WeekFigures:
    week: dt.date
    sent: int
    measured: int  # responded, or the 72 hours are up
    on_time: int  # responded within 72 hours
    follow_ups_missed: int
    compliant: int  # on time, and no follow-up missed

    @property
    def rate(self) -> float | None:
        return rules.compliance_rate(self.compliant, self.measured)

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate:.0%}"


def weekly_compliance(*, now: dt.datetime, weeks: int = 12) -> list[WeekFigures]:
    """SLA compliance per week of sending (local weeks, Monday first), newest first.

    An escalation is measured once it was answered or its 72 hours are up; it complies when the
    response came within 72 hours and no follow-up due point was missed (the beat task counts
    those as it marks them overdue).
    """
    today = timezone.localdate(now)
    first_week = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = timezone.make_aware(dt.datetime.combine(first_week, dt.time.min))
    on_time = Q(responded_at__isnull=False, responded_at__lte=F("response_due_at"))
    rows = (
        Escalation.objects.filter(sent_at__gte=since)
        .annotate(week=TruncWeek("sent_at"))
        .values("week")
        .annotate(
            sent=Count("pk"),
            measured=Count("pk", filter=Q(responded_at__isnull=False)
                           | Q(response_due_at__lte=now)),
            on_time=Count("pk", filter=on_time),
            compliant=Count("pk", filter=on_time & Q(follow_ups_missed=0)),
            follow_ups_missed=Sum("follow_ups_missed"),
        )
        .order_by("-week")
    )
    return [
        WeekFigures(
            week=timezone.localtime(row["week"]).date() if isinstance(row["week"], dt.datetime)
            else row["week"],
            sent=row["sent"], measured=row["measured"], on_time=row["on_time"],
            follow_ups_missed=row["follow_ups_missed"] or 0, compliant=row["compliant"],
        )
        for row in rows
    ]
