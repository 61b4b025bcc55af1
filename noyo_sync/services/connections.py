"""Requesting a group connection, sending it to Noyo, checking it, asking Noyo to retry it.

A request is refused before anything is sent when the seed says Noyo cannot take it. An accepted
request is saved first ("not yet sent") and sent right after the commit, so no database
transaction is held open across an HTTP call and a Noyo outage loses nothing: the poller sends
what is still waiting. Every write is one transaction that appends the history row for it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from supportdesk import clock
from supportdesk.audit import audit
from supportdesk.services import case_note

from .. import rules
from ..models import GroupConnection, GroupConnectionEvent, PollRun
from ..transport import (
    NoyoConflict,
    NoyoError,
    NoyoRefused,
    NoyoTransport,
    NoyoUnavailable,
    RemoteConnection,
)

logger = logging.getLogger(__name__)

S = rules.ConnectionStatus
Kind = GroupConnectionEvent.Kind
SEND_CLAIM = dt.timedelta(minutes=2)  # a sender that held a claim this long has died


class ConnectionRefused(Exception):
    """The request cannot be made; ``reasons`` says why, in the seed's words."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def _event(connection: GroupConnection, kind: str, *, previous: str = "", user: User | None = None,
           poll_run: PollRun | None = None, note: str = "", at: dt.datetime | None = None,
           webhook_event: Any = None) -> None:
    GroupConnectionEvent.objects.create(
        connection=connection, kind=kind, status=connection.status, previous_status=previous,
        seen_at=at or clock.now(), user=user, poll_run=poll_run, note=note,
        webhook_event=webhook_event,
    )


def tell_case(connection: GroupConnection, user: User | None = None, *, news: bool = True) -> None:
    """Inside the write's transaction: the case that requested the connection gets a note of
    where it stands now (news for its specialist unless they made the change), and the case's
    wait is read afresh."""
    case = connection.case
    if case is None:
        return
    guide = connection.guide
    # Every change is noted; only one that asks something of the specialist, or ends the wait,
    # is e-mailed (not the "created" and "processing" of the first minutes).
    settled = connection.status_enum in rules.SETTLED_STATUSES
    case_note(case=case, user=user, email=settled, news=news, text=(
        f"{connection.label} is now {connection.get_status_display()}: {guide.meaning} "
        f"What to do: {guide.what_to_do}"
    )[:2000])


def _duplicate(carrier_id: str, carrier_group_id: str) -> str | None:
    existing = GroupConnection.objects.live(carrier_id, carrier_group_id).first()
    if existing is None:
        return None
    return (f"Group connections are unique by carrier ID and carrier group ID: carrier group ID "
            f"{carrier_group_id} is already connected for group {existing.group.group_number} "
            f"({existing.get_status_display()}).")


def connection_problems(*, carrier_group_id: str, census_file_sent: bool, group_number_issued: bool,
                        unsupported: Iterable[str]) -> list[str]:
    """Everything the seed says stops a request, before any request is sent."""
    problems = []
    if problem := rules.carrier_group_id_problem(carrier_group_id):
        problems.append(problem)
    problems += rules.missing_prerequisites(census_file_sent=census_file_sent,
                                            group_number_issued=group_number_issued)
    problems += rules.unsupported_reasons(unsupported)
    if not problems and (duplicate := _duplicate(settings.NOYO_CARRIER_ID, carrier_group_id)):
        problems.append(duplicate)
    return problems


def group_connection_request(
    *, group: Any, carrier_group_id: str, people: int, census_file_sent: bool,
    group_number_issued: bool, unsupported: Iterable[str] = (), existing_coverage: bool = False,
    previous_transfers_deactivated: bool = False, federal_ein: str = "",
    broker_federal_ein: str = "", user: User, send: bool = True, case: Any = None,
) -> GroupConnection:
    """Save a connection request and, once committed, send it to Noyo."""
    unsupported = list(unsupported)
    problems = connection_problems(carrier_group_id=carrier_group_id, census_file_sent=census_file_sent,
                                   group_number_issued=group_number_issued, unsupported=unsupported)
    if problems:
        raise ConnectionRefused(problems)
    now = clock.now()
    connection = GroupConnection(
        group=group, carrier_id=settings.NOYO_CARRIER_ID, carrier_group_id=carrier_group_id,
        group_name=group.name, federal_ein=federal_ein, broker_federal_ein=broker_federal_ein,
        people=people, existing_coverage=existing_coverage,
        previous_transfers_deactivated=previous_transfers_deactivated,
        status=S.NOT_SENT, status_changed_at=now, requested_by=user, case=case,
    )
    notes = ["Prerequisites confirmed: initial enrollment provided to Humana via census file; "
             "group number issued in the welcome letter. The group has none of the plans Noyo "
             "does not support."]
    if advice := rules.previous_transfers_advice(existing_coverage=existing_coverage,
                                                 transfers_deactivated=previous_transfers_deactivated):
        notes.append(advice)
    if rules.needs_manual_carrier_review(people):
        notes.append(f"{people} people: {rules.MANUAL_REVIEW_NOTE}")
    try:
        with transaction.atomic():
            connection.full_clean(validate_constraints=False)
            connection.save()
            _event(connection, Kind.REQUESTED, user=user, note="\n".join(notes), at=now)
            audit(user=user, action="noyo_connection.request", obj=connection, summary=(
                f"Noyo connection #{connection.pk} requested for group {group.group_number}, "
                f"carrier group ID {carrier_group_id}, {people} people."
            ))
            if send:
                transaction.on_commit(lambda: send_quietly(connection.pk), robust=True)
    except ValidationError as error:
        raise ConnectionRefused(error.messages) from error
    except IntegrityError as error:  # someone requested the same carrier group ID just now
        raise ConnectionRefused([_duplicate(connection.carrier_id, carrier_group_id)
                                 or "This connection could not be saved; try again."]) from error
    return connection


def send_quietly(connection_id: int) -> None:
    """Send after the request commits; an outage only leaves it waiting for the poller."""
    try:
        group_connection_send(connection_id=connection_id)
    except NoyoError as error:
        logger.warning("Noyo connection %s not sent yet: %s", connection_id, error.message)


def _claim_for_sending(connection_id: int) -> bool:
    now = clock.now()
    return GroupConnection.objects.filter(
        Q(send_claimed_at__isnull=True) | Q(send_claimed_at__lt=now - SEND_CLAIM),
        pk=connection_id, status__in=GroupConnection.TRANSITIONS["send"],
    ).update(send_claimed_at=now) == 1


def _group_data(connection: GroupConnection) -> dict[str, str]:
    """The create body's group_data (the spec's GroupSetupRequestPublicGroupData); the employer's
    federal EIN goes beside it, at the top level."""
    data = {"carrier_group_id": connection.carrier_group_id, "group_name": connection.group_name}
    if connection.broker_federal_ein:
        data["broker_federal_ein"] = connection.broker_federal_ein
    return data


def group_connection_send(*, connection_id: int, transport: NoyoTransport | None = None,
                          poll_run: PollRun | None = None) -> GroupConnection:
    """POST a waiting request to Noyo. A 409 means an earlier try reached Noyo after all (its
    answer was lost): that connection is looked up and adopted. Raises NoyoUnavailable, after
    noting the error on the connection, when Noyo cannot be reached."""
    if not _claim_for_sending(connection_id):
        return GroupConnection.objects.get(pk=connection_id)
    connection = GroupConnection.objects.get(pk=connection_id)
    owned = transport is None
    transport = transport or NoyoTransport.from_settings()
    try:
        try:
            remote = transport.create_group_connection(carrier_id=connection.carrier_id,
                                                       group_data=_group_data(connection),
                                                       federal_ein=connection.federal_ein)
            note = "Noyo accepted the connection request."
        except NoyoConflict as conflict:
            page = transport.list_group_connections(carrier_id=connection.carrier_id,
                                                    carrier_group_id=connection.carrier_group_id)
            if not page.connections:
                raise NoyoRefused(conflict.message, status=conflict.status) from conflict
            remote = page.connections[0]
            return record_accepted(connection_id, remote, "Noyo already held this connection: "
                                   "adopted it.", poll_run, adopted=True)
    except NoyoUnavailable as error:
        GroupConnection.objects.filter(pk=connection_id).update(
            last_error=error.message[:500], last_error_at=clock.now(), send_claimed_at=None)
        raise
    except NoyoRefused as error:
        return _record_refused(connection_id, error.message, poll_run)
    finally:
        if owned:
            transport.close()
    return record_accepted(connection_id, remote, note, poll_run)


def adoption_differences(connection: GroupConnection, remote: RemoteConnection) -> str:
    """What a connection Noyo already held says differently from our request: it may have been
    made elsewhere, for another employer. Said on the page and in the list, never silent."""
    differences = []
    if remote.group_name and remote.group_name.strip().casefold() != connection.group_name.strip().casefold():
        differences.append(f"Noyo's group name is “{remote.group_name}”, ours “{connection.group_name}”.")
    if remote.federal_ein and connection.federal_ein and remote.federal_ein != connection.federal_ein:
        differences.append(f"Noyo's employer federal EIN is {remote.federal_ein}, ours "
                           f"{connection.federal_ein}.")
    return " ".join(differences)


def record_accepted(connection_id: int, remote: RemoteConnection, note: str,
                     poll_run: PollRun | None, *, adopted: bool = False) -> GroupConnection:
    with transaction.atomic():
        connection = GroupConnection.objects.select_for_update().get(pk=connection_id)
        now = clock.now()
        if adopted and (differences := adoption_differences(connection, remote)):
            connection.adopted_differences = differences[:500]
            note = (f"{note} It differs from our request: {differences} Check with Noyo that it is "
                    "this employer's connection.")
        connection.noyo_id, connection.noyo_group_id = remote.id, remote.group_id
        connection.status = rules.noyo_status(remote.status) or S.CREATED
        connection.status_changed_at = now
        connection.last_error, connection.last_error_at, connection.send_claimed_at = "", None, None
        connection.save()
        _event(connection, Kind.SENT, previous=S.NOT_SENT, poll_run=poll_run, at=now,
               note=f"{note} Noyo connection ID {remote.id}.")
        # Seconds after the specialist asked for it: noted, but no news to flag.
        tell_case(connection, news=connection.status_enum in rules.SETTLED_STATUSES)
        audit(user=None, action="noyo_connection.sent", obj=connection,
              summary=f"Noyo connection #{connection.pk} sent: {note} Now "
              f"{connection.get_status_display()}.")
        return connection


def _record_refused(connection_id: int, message: str, poll_run: PollRun | None) -> GroupConnection:
    with transaction.atomic():
        connection = GroupConnection.objects.select_for_update().get(pk=connection_id)
        connection.status, connection.status_changed_at = S.REFUSED, clock.now()
        connection.last_error, connection.last_error_at = message[:500], connection.status_changed_at
        connection.send_claimed_at = None
        connection.save()
        _event(connection, Kind.REFUSED, previous=S.NOT_SENT, poll_run=poll_run, note=message)
        tell_case(connection)
        audit(user=None, action="noyo_connection.refused", obj=connection,
              summary=f"Noyo connection #{connection.pk} refused by Noyo: {message}")
        return connection


def record_status(connection: GroupConnection, status: rules.ConnectionStatus, *, kind: str = Kind.STATUS,
                  user: User | None = None, poll_run: PollRun | None = None, note: str = "",
                  webhook_event: Any = None) -> bool:
    """Inside the caller's transaction, with the row locked: store a status Noyo reported and
    append the history row, only when it changed (or when the event is a retry)."""
    if status == connection.status and kind == Kind.STATUS:
        return False
    previous = connection.status
    connection.status, connection.status_changed_at = status, clock.now()
    connection.save(update_fields=["status", "status_changed_at"])
    _event(connection, kind, previous=previous, user=user, poll_run=poll_run, note=note,
           at=connection.status_changed_at, webhook_event=webhook_event)
    tell_case(connection, user)
    return True


def group_connection_refresh(*, connection_id: int, user: User,
                             transport: NoyoTransport | None = None) -> PollRun:
    """"Check with Noyo now" for one connection (a waiting request is sent). Recorded as a poll
    run, so an outage seen here shows on the pages like one the poller saw."""
    run = PollRun.objects.create(trigger=PollRun.Trigger.PAGE)
    owned = transport is None
    transport = transport or NoyoTransport.from_settings()
    try:
        connection = GroupConnection.objects.get(pk=connection_id)
        if connection.can("send"):
            connection = group_connection_send(connection_id=connection_id, transport=transport,
                                               poll_run=run)
            run.sent = int(connection.status != S.NOT_SENT)
        elif connection.noyo_id:
            remote = transport.get_group_connection(connection.noyo_id)
            status = rules.noyo_status(remote.status)
            run.seen = 1
            with transaction.atomic():
                locked = GroupConnection.objects.select_for_update().get(pk=connection_id)
                if status is not None and record_status(locked, status, user=user, poll_run=run):
                    run.changed = 1
        run.outcome = PollRun.Outcome.OK
    except NoyoUnavailable as error:
        run.outcome, run.error = PollRun.Outcome.OUTAGE, error.message[:500]
    except NoyoError as error:
        run.outcome, run.error = PollRun.Outcome.REFUSED, error.message[:500]
    finally:
        if owned:
            transport.close()
        run.finished_at = clock.now()
        with transaction.atomic():
            run.save()
            audit(user=user, action="noyo_connection.refresh",
                  obj=GroupConnection(pk=connection_id), summary=(
                      f"Noyo connection #{connection_id} checked with Noyo (poll #{run.pk}): "
                      f"{run.get_outcome_display()}"
                      f"{', status changed' if run.changed or run.sent else ''}."
                  ))
    return run


def group_connection_cancel(*, connection_id: int, user: User) -> GroupConnection:
    """Take back a request SupportDesk has not sent yet. Noyo's API has no way to withdraw a
    group connection it holds, so only one still "not yet sent", and not being sent right now
    (its send claim), can be cancelled; anything else raises ConnectionRefused saying why."""
    now = clock.now()
    with transaction.atomic():
        taken = GroupConnection.objects.filter(
            Q(send_claimed_at__isnull=True) | Q(send_claimed_at__lt=now - SEND_CLAIM),
            pk=connection_id, status__in=GroupConnection.TRANSITIONS["cancel"],
        ).update(status=S.CANCELLED, status_changed_at=now, send_claimed_at=None)
        connection = GroupConnection.objects.select_for_update().select_related("group").get(
            pk=connection_id)
        if not taken:
            raise ConnectionRefused([_not_cancellable(connection)])
        _event(connection, Kind.CANCELLED, previous=S.NOT_SENT, user=user, at=now,
               note="Taken back before it was sent: Noyo never received it.")
        audit(user=user, action="noyo_connection.cancel", obj=connection,
              summary=f"Noyo connection #{connection.pk} cancelled before it was sent.")
        return connection


def _not_cancellable(connection: GroupConnection) -> str:
    named = (f"Noyo group connection #{connection.pk} for carrier group ID "
             f"{connection.carrier_group_id}")
    if connection.can("cancel"):  # its status allows it: the send claim stopped it
        return (f"SupportDesk is sending {named} to Noyo right now, so it cannot be taken back: "
                "try again in a minute.")
    if connection.status_enum in rules.ENDED_UNSENT:
        return f"{named} is {connection.get_status_display().lower()} already."
    return (f"Noyo holds {named} ({connection.get_status_display()}); Noyo offers no way to "
            "withdraw a group connection, so it cannot be taken back. Follow it on its "
            "connection page; if it was wrong, add a note to the case and tell Noyo.")


def group_connection_retry(*, connection_id: int, user: User,
                           transport: NoyoTransport | None = None) -> GroupConnection:
    """Ask Noyo to retry a connection that is action_required or unable_to_connect."""
    connection = GroupConnection.objects.get(pk=connection_id)
    if not connection.can("retry"):
        raise ConnectionRefused([f"Only a connection that is Action required or Unable to connect "
                                 f"can be retried; this one is {connection.get_status_display()}."])
    owned = transport is None
    transport = transport or NoyoTransport.from_settings()
    try:
        remote = transport.retry_group_connection(connection.noyo_id)
    except NoyoError as error:
        raise ConnectionRefused([f"Noyo did not take the retry: {error.message}"]) from error
    finally:
        if owned:
            transport.close()
    with transaction.atomic():
        locked = GroupConnection.objects.select_for_update().get(pk=connection_id)
        record_status(locked, rules.noyo_status(remote.status) or S.PROCESSING, kind=Kind.RETRIED,
                      user=user, note="Noyo was asked to retry the connection.")
        audit(user=user, action="noyo_connection.retry", obj=locked,
              summary=f"Noyo connection #{locked.pk} retried: now {locked.get_status_display()}.")
        return locked
