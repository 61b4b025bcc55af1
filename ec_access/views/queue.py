"""The Access Management queue: work it (claim, release, grant, reject); supervisors read it."""

from __future__ import annotations

from typing import Protocol

import django_filters
from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from supportdesk.http import AuthenticatedHttpRequest
from supportdesk.lists import FormFilterSet, paginate
from supportdesk.models import Case
from supportdesk.roles import Role, role_required, user_has_role

from .. import queries, services
from ..forms import QueueFilterForm, RejectForm
from ..models import ECRequest, RejectReason

READERS = (Role.ACCESS_MANAGEMENT, Role.SUPERVISOR)
PAGE_SIZE = 30


class QueueFilter(FormFilterSet):
    """The queue: QueueFilterForm's fields; expedited first, then oldest first."""

    state = django_filters.Filter(method="filter_state")
    source = django_filters.Filter(field_name="source")
    group = django_filters.Filter(field_name="group__group_number")

    class Meta:
        form = QueueFilterForm

    def filter_state(self, requests: QuerySet[ECRequest], name: str, value: str) -> QuerySet[ECRequest]:
        if value == "open":
            return requests.filter(state__in=ECRequest.OPEN_STATES)
        return requests.filter(state=value)


@role_required(*READERS)
@require_GET
def queue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    requests = QueueFilter(
        request.GET or {"state": "open"},  # no query at all: the open requests
        queryset=ECRequest.objects.select_related("group", "sl_app", "claimed_by", "case").order_by(
            "-expedited", "created_at", "pk"
        ),
    )
    page, query = paginate(request, requests.qs, PAGE_SIZE)
    return render(request, "ec_access/queue.html", {
        "form": requests.form, "page": page, "query": query,
        "can_work": user_has_role(request.user, Role.ACCESS_MANAGEMENT),
        "counts": queries.queue_counts(),
    })


def _get_request(request_id: int) -> ECRequest:
    return get_object_or_404(
        ECRequest.objects.select_related(
            "group", "sl_app", "claimed_by", "case__opened_by", "requested_by"
        ),
        pk=request_id,
    )


def case_url(user: User, case: Case | None) -> str:
    """The case page this viewer may open, or "" (then the page shows the reference as text):
    supervisors review every case; a specialist opens only the cases they opened; Access
    management has no case page at all."""
    if case is None:
        return ""
    if user_has_role(user, Role.SUPERVISOR):
        return reverse("supervisor_case", args=[case.reference])
    if user_has_role(user, Role.SPECIALIST) and case.opened_by_id == user.pk:
        return reverse("case_resume", args=[case.reference])
    return ""


@role_required(*READERS)
@require_GET
def request_detail(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, _get_request(request_id))


def _detail(request: AuthenticatedHttpRequest, ec_request: ECRequest, *, reject_form: RejectForm | None = None,
            status: int = 200) -> HttpResponse:
    can_work = user_has_role(request.user, Role.ACCESS_MANAGEMENT)
    return render(request, "ec_access/request_detail.html", {
        "ec_request": ec_request,
        "events": ec_request.events.select_related("user"),
        "can_work": can_work,
        # ECRequest.TRANSITIONS, for this user: which of the work forms the page shows.
        "allowed": ec_request.allowed_actions(request.user),
        "reject_form": reject_form or RejectForm(),
        "case_url": case_url(request.user, ec_request.case),
        # Once this request is off the user's hands, the next one is a click away.
        "counts": queries.queue_counts() if can_work and not ec_request.is_open else None,
    }, status=status)


def _to_detail(request_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("ec_request", args=[request_id]), status=303)


class _Transition(Protocol):
    def __call__(self, *, request_id: int, user: User) -> ECRequest: ...


def _transition(request: AuthenticatedHttpRequest, request_id: int, action: _Transition,
                done: str) -> HttpResponse:
    try:
        action(request_id=request_id, user=request.user)
    except services.QueueRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(id=request_id))
    return _to_detail(request_id)


@role_required(Role.ACCESS_MANAGEMENT)
@require_POST
def claim(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    return _transition(request, request_id, services.ec_request_claim, "You claimed EC request #{id}.")


@role_required(Role.ACCESS_MANAGEMENT)
@require_POST
def release(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    return _transition(request, request_id, services.ec_request_release,
                       "EC request #{id} is back in the queue.")


@role_required(Role.ACCESS_MANAGEMENT)
@require_GET
def grant_confirm(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    """Say what the grant will write to the SL app and ask to confirm; nothing is written here."""
    ec_request = _get_request(request_id)
    refusal = services.ec_request_decision_refusal(request=ec_request, user=request.user,
                                                   action="grant")
    if refusal is not None:
        messages.error(request, str(refusal))
        return _to_detail(request_id)
    return render(request, "ec_access/grant_confirm.html", {
        "ec_request": ec_request, "preview": queries.grant_preview(ec_request),
    })


@role_required(Role.ACCESS_MANAGEMENT)
@require_POST
def grant(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    try:
        ec_request = services.ec_request_grant(request_id=request_id, user=request.user)
    except services.QueueRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"EC request #{request_id} granted: EC {ec_request.ec_identifier} and business "
            f"functions {', '.join(ec_request.business_functions)} are on SL app "
            f"{ec_request.sl_app.sl_app_number}.",
        )
    return _to_detail(request_id)


@role_required(Role.ACCESS_MANAGEMENT)
@require_POST
def reject(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    ec_request = get_object_or_404(ECRequest, pk=request_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, ec_request, reject_form=form, status=200)
    try:
        services.ec_request_reject(request_id=request_id, user=request.user,
                                   reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
    except services.QueueRefused as error:
        messages.error(request, str(error))
    else:
        label = RejectReason(form.cleaned_data["reason"]).label
        told = " The specialist's case has the reason." if ec_request.case_id else ""
        messages.success(request, f"EC request #{request_id} rejected: {label}.{told}")
    return _to_detail(request_id)


@role_required(Role.ACCESS_MANAGEMENT)
@require_POST
def claim_next(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        ec_request = services.ec_request_claim_next(user=request.user)
    except services.QueueRefused as error:
        messages.info(request, str(error))
        return HttpResponseRedirect(reverse("ec_queue"), status=303)
    messages.success(request, f"You claimed EC request #{ec_request.pk}.")
    return _to_detail(ec_request.pk)
