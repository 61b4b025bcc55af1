"""Feedback from the floor: the report box of a case's step, the authors' lists, and the
specialist's reports with their answers (supportdesk/feedback.py holds the writes).

The report box sits on the step's page inside #case: with htmx only the box is swapped (the
step stays as it is, its form as typed); without JavaScript the report is posted and the step
comes back (303), or a refused report comes back on a page of its own with its text kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import feedback, flow_content
from ..engine import Flow, Step, registry
from ..feedback import FeedbackRefused
from ..forms import FeedbackAnswerForm, FeedbackFilterForm, StepFeedbackForm
from ..htmx import partial_wanted
from ..http import AuthenticatedHttpRequest
from ..models import Case, StepFeedback
from ..roles import Role, role_required
from .cases import _get_own_case, _step_url

THANKS = "Thanks: the flow's authors will see it."


# -- The specialist: reporting from a step ------------------------------------------------------

def _case_step(case: Case, step_key: str) -> Step:
    flow = flow_content.for_case(case)
    step = flow.step(step_key) if flow else None
    if step is None:
        raise Http404("No such step.")
    return step


def _report_box(request: AuthenticatedHttpRequest, case: Case, step: Step,
                form: StepFeedbackForm, *, sent: bool) -> HttpResponse:
    return render(request, "feedback/report_box.html", {
        "case": case, "step": step, "feedback_form": form, "feedback_sent": sent,
    })


@role_required(Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()  # a refused report may hold member data: keep it out of error reports
def step_feedback(request: AuthenticatedHttpRequest, reference: str,
                  step_key: str) -> HttpResponse:
    """Report a problem with a step of the specialist's own case (GET: the box on a page of
    its own, for a browser without JavaScript)."""
    case = _get_own_case(request, reference)
    step = _case_step(case, step_key)
    form = StepFeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.feedback_report(case=case, user=request.user, step_key=step.key,
                                     text=form.cleaned_data["text"])
        except FeedbackRefused as error:
            form.add_error("text", str(error))
        else:
            if partial_wanted(request):
                return _report_box(request, case, step, StepFeedbackForm(), sent=True)
            messages.success(request, THANKS)
            return HttpResponseRedirect(_step_url(case), status=303)
    if partial_wanted(request):
        return _report_box(request, case, step, form, sent=False)
    return render(request, "feedback/report_page.html", {
        "case": case, "step": step, "feedback_form": form, "step_url": _step_url(case),
    })


# -- The authors: each flow's reports -----------------------------------------------------------

def _flow(flow_key: str) -> Flow:
    flow = registry.get(flow_key)
    if flow is None:
        raise Http404("No such flow.")
    return flow


@role_required(Role.FLOW_AUTHOR)
@require_GET
def feedback_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every flow with its reports: open (unanswered), answered, closed."""
    counts = feedback.counts_by_status()
    flows = sorted(registry.all(), key=lambda flow: (
        -counts.get(flow.key, {}).get(StepFeedback.Status.OPEN, 0), flow.title))
    rows = [{"flow": flow, "counts": counts.get(flow.key, {})} for flow in flows]
    return render(request, "feedback/overview.html", {"rows": rows})


def _list_page(request: AuthenticatedHttpRequest, flow: Flow, *,
               bound: tuple[int, FeedbackAnswerForm] | None = None,
               status: int = 200) -> HttpResponse:
    """The flow's reports as the filter (the query string) asks; ``bound``: one report's
    refused answer, shown in its form with its text and the reason."""
    query = request.GET if request.method == "GET" else _filters_of(request.POST)
    filters = FeedbackFilterForm(query, versions=feedback.versions_reported(flow.key))
    reports = list(feedback.of_flow(flow.key, version=filters.chosen_version,
                                    statuses=filters.statuses)[:200])
    if bound and bound[0] not in {report.pk for report in reports}:  # filtered out: show it
        reports.insert(0, _report(flow, bound[0]))
    items = [_item(report, bound[1] if bound and bound[0] == report.pk else None)
             for report in reports]
    return render(request, "feedback/flow_list.html", {
        "flow": flow, "form": filters, "items": items, "back": _back_query(query),
    }, status=status)


def _item(report: StepFeedback, form: FeedbackAnswerForm | None = None) -> dict[str, Any]:
    return {
        "report": report,
        "answer_form": form or FeedbackAnswerForm(
            prefix=f"answer-{report.pk}", initial={"text": report.answer}),
        "can_answer": report.can("answer"),
        "can_close": report.can("close"),
    }


def _filters_of(data: Any) -> dict[str, str]:
    """The list's filters a POST carries back (its hidden "back" field), nothing else."""
    back = QueryDict(str(data.get("back", "")))
    return {name: back.get(name, "") for name in ("version", "status") if back.get(name)}


def _back_query(query: Any) -> str:
    return urlencode({name: query.get(name) for name in ("version", "status")
                      if query.get(name)})


def _back_to_list(request: AuthenticatedHttpRequest, flow: Flow) -> HttpResponseRedirect:
    url = reverse("flow_feedback", args=[flow.key])
    if query := _back_query(_filters_of(request.POST)):
        url += f"?{query}"
    return HttpResponseRedirect(url, status=303)


def _report(flow: Flow, pk: int) -> StepFeedback:
    return get_object_or_404(StepFeedback.objects.select_related("reported_by", "answered_by"),
                             pk=pk, flow_key=flow.key)


def _item_partial(request: AuthenticatedHttpRequest, flow: Flow, report: StepFeedback,
                  form: FeedbackAnswerForm | None = None, *, done: str = "",
                  refused: str = "") -> HttpResponse:
    return render(request, "feedback/item.html", {
        "flow": flow, "item": _item(report, form), "done": done, "refused": refused,
        "back": _back_query(_filters_of(request.POST)),
    })


@role_required(Role.FLOW_AUTHOR)
@require_GET
def flow_feedback(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    return _list_page(request, _flow(flow_key))


@role_required(Role.FLOW_AUTHOR)
@require_POST
@sensitive_post_parameters()  # a refused answer may hold member data
def flow_feedback_answer(request: AuthenticatedHttpRequest, flow_key: str,
                         feedback_id: int) -> HttpResponse:
    flow = _flow(flow_key)
    report = _report(flow, feedback_id)
    form = FeedbackAnswerForm(request.POST, prefix=f"answer-{report.pk}")
    if form.is_valid():
        try:
            report = feedback.feedback_answer(feedback=report, user=request.user,
                                              text=form.cleaned_data["text"])
        except FeedbackRefused as error:
            report.refresh_from_db()
            if not report.can("answer"):  # closed meanwhile: the list no longer offers it
                if partial_wanted(request):
                    return _item_partial(request, flow, report, refused=str(error))
                messages.error(request, str(error))
                return _back_to_list(request, flow)
            form.add_error("text", str(error))
        else:
            done = "Answer sent: the specialist will see it."
            if partial_wanted(request):
                return _item_partial(request, flow, report, done=done)
            messages.success(request, done)
            return _back_to_list(request, flow)
    if partial_wanted(request):
        return _item_partial(request, flow, report, form)
    return _list_page(request, flow, bound=(report.pk, form))


@role_required(Role.FLOW_AUTHOR)
@require_POST
def flow_feedback_close(request: AuthenticatedHttpRequest, flow_key: str,
                        feedback_id: int) -> HttpResponse:
    flow = _flow(flow_key)
    report = _report(flow, feedback_id)
    try:
        report = feedback.feedback_close(feedback=report, user=request.user)
    except FeedbackRefused as error:
        if partial_wanted(request):
            report.refresh_from_db()
            return _item_partial(request, flow, report, refused=str(error))
        messages.error(request, str(error))
        return _back_to_list(request, flow)
    done = f"Report on “{report.step_title}” closed."
    if partial_wanted(request):
        return _item_partial(request, flow, report, done=done)
    messages.success(request, done)
    return _back_to_list(request, flow)


# -- The specialist: their reports and the answers ----------------------------------------------

@role_required(Role.SPECIALIST)
@require_GET
def my_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The specialist's reports with their answers; opening it reads the new answers (the home
    page stops telling of them)."""
    news = set(feedback.feedback_answer_seen(user=request.user))
    reports = list(feedback.reports_of(request.user)[:200])
    titles = {key: feedback.flow_title(key) for key in {report.flow_key for report in reports}}
    return render(request, "feedback/mine.html", {
        "rows": [{"report": report, "flow_title": titles[report.flow_key],
                  "new": report.pk in news} for report in reports],
    })
