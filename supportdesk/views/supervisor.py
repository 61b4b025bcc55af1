"""Supervisor review: the case list with filters, one case's transcript, and its PDF."""

from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..exports import FORMATS, export_response
from ..forms import CaseFilterForm, CaseReviewForm
from ..models import Case, CaseReview, parse_reference
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
    if data["reviewed"]:
        reviewed = Exists(CaseReview.objects.filter(case=OuterRef("pk")))
        cases = cases.filter(reviewed if data["reviewed"] == "yes" else ~reviewed)
    if data["changed"]:
        cases = cases.filter(reopen_count__gt=0) if data["changed"] == "yes" else cases.filter(reopen_count=0)
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


def _detail(request: HttpRequest, case: Case, review_form: CaseReviewForm | None = None) -> HttpResponse:
    return render(request, "supervisor/case_detail.html", {
        "case": case,
        "current": services.current_step(case) if case.is_open else None,
        # By seq: the model's default ordering ("case", "seq") would join the case table.
        "events": case.events.select_related("user").order_by("seq"),
        "reviews": case.reviews.select_related("reviewer"),
        "review_form": review_form or CaseReviewForm(),
    })


@role_required(Role.SUPERVISOR)
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _get_case(reference))


@role_required(Role.SUPERVISOR)
@require_POST
def case_review(request: HttpRequest, reference: str) -> HttpResponse:
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


EXPORT_COLUMNS = ("Case", "Flow", "Flow version", "Specialist", "Caller", "Group", "SL app",
                  "Opened", "Closed", "Status", "Disposition", "Outcome", "Times reopened",
                  "Follow up on")


@role_required(Role.SUPERVISOR)
@require_GET
def case_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered case list, streamed. Cases hold no member data, so nothing is withheld."""
    if fmt not in FORMATS:
        raise Http404("No such export format.")
    form = CaseFilterForm(request.GET)
    rows = (
        filter_cases(form)
        .values_list("pk", "flow_title", "flow_version", "opened_by__username", "caller_type",
                     "group_number", "sl_app_number", "opened_at", "closed_at", "status",
                     "disposition", "outcome_title", "reopen_count", "follow_up_on")
        .iterator(chunk_size=2000)
    )
    return export_response(
        fmt, "cases", EXPORT_COLUMNS, ((f"SD-{row[0]:06d}", *row[1:]) for row in rows)
    )


@role_required(Role.SUPERVISOR)
@require_GET
def case_transcript_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    case = _get_case(reference)
    response = HttpResponse(transcript_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-transcript.pdf"'
    return response
