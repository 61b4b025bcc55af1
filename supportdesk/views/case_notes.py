"""What the specialist records on a case beside the flow: a note, and the number of the
ServiceNow incident its outcome raised.

A note is posted from the side panel: with htmx only the panel is swapped (a step's form being
filled in beside it is left as typed), without JavaScript the page comes back (303). A refused
note (member data, too long) comes back in its box with the reason, and nothing is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .. import services
from ..context import raises_incident
from ..forms import CaseNoteForm, IncidentNumberForm
from ..htmx import partial_wanted
from ..http import AuthenticatedHttpRequest
from ..models import Case
from ..roles import Role, role_required
from .cases import _after_write, _get_own_case, _show, _so_far, _step_url


def _side(request: HttpRequest, case: Case, form: CaseNoteForm, *, added: bool) -> HttpResponse:
    return render(request, "cases/side.html", {
        "case": case, "so_far": _so_far(case), "note_form": form, "note_added": added,
    })


@role_required(Role.SPECIALIST)
@require_POST
@sensitive_post_parameters()  # a refused note may hold member data: keep it out of error reports
def case_note_add(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _get_own_case(request, reference)
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_note_add(case=case, user=request.user, text=form.cleaned_data["text"])
        except services.StepRefused as error:
            form.add_error("text", str(error))
    if form.errors:
        if partial_wanted(request):
            return _side(request, case, form, added=False)
        return _show(request, case, panel={"note_form": form})
    if partial_wanted(request):
        return _side(request, case, CaseNoteForm(), added=True)
    messages.success(request, "Note added to the transcript.")
    return HttpResponseRedirect(_step_url(case), status=303)


@role_required(Role.SPECIALIST)
@require_POST
def case_incident(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = _get_own_case(request, reference)
    if not raises_incident(case, services.current_step(case)):
        messages.error(request, "This case's outcome raised no ServiceNow incident: there is no "
                       "incident number to record.")
        return _after_write(request, case)
    form = IncidentNumberForm(request.POST)
    if form.is_valid():
        try:
            case = services.case_incident_record(case=case, user=request.user,
                                                 number=form.cleaned_data["number"])
        except services.StepRefused as error:
            form.add_error("number", str(error))
        else:
            messages.success(request, f"ServiceNow incident {case.incident_number} recorded on "
                             f"{case.reference}.")
            return _after_write(request, case)
    return _show(request, case, panel={"incident_form": form})
