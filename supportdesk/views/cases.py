"""The one view that drives every flow, plus opening, going back and restarting.

With htmx the step is swapped in place and the URL pushed; without JavaScript the same URLs
work as full pages (POST, then 303 to the step's URL).
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import push_url

from .. import services
from ..engine import Action, FormStep, Outcome, Question, registry
from ..forms import CaseOpenForm
from ..models import Case, CaseEvent, parse_reference
from ..roles import Role, role_required


SO_FAR_KINDS = {CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK, CaseEvent.Kind.ACTION,
                CaseEvent.Kind.BACK, CaseEvent.Kind.OUTCOME}


def _get_own_case(request: HttpRequest, reference: str) -> Case:
    """The specialist's own case, or 404: nobody works another person's case."""
    pk = parse_reference(reference)
    if pk is None:
        raise Http404("No such case.")
    return get_object_or_404(Case, pk=pk, opened_by=request.user)


def _own_case_to_write(reference: str) -> Case:
    """The case a POST writes to, not read here: the service reads and locks its row, and finds
    no case (Case.DoesNotExist, a 404 below) unless this specialist opened it."""
    pk = parse_reference(reference)
    if pk is None:
        raise Http404("No such case.")
    return Case(pk=pk)


def _step_url(case: Case) -> str:
    return reverse("case_step", args=[case.reference, case.current_step])


def _partial_wanted(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _show(request: HttpRequest, case: Case, *, form: object = None) -> HttpResponse:
    """Render the case where it stands: the whole page, or only #case for htmx."""
    flow = registry.get(case.flow_key)
    step = flow.step(case.current_step) if flow else None
    state = services.flow_state(case)
    if isinstance(step, FormStep) and form is None:
        form = step.form_class(initial=step.initial_for(state), prefix=step.key)
    context = {
        "case": case,
        "flow": flow,
        "step": step,
        "step_text": step.render_text(state) if step else "",
        "form": form,
        "previous_choice": case.answers.get(step.key) if isinstance(step, Question) else None,
        "artifact": case.artifacts.get(step.key) if isinstance(step, Action) else None,
        "artifacts": list(case.artifacts.values()) if isinstance(step, Outcome) else [],
        "step_url": _step_url(case),
        "so_far": _so_far(case),
    }
    partial = _partial_wanted(request)
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
    # Only what the panel shows (the frozen step texts and artifacts are the bulk of a long
    # transcript), as rows rather than model instances (a step page reads them on every click),
    # in seq order: the model's default ordering would join the case table.
    rows = list(case.events.order_by("seq").values_list("kind", "step_title", "answer"))
    restarts = [i for i, (kind, _, _) in enumerate(rows) if kind == CaseEvent.Kind.RESTART]
    since = rows[restarts[-1] + 1 :] if restarts else rows
    return [SoFar(kind, title or CaseEvent.Kind(kind).label, answer)
            for kind, title, answer in since if kind in SO_FAR_KINDS]


def _after_write(request: HttpRequest, case: Case) -> HttpResponse:
    if _partial_wanted(request):
        return _show(request, case)
    return HttpResponseRedirect(_step_url(case), status=303)


def _refused(request: HttpRequest, case: Case, error: services.StepRefused) -> HttpResponse:
    messages.error(request, str(error))
    case.refresh_from_db()
    return _after_write(request, case)


@role_required(Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, flow_key: str) -> HttpResponse:
    flow = registry.get(flow_key)
    if flow is None:
        raise Http404("No such flow.")
    form = CaseOpenForm(
        request.POST if request.method == "POST" else None,  # an empty POST is told what is missing
        initial={"caller_type": flow.caller_type}, asks_group=flow.asks_group,
    )
    if request.method == "POST" and form.is_valid():
        case = services.case_open(flow=flow, user=request.user, **form.cleaned_data)
        return HttpResponseRedirect(_step_url(case), status=303)
    return render(request, "cases/open.html", {"flow": flow, "form": form})


@role_required(Role.SPECIALIST)
@require_http_methods(["GET"])
def case_resume(request: HttpRequest, reference: str) -> HttpResponse:
    return redirect(_step_url(_get_own_case(request, reference)))


@role_required(Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()  # answers may carry member facts: keep them out of error reports
def case_step(request: HttpRequest, reference: str, step_key: str) -> HttpResponse:
    if request.method == "GET":
        case = _get_own_case(request, reference)
        if step_key != case.current_step:
            return redirect(_step_url(case))
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


@role_required(Role.SPECIALIST)
@require_POST
def case_back(request: HttpRequest, reference: str) -> HttpResponse:
    case = _own_case_to_write(reference)
    try:
        case = services.case_back(case=case, user=request.user)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None
    except services.StepRefused as error:
        return _refused(request, case, error)
    return _after_write(request, case)


@role_required(Role.SPECIALIST)
@require_POST
def case_restart(request: HttpRequest, reference: str) -> HttpResponse:
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
@require_http_methods(["GET"])
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = Case.objects.filter(opened_by=request.user).order_by("-updated_at")
    status = request.GET.get("status", "open")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    return render(request, "cases/mine.html", {"cases": cases[:100], "status": status})
