"""ARSOS mailbox escalations: the owner fills one in and records its life; supervisors read all.

An escalation holds the member's name and ID, so only its owner and supervisors ever see it;
another specialist gets 404, as if it did not exist. Nothing here puts member data in a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from supportdesk import clock
from supportdesk.http import AuthenticatedHttpRequest
from supportdesk.lists import paginate
from supportdesk.roles import Role, role_required, user_has_role

from . import queries, rules, services
from .forms import EscalateForm, EscalationForm, LifecycleForm
from .models import Escalation, EscalationAction

PAGE_SIZE = 30


def _get_escalation(request: AuthenticatedHttpRequest, escalation_id: int) -> Escalation:
    """The escalation, for its owner or a supervisor; 404 for anyone else."""
    escalation = get_object_or_404(
        Escalation.objects.select_related("case", "owner"), pk=escalation_id
    )
    if escalation.owner_id != request.user.pk and not user_has_role(request.user, Role.SUPERVISOR):
        raise Http404("No such escalation.")
    return escalation


def _to_detail(escalation_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("arsos_escalation", args=[escalation_id]), status=303)


def _details_initial(escalation: Escalation) -> dict[str, Any]:
    return {
        "medicare": escalation.line_of_business == rules.LineOfBusiness.MEDICARE,
        "individual": escalation.line_of_business == rules.LineOfBusiness.HUMANAONE,
        "topic": escalation.topic,
        **{name: getattr(escalation, name) for name in (
            "agent_name", "agent_san", "member_id", "member_last_name", "member_first_name",
            "reference_number", "summary")},
    }


def _detail(request: AuthenticatedHttpRequest, escalation: Escalation, *, status: int = 200,
            **forms: Any) -> HttpResponse:
    now = clock.now()
    is_owner = escalation.owner_id == request.user.pk
    sla_clock = services.clock_of(escalation)
    email = services.escalation_email(escalation) if escalation.details_complete else None
    context = {
        "escalation": escalation,
        "is_owner": is_owner,
        "now": now,
        "clock": sla_clock,
        "overdue": sla_clock.overdue(now) if escalation.is_open else [],
        "business_hours_reading": (
            rules.response_due_business_hours_reading(timezone.localtime(escalation.sent_at))
            if escalation.sent_at else None
        ),
        "email": email,  # To, Subject and Body are copied apart: the body has no headers
        "events": escalation.events.select_related("user"),
        "siblings": escalation.case.arsos_escalations.exclude(pk=escalation.pk)
        .filter(owner=escalation.owner).order_by("pk"),
        "details_form": forms.get("details_form")
        or EscalationForm(initial=_details_initial(escalation)),
        "sent_form": forms.get("sent_form") or LifecycleForm(prefix="sent", now=now),
        "ack_form": forms.get("ack_form") or LifecycleForm(prefix="ack", now=now),
        "follow_up_form": forms.get("follow_up_form") or LifecycleForm(prefix="follow_up", now=now),
        "resolve_form": forms.get("resolve_form") or LifecycleForm(prefix="resolve", now=now),
        "escalate_form": forms.get("escalate_form") or EscalateForm(prefix="escalate", now=now),
        "mailbox": rules.ARSOS_MAILBOX,
        "customer_service": rules.customer_service_label(
            rules.LineOfBusiness(escalation.line_of_business)),
        "customer_service_number": rules.customer_service_number(
            rules.LineOfBusiness(escalation.line_of_business)),
    }
    return render(request, "agent_rsos/escalation_detail.html", context, status=status)


@role_required(Role.SPECIALIST)
@require_GET
def my_escalations(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = Escalation.objects.filter(owner=request.user).select_related("case")
    return render(request, "agent_rsos/my_escalations.html", {
        "active": mine.exclude(status__in=Escalation.CLOSED_STATES).order_by(
            F("next_due_at").asc(nulls_last=True), "-created_at", "-pk"),
        "closed": mine.filter(status__in=Escalation.CLOSED_STATES).order_by("-closed_at")[:20],
        "now": clock.now(),
    })


@role_required(Role.SUPERVISOR)
@require_GET
def escalation_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = clock.now()
    data = request.GET.copy()
    data.setdefault("state", "open")  # a page link without filters keeps the default
    escalations = queries.EscalationFilter(data, now=now)
    page, query = paginate(request, escalations.qs, PAGE_SIZE)
    return render(request, "agent_rsos/overview.html", {
        "form": escalations.form, "page": page, "query": query, "now": now,
        "counts": queries.open_counts(now=now),
        "weeks": queries.weekly_compliance(now=now),
    })


@role_required(Role.SPECIALIST, Role.SUPERVISOR)
@require_GET
@never_cache
def escalation_detail(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    return _detail(request, _get_escalation(request, escalation_id))


@role_required(Role.SPECIALIST, Role.SUPERVISOR)
@require_GET
@never_cache
def escalation_eml(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _get_escalation(request, escalation_id)
    if not escalation.details_complete:
        messages.error(request, "Fill in every required field before downloading the e-mail.")
        return _to_detail(escalation.pk)
    message = services.escalation_email(escalation, from_email=request.user.email)
    response = HttpResponse(message.message().as_bytes(), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="arsos-escalation-{escalation.pk}.eml"'
    return response


def _own(request: AuthenticatedHttpRequest, escalation_id: int) -> Escalation:
    escalation = _get_escalation(request, escalation_id)
    if escalation.owner_id != request.user.pk:
        raise Http404("No such escalation.")
    return escalation


@role_required(Role.SPECIALIST)
@require_POST
@never_cache
def escalation_save(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _own(request, escalation_id)
    form = EscalationForm(request.POST)
    if not form.is_valid():
        return _detail(request, escalation, details_form=form)
    data = form.cleaned_data
    details = services.EscalationDetails(
        line=rules.LineOfBusiness(data["line_of_business"]), topic=rules.Topic(data["topic"]),
        **{name: data[name] for name in (
            "agent_name", "agent_san", "member_id", "member_first_name", "member_last_name",
            "reference_number", "summary")},
    )
    try:
        services.escalation_save_details(escalation_id=escalation.pk, user=request.user,
                                         details=details)
    except services.EscalationRefused as error:
        messages.error(request, str(error))
        return _detail(request, escalation, details_form=form)
    messages.success(request, "Details saved: the e-mail below is ready to copy or download.")
    return _to_detail(escalation.pk)


@role_required(Role.SPECIALIST)
@require_POST
def escalation_split(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _own(request, escalation_id)
    try:
        second = services.escalation_split(escalation_id=escalation.pk, user=request.user)
    except services.EscalationRefused as error:
        messages.error(request, str(error))
        return _to_detail(escalation.pk)
    messages.success(
        request,
        f"{second.label} is a separate draft for the {second.line_of_business} concerns. This "
        f"one stays {escalation.line_of_business}: untick the other line and save.",
    )
    return _to_detail(escalation.pk)


def _not_offered(escalation: Escalation) -> str:
    if escalation.status == Escalation.Status.DRAFT:
        return "Fill in every required field of the mailbox template before sending."
    return (f"{escalation.label} is {escalation.get_status_display().lower()}: that step is not "
            "open now. The page shows where it stands.")


def _lifecycle(request: AuthenticatedHttpRequest, escalation_id: int, *, prefix: str, form_key: str,
               form_class: type[LifecycleForm], action: Callable[..., Escalation],
               done: str, step: EscalationAction) -> HttpResponse:
    """``step`` names ``action`` in Escalation.TRANSITIONS: its form is offered when `can()`."""
    escalation = _own(request, escalation_id)
    if not escalation.can(step):
        # A stale tab, a second click or a crafted POST: the page does not show this form, so
        # it could not show its errors either. Refused, nothing written, and said on top.
        messages.error(request, _not_offered(escalation))
        return _to_detail(escalation.pk)
    form = form_class(request.POST, prefix=prefix, now=clock.now())
    bound: dict[str, Any] = {form_key: form}  # _detail's **forms, by the name the page uses
    if not form.is_valid():
        return _detail(request, escalation, **bound)
    try:
        action(escalation_id=escalation.pk, user=request.user, **form.cleaned_data)
    except services.EscalationRefused as error:
        escalation.refresh_from_db()
        if escalation.can(step):  # the reason goes on the form, by what was typed
            form.add_error(None, str(error))
        else:  # changed meanwhile in another tab: that form is gone from the page
            messages.error(request, str(error))
        return _detail(request, escalation, **bound)
    messages.success(request, done)
    return _to_detail(escalation.pk)


@role_required(Role.SPECIALIST)
@require_POST
def escalation_sent(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    return _lifecycle(request, escalation_id, prefix="sent", form_key="sent_form",
                      form_class=LifecycleForm, action=services.escalation_mark_sent,
                      done="Marked sent: the 72-hour response clock is running.",
                      step="mark_sent")


@role_required(Role.SPECIALIST)
@require_POST
def escalation_acknowledged(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    return _lifecycle(request, escalation_id, prefix="ack", form_key="ack_form",
                      form_class=LifecycleForm, action=services.escalation_acknowledge,
                      done="Acknowledgement recorded: a follow-up is due within 5 business days.",
                      step="acknowledge")


@role_required(Role.SPECIALIST)
@require_POST
def escalation_follow_up(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    return _lifecycle(request, escalation_id, prefix="follow_up", form_key="follow_up_form",
                      form_class=LifecycleForm, action=services.escalation_follow_up,
                      done="Follow-up recorded: the next one is due in five business days.",
                      step="follow_up")


@role_required(Role.SPECIALIST)
@require_POST
def escalation_resolved(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    return _lifecycle(request, escalation_id, prefix="resolve", form_key="resolve_form",
                      form_class=LifecycleForm, action=services.escalation_resolve,
                      done="Resolved: the escalation is closed.", step="resolve")


@role_required(Role.SPECIALIST)
@require_POST
def escalation_escalated(request: AuthenticatedHttpRequest, escalation_id: int) -> HttpResponse:
    return _lifecycle(request, escalation_id, prefix="escalate", form_key="escalate_form",
                      form_class=EscalateForm, action=services.escalation_escalate,
                      done="Escalated further: the escalation is closed.", step="escalate")
