"""Noyo pages: the connections (list, request, detail, check now, retry) and the member-change
checker. Thin: a role, a form, one service call, a render. Specialists work them; supervisors
read the connections."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportdesk import clock
from supportdesk.htmx import partial_wanted
from supportdesk.http import AuthenticatedHttpRequest
from supportdesk.lists import FormFilterSet, paginate
from supportdesk.roles import Role, role_required, user_has_role

from . import rules, services
from .forms import ConnectionFilterForm, ConnectionRequestForm, MemberChangeForm
from .models import GroupConnection, PollRun

READERS = (Role.SPECIALIST, Role.SUPERVISOR)
PAGE_SIZE = 50


class ConnectionFilter(FormFilterSet):
    """The connection list: ConnectionFilterForm's fields (status "open": Noyo still working)."""

    status = django_filters.Filter(method="filter_status")
    group = django_filters.Filter(method="filter_group")

    class Meta:
        form = ConnectionFilterForm

    def filter_status(self, connections: QuerySet[GroupConnection], name: str,
                      value: str) -> QuerySet[GroupConnection]:
        if value == "open":
            return connections.filter(status__in=[s.value for s in rules.OPEN_STATUSES])
        return connections.filter(status=value)

    def filter_group(self, connections: QuerySet[GroupConnection], name: str,
                     value: str) -> QuerySet[GroupConnection]:
        return connections.filter(Q(group__group_number=value) | Q(carrier_group_id=value))


@role_required(*READERS)
@require_GET
def connection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    connections = ConnectionFilter(request.GET, queryset=GroupConnection.objects.select_related("group"))
    page, query = paginate(request, connections.qs, PAGE_SIZE)
    return render(request, "noyo_sync/connection_list.html", {
        "form": connections.form, "page": page, "query": query, "health": services.noyo_health(),
        "can_work": user_has_role(request.user, Role.SPECIALIST),
        "manual_review_people": rules.MANUAL_REVIEW_PEOPLE,
    })


@role_required(Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def connection_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConnectionRequestForm(request.POST if request.method == "POST" else None,
                                 initial={"group_number": request.GET.get("group", "")[:8]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            connection = services.group_connection_request(
                group=form.group, carrier_group_id=data["carrier_group_id"], people=data["people"],
                census_file_sent=data["census_file_sent"], group_number_issued=data["group_number_issued"],
                unsupported=data["unsupported"], existing_coverage=data["existing_coverage"],
                previous_transfers_deactivated=data["previous_transfers_deactivated"],
                federal_ein=data["federal_ein"], broker_federal_ein=data["broker_federal_ein"],
                user=request.user,
            )
        except services.ConnectionRefused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            connection.refresh_from_db()
            if connection.status == rules.ConnectionStatus.NOT_SENT:
                messages.warning(request, "The request is saved but Noyo could not be reached: "
                                 "SupportDesk sends it again every minute.")
            elif connection.adopted_differences:
                messages.warning(request, f"Noyo already held a connection for carrier group ID "
                                 f"{connection.carrier_group_id}, and it differs from this request: "
                                 f"{connection.adopted_differences} Check with Noyo before going on.")
            else:
                messages.success(request, f"Noyo took the connection request for carrier group ID "
                                 f"{connection.carrier_group_id}.")
            return HttpResponseRedirect(reverse("noyo_connection", args=[connection.pk]), status=303)
    return render(request, "noyo_sync/connection_form.html", {
        "form": form, "move_note": rules.MOVE_TO_CARRIER_AUTHORIZATION_NOTE,
    })


@role_required(*READERS)
@require_GET
def connection_detail(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = get_object_or_404(GroupConnection.objects.select_related("group", "requested_by", "case"),
                                   pk=connection_id)
    events = list(connection.events.select_related("user", "poll_run"))
    context = {
        "connection": connection,
        "events": events,
        "last_event": events[-1] if events else None,
        "health": services.noyo_health(),
        "can_work": user_has_role(request.user, Role.SPECIALIST),
        "status_guide": [(rules.STATUS_LABELS[s], rules.STATUS_GUIDE[s]) for s in rules.ConnectionStatus],
        "move_note": rules.MOVE_TO_CARRIER_AUTHORIZATION_NOTE,
        "now": clock.now(),
    }
    template = "noyo_sync/connection_detail.html"
    return render(request, f"{template}#status" if partial_wanted(request) else template, context)


def _back_to(connection_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("noyo_connection", args=[connection_id]), status=303)


@role_required(Role.SPECIALIST)
@require_POST
def connection_refresh(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = get_object_or_404(GroupConnection, pk=connection_id)
    run = services.group_connection_refresh(connection_id=connection.pk, user=request.user)
    if run.outcome == PollRun.Outcome.OK:
        connection.refresh_from_db()
        changed = "changed to" if run.changed or run.sent else "still"
        messages.success(request, f"Noyo answered: {changed} {connection.get_status_display()}.")
    else:
        messages.error(request, f"{run.error} The status shown is the last one Noyo gave.")
    return _back_to(connection.pk)


@role_required(Role.SPECIALIST)
@require_POST
def connection_retry(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = get_object_or_404(GroupConnection, pk=connection_id)
    try:
        connection = services.group_connection_retry(connection_id=connection.pk, user=request.user)
    except services.ConnectionRefused as refused:
        messages.error(request, " ".join(refused.reasons))
    else:
        messages.success(request, f"Noyo is retrying the connection: {connection.get_status_display()}.")
    return _back_to(connection.pk)


@role_required(Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def member_change_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Never stored, never logged: the proposed change is only checked and shown back. POST, so
    no date reaches a URL."""
    form = MemberChangeForm(request.POST or None, initial={"submitted_on": clock.today()})
    findings = None
    window = None
    if request.method == "POST" and form.is_valid():
        change = form.to_change()
        findings = rules.check_member_change(change)
        if change.renewal_date:
            window = rules.oe_window(change.renewal_date)
    return render(request, "noyo_sync/member_change.html", {
        "form": form, "findings": findings, "window": window, "verdicts": rules.VERDICT_LABELS,
    })
