"""The one view that drives every flow, plus opening, going back and restarting.

With htmx the step is swapped in place and the URL pushed; without JavaScript the same URLs
work as full pages (POST, then 303 to the step's URL).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.db.models import Case as SqlCase
from django.db.models import F, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import push_url

from .. import clock, flow_content, services, subjects
from ..context import case_panel
from ..engine import FlowState
from ..forms import CaseOpenForm
from ..htmx import partial_wanted
from ..http import AuthenticatedHttpRequest
from ..models import Case, CaseEvent, parse_reference
from ..roles import Role, role_required, user_has_role

SO_FAR_KINDS = {CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK, CaseEvent.Kind.ACTION,
                CaseEvent.Kind.BACK, CaseEvent.Kind.OUTCOME, CaseEvent.Kind.WAIT,
                CaseEvent.Kind.REOPENED, CaseEvent.Kind.NOTE}


def _get_own_case(request: HttpRequest, reference: str) -> Case:
    """The specialist's own case, or 404: nobody works another person's case. An author who
    is not a specialist walks only their previews."""
    pk = parse_reference(reference)
    if pk is None:
        raise Http404("No such case.")
    cases = (Case.with_previews if user_has_role(request.user, Role.SPECIALIST)
             else Case.with_previews.filter(preview=True))
    return get_object_or_404(cases, pk=pk, opened_by=request.user)


def _own_case_to_write(reference: str) -> Case:
    """The case a POST writes to, not read here: the service reads and locks its row, and finds
    no case (Case.DoesNotExist, a 404 below) unless this specialist opened it."""
    pk = parse_reference(reference)
    if pk is None:
        raise Http404("No such case.")
    return Case(pk=pk)


def _step_url(case: Case) -> str:
    return reverse("case_step", args=[case.reference, case.current_step])


def _show(request: HttpRequest, case: Case, *, form: object = None,
          panel: dict[str, Any] | None = None) -> HttpResponse:
    """Render the case where it stands: the whole page, or only #case for htmx. ``panel``: the
    call context panel's bound forms (a refused note, with its text), see context.case_panel."""
    flow = flow_content.for_case(case)
    step = flow.step(case.current_step) if flow else None
    state = services.flow_state(case)
    context = {
        "case": case,
        "flow": flow,
        "step": step,
        "step_text": step.render_text(state) if step else "",
        **(step.context(state, case) if step else {}),
        "step_url": _step_url(case),
        "so_far": _so_far(case),
        "follows": case.follows,
        # Follow-on cases are opened from an outcome: an open case's page need not ask.
        "follow_ons": [] if case.is_open else list(case.follow_ons.order_by("pk")),
        **case_panel(case, step, **(panel or {})),
    }
    if form is not None:  # the answer's bound form, with its errors
        context["form"] = form
    partial = partial_wanted(request)
    response = render(request, "cases/step.html#case" if partial else "cases/step.html", context)
    if partial:
        push_url(response, context["step_url"])
    return response


class SoFar(NamedTuple):
    """One line of the side panel."""

    kind: str
    title: str
    answer: str


def _so_far(case: Case) -> list[SoFar]:
    """The transcript since the last restart, for the side panel."""
    # The lines the write read under its lock, with what it appended (a page: read now).
    rows = services.transcript_lines(case)
    restarts = [i for i, line in enumerate(rows) if line.kind == CaseEvent.Kind.RESTART]
    since = rows[restarts[-1] + 1 :] if restarts else rows
    return [SoFar(line.kind, line.step_title or CaseEvent.Kind(line.kind).label, line.answer)
            for line in since if line.kind in SO_FAR_KINDS]


def _after_write(request: HttpRequest, case: Case) -> HttpResponse:
    if partial_wanted(request):
        return _show(request, case)
    return HttpResponseRedirect(_step_url(case), status=303)


def _refused(request: HttpRequest, case: Case, error: services.StepRefused) -> HttpResponse:
    messages.error(request, str(error))
    case.refresh_from_db()
    return _after_write(request, case)


@role_required(Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def case_open(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    flow = flow_content.latest(flow_key)
    if flow is None:
        raise Http404("No such flow.")
    data = request.POST if request.method == "POST" else None  # an empty POST is told what is missing
    # A flow that starts by asking the group (its first step names the case's subject) asks it
    # here instead, with that step's own form: the group is asked once, checked against the
    # data before anything is saved, and the step is answered as the case opens.
    first_form = flow.opening_form(data)
    form = CaseOpenForm(data, initial={"caller_type": flow.caller_type},
                        asks_subject=flow.asks_subject and first_form is None)
    if data is not None and all([form.is_valid(), first_form is None or first_form.is_valid()]):
        subject = form.subject if first_form is None else {
            name: str(first_form.cleaned_data.get(name) or "")
            for name in subjects.subject_field_names() if name in first_form.cleaned_data}
        try:
            case = services.case_open(flow=flow, user=request.user,
                                      caller_type=form.cleaned_data["caller_type"],
                                      subject=subject,
                                      answer=data if first_form is not None else None)
        except services.StepRefused as error:  # the group changed in between: nothing saved
            form.add_error(None, str(error))
        else:
            return HttpResponseRedirect(_step_url(case), status=303)
    first_step = flow.step(flow.start) if first_form is not None else None
    return render(request, "cases/open.html", {
        "flow": flow, "form": form, "first_form": first_form, "first_step": first_step,
        # What changed in the flow since this specialist last used it, until they dismiss it.
        "alert": flow_content.alert_for(request.user, flow),
        "first_step_text": first_step.render_text(FlowState()) if first_step else "",
    })


@role_required(Role.SPECIALIST, Role.FLOW_AUTHOR)  # an author: their previews only
@require_http_methods(["GET"])
def case_resume(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    return redirect(_step_url(_get_own_case(request, reference)))


@role_required(Role.SPECIALIST, Role.FLOW_AUTHOR)  # an author: their previews only
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()  # answers may carry member facts: keep them out of error reports
def case_step(request: AuthenticatedHttpRequest, reference: str, step_key: str) -> HttpResponse:
    if request.method == "GET":
        case = _get_own_case(request, reference)
        if step_key != case.current_step:
            return redirect(_step_url(case))
        services.case_news_seen(case)
        return _show(request, case)
    case = _own_case_to_write(reference)
    try:
        result = services.case_answer(
            case=case, user=request.user, step_key=step_key, data=request.POST
        )
    except Case.DoesNotExist:
        raise Http404("No such case.") from None
    except services.StepRefused as error:
        return _refused(request, case, error)
    if not result.ok:
        return _show(request, result.case, form=result.form)
    return _after_write(request, result.case)


@role_required(Role.SPECIALIST, Role.FLOW_AUTHOR)  # an author: their previews only
@require_POST
def case_back(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _own_case_to_write(reference)
    try:
        case = services.case_back(case=case, user=request.user)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None
    except services.StepRefused as error:
        return _refused(request, case, error)
    return _after_write(request, case)


@role_required(Role.SPECIALIST, Role.FLOW_AUTHOR)  # an author: their previews only
@require_POST
def case_restart(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _own_case_to_write(reference)
    try:
        case = services.case_restart(case=case, user=request.user)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None
    except services.StepRefused as error:
        return _refused(request, case, error)
    messages.info(request, f"{case.reference} restarted from the first step.")
    return _after_write(request, case)


@role_required(Role.SPECIALIST)
@require_POST
def case_follow_on(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Open the flow the case's outcome sends the specialist to, with its subject carried over."""
    case = _get_own_case(request, reference)
    step = services.current_step(case)
    flow = flow_content.latest(getattr(step, "follow_on", "") or "")
    if case.is_open or case.preview or flow is None:
        messages.error(request, "This case does not lead to another flow from where it stands.")
        return redirect(_step_url(case))
    subject = case.subject if flow.asks_subject else {}
    # A flow that starts by asking the group gets the one this case settled on as its answer:
    # the group is asked once. Should it no longer pass, the new case stands on that step.
    first_form = flow.opening_form() if subject else None
    answer = ({first_form.add_prefix(name): value
               for name, value in subject.items() if name in first_form.fields}
              if first_form is not None else None)
    try:
        follow_on = services.case_open(flow=flow, user=request.user, caller_type=case.caller_type,
                                       follows=case, subject=subject, answer=answer)
    except services.StepRefused:
        follow_on = services.case_open(flow=flow, user=request.user, caller_type=case.caller_type,
                                       follows=case, subject=subject)
    about = subjects.described(follow_on.subject, listed_only=True)
    messages.info(request, f"{follow_on.reference} opened for {about}, following {case.reference}."
                  if about else f"{follow_on.reference} opened, following {case.reference}.")
    return HttpResponseRedirect(_step_url(follow_on), status=303)


@role_required(Role.SPECIALIST)
@require_http_methods(["GET"])
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The specialist's cases: waiting ones first, soonest follow-up first, then the open ones
    by last activity; a case with news (its request granted) says so."""
    cases = Case.objects.filter(opened_by=request.user)
    status = request.GET.get("status", "open")
    if status == "open":  # what is still to be worked: open and waiting
        cases = cases.exclude(status=Case.Status.CLOSED)
    elif status in Case.Status.values:
        cases = cases.filter(status=status)
    else:
        status = "all"
    waiting_first = SqlCase(When(status=Case.Status.WAITING, then=0), default=1)
    cases = cases.order_by(waiting_first, F("follow_up_on").asc(nulls_last=True), "-updated_at")
    return render(request, "cases/mine.html", {
        "cases": cases[:100], "status": status, "today": clock.today(),
        "subject_columns": subjects.listed_subject_fields(),
    })
