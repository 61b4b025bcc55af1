"""Supervisor review: the case list with filters, one case's transcript, and its PDF."""

from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..forms import CaseFilterForm
from ..models import Case, parse_reference
from ..pdf import transcript_pdf
from ..roles import Role, role_required

PAGE_SIZE = 25


def filter_cases(form: CaseFilterForm) -> QuerySet[Case]:
    cases = Case.objects.select_related("opened_by").order_by("-opened_at", "-pk")
    if not form.is_valid():
        return cases.none()
    data = form.cleaned_data
    if q := data["q"].strip():
        match = Q(group_number=q)
        if (pk := parse_reference(q)) is not None:
            match |= Q(pk=pk)
        cases = cases.filter(match)
    for name in ("flow", "disposition", "status"):
        if data[name]:
            cases = cases.filter(**{"flow_key" if name == "flow" else name: data[name]})
    if data["specialist"]:
        cases = cases.filter(opened_by=data["specialist"])
    tz = timezone.get_current_timezone()
    if data["opened_from"]:
        cases = cases.filter(opened_at__gte=datetime.combine(data["opened_from"], time.min, tz))
    if data["opened_to"]:
        cases = cases.filter(opened_at__lte=datetime.combine(data["opened_to"], time.max, tz))
    return cases


@role_required(Role.SUPERVISOR)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET)
    page = Paginator(filter_cases(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervisor/case_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _get_case(reference: str) -> Case:
    pk = parse_reference(reference)
    if pk is None:
        raise Http404("No such case.")
    return get_object_or_404(Case.objects.select_related("opened_by"), pk=pk)


@role_required(Role.SUPERVISOR)
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _get_case(reference)
    return render(
        request,
        "supervisor/case_detail.html",
        {"case": case, "events": case.events.select_related("user")},
    )


@role_required(Role.SUPERVISOR)
@require_GET
def case_transcript_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    case = _get_case(reference)
    response = HttpResponse(transcript_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-transcript.pdf"'
    return response
