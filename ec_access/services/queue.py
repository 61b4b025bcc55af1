"""The Access Management queue: claim, release, grant, reject. Every transition is one
transaction that writes an append-only ECRequestEvent with who and when."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from supportdesk import clock
from supportdesk.audit import audit
from supportdesk.locking import refused_when_locked
from supportdesk.people import display_name
from supportdesk.services import case_note

from .. import rules
from ..models import (
    BusinessFunction,
    ECRequest,
    ECRequestAction,
    ECRequestEvent,
    RejectReason,
    SLApplication,
)

QUEUED, CLAIMED = ECRequest.State.QUEUED, ECRequest.State.CLAIMED
CLAIMABLE = ECRequest.TRANSITIONS["claim"]  # for the conditional UPDATEs, which cannot ask can()
NOTHING_FREE = "No queued request is free to claim."
Params = ParamSpec("Params")


class QueueRefused(Exception):
    """The transition is not possible now; the message says why."""


def _event(request: ECRequest, kind: str, user: User, note: str = "") -> None:
    ECRequestEvent.objects.create(request=request, kind=kind, user=user, note=note)


def _why_not(request_id: int, wanted: str) -> QueueRefused:
    request = ECRequest.objects.select_related("claimed_by").filter(pk=request_id).first()
    if request is None:
        return QueueRefused(f"There is no EC request #{request_id}.")
    if request.state == CLAIMED:
        return QueueRefused(
            f"EC request #{request_id} is already claimed by {display_name(request.claimed_by, 'someone')}."
        )
    return QueueRefused(
        f"EC request #{request_id} is {request.get_state_display().lower()}: only a {wanted} "
        "request can be changed this way."
    )


def _busy(request_id: int) -> QueueRefused:
    return QueueRefused(
        f"EC request #{request_id} is being changed by someone else at this moment: try again."
    )


def _claim_lost_the_lock(*, request_id: int, **_: Any) -> QueueRefused:
    """SQLite only (supportdesk.locking): another writer held the database past the busy timeout.
    PostgreSQL would have waited on the row and then said who has it: say so once that shows."""
    if ECRequest.objects.filter(pk=request_id, state__in=CLAIMABLE).exists():
        return _busy(request_id)
    return _why_not(request_id, "queued")


def _claim_next_lost_the_lock(**_: Any) -> QueueRefused:
    # As on PostgreSQL, where claim next skips every row another claimer holds.
    return QueueRefused(NOTHING_FREE)


def _decision_lost_the_lock(action: ECRequestAction, *, request_id: int, user: User,
                            **_: Any) -> QueueRefused:
    """Release, grant or reject that lost SQLite's write lock: PostgreSQL's refusal once the
    other writer's change shows (it is no longer this user's claim), else try again."""
    request = ECRequest.objects.select_related("claimed_by").filter(pk=request_id).first()
    return _not_claimed_by(request, request_id, user, action) or _busy(request_id)


def _when_locked(
    refusal: Callable[..., QueueRefused],
) -> Callable[[Callable[Params, ECRequest]], Callable[Params, ECRequest]]:
    """The service raises ``refusal(**its keyword arguments)`` if it loses SQLite's write lock."""

    def decorate(service: Callable[Params, ECRequest]) -> Callable[Params, ECRequest]:
        @functools.wraps(service)
        def guarded(*args: Params.args, **kwargs: Params.kwargs) -> ECRequest:
            with refused_when_locked(lambda: refusal(**kwargs)):  # the services are keyword-only
                return service(*args, **kwargs)

        return guarded

    return decorate


@_when_locked(_claim_lost_the_lock)
def ec_request_claim(*, request_id: int, user: User) -> ECRequest:
    """Claim a queued request. A conditional UPDATE that must change exactly one row, so of two
    people claiming at the same moment exactly one wins."""
    with transaction.atomic():
        won = ECRequest.objects.filter(pk=request_id, state__in=CLAIMABLE).update(
            state=CLAIMED, claimed_by=user, claimed_at=clock.now()
        )
        if won != 1:
            raise _why_not(request_id, "queued")
        request = ECRequest.objects.get(pk=request_id)
        _event(request, ECRequestEvent.Kind.CLAIMED, user)
        audit(user=user, action="ec_request.claim", obj=request,
              summary=f"EC request #{request.pk} claimed.")
        _note_claimed(request, user)
        return request


@_when_locked(_claim_next_lost_the_lock)
def ec_request_claim_next(*, user: User) -> ECRequest:
    """Claim the next free request: expedited first, then oldest. Rows another claimer holds
    locked are skipped, not waited for."""
    with transaction.atomic():
        request = (
            ECRequest.objects.select_for_update(skip_locked=True)
            .filter(state__in=CLAIMABLE)
            .order_by("-expedited", "created_at", "pk")
            .first()
        )
        if request is None:
            raise QueueRefused(NOTHING_FREE)
        request.state, request.claimed_by, request.claimed_at = CLAIMED, user, clock.now()
        request.save(update_fields=["state", "claimed_by", "claimed_at"])
        _event(request, ECRequestEvent.Kind.CLAIMED, user, note="Claim next")
        audit(user=user, action="ec_request.claim", obj=request,
              summary=f"EC request #{request.pk} claimed (claim next).")
        _note_claimed(request, user)
        return request


def _note_claimed(request: ECRequest, user: User) -> None:
    """The case waiting on the request hears who has it (no e-mail: nothing is decided yet)."""
    if request.case is not None:
        case_note(case=request.case, user=user, email=False,
                  text=f"EC request #{request.pk} claimed by {display_name(user, 'someone')} in Access Management.")


def _claimed_by(request_id: int, user: User, action: ECRequestAction) -> ECRequest:
    request = ECRequest.objects.select_for_update(of=("self",)).filter(pk=request_id).first()
    refusal = _not_claimed_by(request, request_id, user, action)
    if refusal is not None:
        raise refusal
    assert request is not None
    return request


def ec_request_decision_refusal(*, request: ECRequest, user: User,
                                action: ECRequestAction) -> QueueRefused | None:
    """Why ``user`` cannot ``action`` (grant, reject or release) ``request`` now (None when they
    can): what a page asks before offering it, in the words the service would refuse it with."""
    return _not_claimed_by(request, request.pk, user, action)


def _not_claimed_by(request: ECRequest | None, request_id: int, user: User,
                    action: ECRequestAction) -> QueueRefused | None:
    """Why ``user`` cannot ``action`` (decide or release) ``request`` now, or None when
    ECRequest.can() allows it; the refusal says which part of it is missing."""
    if request is None:
        return QueueRefused(f"There is no EC request #{request_id}.")
    if request.can(action, user):
        return None
    if not request.is_open:
        # Also what the second of a double-submitted Grant or Reject hears.
        return QueueRefused(
            f"EC request #{request_id} is already {request.get_state_display().lower()}: "
            "nothing more to do."
        )
    if request.state != CLAIMED:
        return QueueRefused(
            f"EC request #{request_id} is {request.get_state_display().lower()}: claim it first."
        )
    return QueueRefused(
        f"EC request #{request_id} is claimed by {display_name(request.claimed_by, 'someone')}: only they can "
        "grant, reject or release it."
    )


@_when_locked(functools.partial(_decision_lost_the_lock, "release"))
def ec_request_release(*, request_id: int, user: User) -> ECRequest:
    with transaction.atomic():
        request = _claimed_by(request_id, user, "release")
        request.state, request.claimed_by, request.claimed_at = QUEUED, None, None
        request.save(update_fields=["state", "claimed_by", "claimed_at"])
        _event(request, ECRequestEvent.Kind.RELEASED, user)
        audit(user=user, action="ec_request.release", obj=request,
              summary=f"EC request #{request.pk} released back to the queue.")
        return request


@_when_locked(functools.partial(_decision_lost_the_lock, "grant"))
def ec_request_grant(*, request_id: int, user: User) -> ECRequest:
    """Add the EC identifier and business functions to the employer SL app, under every model
    invariant, in the same transaction as the transition; tell the case and the specialist."""
    with transaction.atomic():
        request = _claimed_by(request_id, user, "grant")
        sl_app = SLApplication.objects.select_for_update().get(pk=request.sl_app_id)
        if not rules.ec_identifier_allowed(sl_app.kind):
            raise QueueRefused(
                "Do NOT add EC Identifiers to Agent SL applications or pseudo apps, ONLY employers."
            )
        sl_app.ec_identifier = request.ec_identifier
        sl_app.ec_added_on = sl_app.ec_added_on or clock.today()
        try:
            sl_app.full_clean()
            sl_app.save()
        except ValidationError as error:
            raise QueueRefused(" ".join(error.messages)) from error
        functions = BusinessFunction.objects.filter(code__in=request.business_functions)
        sl_app.business_functions.add(*functions)
        request.state, request.decided_at = ECRequest.State.GRANTED, clock.now()
        request.save(update_fields=["state", "decided_at"])
        summary = (
            f"EC request #{request.pk} granted by {display_name(user, 'someone')}: EC {request.ec_identifier} and "
            f"business functions {', '.join(request.business_functions)} added to SL app "
            f"{sl_app.sl_app_number}."
        )
        _event(request, ECRequestEvent.Kind.GRANTED, user, note=summary)
        audit(user=user, action="ec_request.grant", obj=request, summary=summary)
        if request.case is not None:  # the requester gets the completion notice below
            case_note(case=request.case, user=user, text=summary, email=False)
        if request.requested_by and request.requested_by.email:
            recipient = request.requested_by.email
            transaction.on_commit(lambda: _completion_notice(request, recipient, summary))
        return request


@_when_locked(functools.partial(_decision_lost_the_lock, "reject"))
def ec_request_reject(*, request_id: int, user: User, reason: str, note: str) -> ECRequest:
    note = note.strip()
    if reason not in RejectReason.values:
        raise QueueRefused("Choose a reason from the list.")
    if reason == RejectReason.OTHER and not note:
        raise QueueRefused("Explain the reason in the note when it is “Other”.")
    with transaction.atomic():
        request = _claimed_by(request_id, user, "reject")
        request.state, request.decided_at = ECRequest.State.REJECTED, clock.now()
        request.reject_reason, request.reject_note = reason, note
        request.save(update_fields=["state", "decided_at", "reject_reason", "reject_note"])
        text = f"EC request #{request.pk} rejected by {display_name(user, 'someone')}: {RejectReason(reason).label}."
        if note:
            text += f" {note}"
        _event(request, ECRequestEvent.Kind.REJECTED, user, note=text)
        audit(user=user, action="ec_request.reject", obj=request,
              summary=f"EC request #{request.pk} rejected: {RejectReason(reason).label}.")
        if request.case is not None:
            case_note(case=request.case, user=user, text=text)
        return request


def _completion_notice(request: ECRequest, recipient: str, summary: str) -> None:
    send_mail(
        subject=f"Completed: EC access for group {request.group.group_number} {request.group.name}",
        message=f"{summary}\n\nThe employer's PAA can now see the EC reports under the Reports "
        "tab of the Employer portal.",
        from_email=None,
        recipient_list=[recipient],
    )
