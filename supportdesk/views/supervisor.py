"""Supervisor review: the case list with filters, one case's transcript, and its PDF."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import reduce
from typing import Any

import django_filters
from django.contrib import messages
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import clock, insights, rollups, services, subjects
from ..engine import CallerType, Disposition
from ..exports import FORMATS, export_response
from ..forms import CaseFilterForm, CaseReviewForm, case_date_presets, flow_areas
from ..http import AuthenticatedHttpRequest
from ..lists import FormFilterSet, paginate
from ..models import Case, CaseReview, parse_reference
from ..pdf import transcript_pdf
from ..roles import Role, role_required

PAGE_SIZE = 25


def _flow_keys(value: str) -> list[str]:
    """The flows the list's Flow filter means: an area's ("area:ec-reports") or one flow's."""
    areas = flow_areas()
    return list(areas[value][1]) if value in areas else [value]


class CaseFilter(FormFilterSet):
    """The supervisor's case list: CaseFilterForm's fields, newest case first."""

    q = django_filters.Filter(method="filter_reference_or_group")
    flow = django_filters.Filter(method="filter_flow")
    disposition = django_filters.Filter(field_name="disposition")
    status = django_filters.Filter(field_name="status")
    specialist = django_filters.Filter(field_name="opened_by")
    reviewed = django_filters.Filter(method="filter_reviewed")
    changed = django_filters.Filter(method="filter_changed")
    opened_from = django_filters.Filter(method="filter_opened_from")
    opened_to = django_filters.Filter(method="filter_opened_to")

    class Meta:
        form = CaseFilterForm

    def rolled_count(self) -> int | None:
        """The list's total from the CaseDay rollup (insights.cases_counted), when its filters
        are ones the rollup answers exactly: dates, flow, status, disposition, changed after
        the outcome, in days of TIME_ZONE (the rollup's). None otherwise: count the cases."""
        form = self.form
        if not form.is_valid() or timezone.get_current_timezone_name() != timezone.get_default_timezone_name():
            return None
        data = form.cleaned_data
        if data.get("q") or data.get("specialist") or data.get("reviewed"):
            return None
        start, end = data.get("opened_from"), data.get("opened_to")
        try:
            if not (_whole_day_from(start) and _whole_day_to(end)):
                return None
        except OverflowError:  # a date at the calendar's end: count the cases
            return None
        flow = data.get("flow") or ""
        flow_keys = _flow_keys(flow) if flow else None
        changed = data.get("changed") or ""
        return insights.cases_counted(
            start=start, end=end, flow_keys=flow_keys, status=data.get("status") or "",
            disposition=data.get("disposition") or "",
            reopened=None if not changed else changed == "yes")

    def filter_reference_or_group(self, cases: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        # A case number, or the value of a listed subject field (the group number).
        matches = [subjects.matching(field.name, value) for field in subjects.listed_subject_fields()]
        if (pk := parse_reference(value)) is not None:
            matches.append(Q(pk=pk))
        return cases.filter(reduce(operator.or_, matches)) if matches else cases.none()

    def filter_flow(self, cases: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return cases.filter(flow_key__in=_flow_keys(value))

    def filter_reviewed(self, cases: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        reviewed = Exists(CaseReview.objects.filter(case=OuterRef("pk")))
        return cases.filter(reviewed if value == "yes" else ~reviewed)

    def filter_changed(self, cases: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return cases.filter(reopen_count__gt=0) if value == "yes" else cases.filter(reopen_count=0)

    def filter_opened_from(self, cases: QuerySet[Case], name: str, value: date) -> QuerySet[Case]:
        return cases.filter(opened_at__gte=datetime.combine(value, time.min, timezone.get_current_timezone()))

    def filter_opened_to(self, cases: QuerySet[Case], name: str, value: date) -> QuerySet[Case]:
        return cases.filter(opened_at__lte=datetime.combine(value, time.max, timezone.get_current_timezone()))


def _whole_day_from(day: date | None) -> bool:
    """filter_opened_from's bound is where ``day`` begins in the rollups' days (no DST gap)."""
    if day is None:
        return True
    moment = datetime.combine(day, time.min, timezone.get_current_timezone())
    return (rollups.day_of(moment) == day
            and rollups.day_of(moment - timedelta(microseconds=1)) < day)


def _whole_day_to(day: date | None) -> bool:
    """filter_opened_to's bound is where ``day`` ends in the rollups' days."""
    if day is None:
        return True
    moment = datetime.combine(day, time.max, timezone.get_current_timezone())
    return (rollups.day_of(moment) == day
            and (day == date.max or rollups.day_of(moment + timedelta(microseconds=1)) > day))


def filter_cases(params: QueryDict) -> CaseFilter:
    return CaseFilter(params, queryset=Case.objects.select_related("opened_by").order_by("-opened_at", "-pk"))


@role_required(Role.SUPERVISOR)
@require_GET
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    cases = filter_cases(request.GET)
    page, query = paginate(request, cases.qs, PAGE_SIZE, count=cases.rolled_count())
    return render(request, "supervisor/case_list.html", {
        "form": cases.form,
        "page": page,
        "query": query,
        "presets": _presets(request.GET),
        "subject_columns": subjects.listed_subject_fields(),
    })


def _presets(params: QueryDict) -> list[dict[str, Any]]:
    """Links that fill the opening dates with today's, yesterday's, this week's..."""
    links = []
    for preset in case_date_presets(today=clock.today()):
        query = params.copy()
        query.pop("page", None)
        query["opened_from"], query["opened_to"] = preset.start.isoformat(), preset.end.isoformat()
        links.append({
            "label": preset.label,
            "query": query.urlencode(),
            "current": (params.get("opened_from"), params.get("opened_to"))
            == (query["opened_from"], query["opened_to"]),
        })
    return links


def _filters_kept(back: str) -> QueryDict | None:
    """The list's filters carried to a case page as ``?back=``: only the form's own fields,
    and only if they are valid (a doctored link shows the plain list rather than an error)."""
    params = QueryDict(back)
    form = CaseFilterForm(params)
    if not form.is_valid():
        return None
    kept = QueryDict(mutable=True)
    for name in form.fields:
        for value in params.getlist(name):
            if value:
                kept.appendlist(name, value)
    return kept


def _in_list(case: Case, kept: QueryDict) -> dict[str, Any]:
    """Where the case stands in the filtered list: the page it is on, and its neighbours."""
    cases = filter_cases(kept).qs
    newer = cases.filter(
        Q(opened_at__gt=case.opened_at) | Q(opened_at=case.opened_at, pk__gt=case.pk)
    )
    older = cases.filter(
        Q(opened_at__lt=case.opened_at) | Q(opened_at=case.opened_at, pk__lt=case.pk)
    )
    newer_pk = newer.order_by("opened_at", "pk").values_list("pk", flat=True).first()
    older_pk = older.values_list("pk", flat=True).first()  # the list's own order, newest first
    back = QueryDict(mutable=True)
    back["back"] = kept.urlencode()
    list_query = kept.copy()
    list_query["page"] = str(newer.count() // PAGE_SIZE + 1)

    def link(pk: int | None) -> dict[str, str] | None:
        if pk is None:
            return None
        reference = Case(pk=pk).reference
        url = reverse("supervisor_case", args=[reference])
        return {"reference": reference, "url": f"{url}?{back.urlencode()}"}

    return {
        "back_url": f"{reverse('supervisor_cases')}?{list_query.urlencode()}",
        "newer": link(newer_pk),
        "older": link(older_pk),
    }


def _get_case(reference: str) -> Case:
    pk = parse_reference(reference)
    if pk is None:
        raise Http404("No such case.")
    return get_object_or_404(Case.objects.select_related("opened_by"), pk=pk)


def _detail(request: HttpRequest, case: Case, review_form: CaseReviewForm | None = None) -> HttpResponse:
    # Only a case opened from the list knows its list: a bare case page costs no extra query.
    kept = _filters_kept(request.GET["back"]) if "back" in request.GET else None
    in_list = _in_list(case, kept) if kept is not None else {"back_url": reverse("supervisor_cases")}
    return render(request, "supervisor/case_detail.html", {
        **in_list,
        "case": case,
        "current": services.current_step(case) if case.is_open else None,
        # By seq: the model's default ordering ("case", "seq") would join the case table.
        "events": case.events.select_related("user").order_by("seq"),
        "reviews": case.reviews.select_related("reviewer"),
        "review_form": review_form or CaseReviewForm(),
    })


@role_required(Role.SUPERVISOR)
@require_GET
def case_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _get_case(reference))


@role_required(Role.SUPERVISOR)
@require_POST
def case_review(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _get_case(reference)
    form = CaseReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, form)
    try:
        services.case_review_add(case=case, reviewer=request.user, **form.cleaned_data)
    except services.StepRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Review added to {case.reference}.")
    return HttpResponseRedirect(reverse("supervisor_case", args=[case.reference]), status=303)


def export_columns() -> tuple[str, ...]:
    """The export's header: the case, then its subject fields (Group, SL app), then the rest."""
    return ("Case", "Flow", "Flow version", "Specialist", "Caller",
            *(field.short for field in subjects.subject_fields()),
            "Opened", "Closed", "Handle time (min:s)", "Status", "Disposition", "Outcome",
            "Times reopened", "Follow up on", "ServiceNow incident")



CALLERS = dict(CallerType.choices)
STATUSES = dict(Case.Status.choices)
DISPOSITIONS = dict(Disposition.choices)


def _export_rows(cases: QuerySet[Case]) -> Iterator[tuple[Any, ...]]:
    """Each case as people read it: labels, not stored values; the specialist's name."""
    names = subjects.subject_field_names()
    rows = cases.annotate(handle_time=F("closed_at") - F("opened_at")).values_list(
        "pk", "flow_title", "flow_version", "opened_by__first_name", "opened_by__last_name",
        "opened_by__username", "caller_type", "subject", "opened_at",
        "closed_at", "handle_time", "status", "disposition", "outcome_title", "reopen_count",
        "follow_up_on", "incident_number",
    ).iterator(chunk_size=2000)
    for (pk, flow, version, first, last, username, caller, subject, opened, closed,
         handle_time, status, disposition, outcome, reopened, follow_up, incident) in rows:
        yield (
            Case(pk=pk).reference, flow, version, f"{first} {last}".strip() or username,
            CALLERS.get(caller, caller), *(subject.get(name, "") for name in names),
            opened, closed, handle_time,
            STATUSES.get(status, status), DISPOSITIONS.get(disposition, disposition), outcome,
            reopened, follow_up, incident,
        )


@role_required(Role.SUPERVISOR)
@require_GET
def case_list_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    """The filtered case list, streamed. Cases hold no member data, so nothing is withheld."""
    if fmt not in FORMATS:
        raise Http404("No such export format.")
    return export_response(fmt, "cases", export_columns(), _export_rows(filter_cases(request.GET).qs))


@role_required(Role.SUPERVISOR)
@require_GET
def case_transcript_pdf(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _get_case(reference)
    response = HttpResponse(transcript_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-transcript.pdf"'
    return response
