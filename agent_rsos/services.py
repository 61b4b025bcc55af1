"""The only write path for ARSOS mailbox escalations (seed 002). Keyword-only functions, one
transaction each; each writes an append-only EscalationEvent and, for the lifecycle, a note on
the case. Case notes never carry member data: only the escalation number, line and times."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from supportdesk import clock
from supportdesk.audit import audit
from supportdesk.dates import datetime_text
from supportdesk.people import display_name
from supportdesk.services import case_note

from . import rules
from .models import Escalation, EscalationAction, EscalationEvent, SlaReminder

logger = logging.getLogger(__name__)

Status = Escalation.Status
# What a draft holds about the member; cleared when the draft is discarded unsent.
MEMBER_FIELDS = ("member_id", "member_first_name", "member_last_name", "reference_number",
                 "summary")
Kind = EscalationEvent.Kind


class EscalationRefused(Exception):
    """The step is not possible now; the message says why."""


@dataclass(frozen=True)
class EscalationDetails:
    """The mailbox template's fields, as the escalation form cleans them."""

    line: rules.LineOfBusiness
    topic: rules.Topic
    agent_name: str
    agent_san: str
    member_id: str
    member_first_name: str
    member_last_name: str
    reference_number: str
    summary: str


# --- reading ------------------------------------------------------------------------------


def mailbox_request(escalation: Escalation) -> rules.MailboxRequest:
    return rules.MailboxRequest(
        line=rules.LineOfBusiness(escalation.line_of_business),
        agent_name=escalation.agent_name,
        agent_san=escalation.agent_san,
        member_id=escalation.member_id,
        member_first_name=escalation.member_first_name,
        member_last_name=escalation.member_last_name,
        reference_number=escalation.reference_number,
        summary=escalation.summary,
    )


def escalation_email(escalation: Escalation, *, from_email: str = "") -> EmailMessage:
    """The e-mail to the mailbox, as the seed's template lays it out. Not sent from here: the
    specialist copies it or opens the .eml in their mail client (X-Unsent makes it a draft)."""
    request = mailbox_request(escalation)
    return EmailMessage(
        subject=rules.mailbox_subject(request.line, request.member_last_name,
                                      request.member_first_name),
        body=rules.mailbox_body(request),
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[rules.ARSOS_MAILBOX],
        headers={"X-Unsent": "1"},
    )


def clock_of(escalation: Escalation) -> rules.SlaClock:
    def local(value: dt.datetime | None) -> dt.datetime | None:
        return timezone.localtime(value) if value else None

    return rules.sla_clock(
        sent_at=local(escalation.sent_at),
        acknowledged_at=local(escalation.acknowledged_at),
        last_update_at=local(escalation.last_update_at),
        closed=escalation.status in Escalation.CLOSED_STATES,
    )


# --- writing ------------------------------------------------------------------------------


def _event(escalation: Escalation, kind: str, user: User | None, *, occurred_at: dt.datetime | None = None,
           note: str = "") -> EscalationEvent:
    return EscalationEvent.objects.create(
        escalation=escalation, kind=kind, user=user, occurred_at=occurred_at or clock.now(),
        note=note,
    )


def _case_note(escalation: Escalation, user: User, text: str) -> None:
    case_note(case=escalation.case, user=user, text=f"{escalation.label}: {text}")


def _noted(note: str) -> str:
    """The transcript says that a note was kept, never what it says: a note may name the member
    (the escalation holds member data; the case never does)."""
    return " A note is kept with the escalation." if note.strip() else ""


def _when(value: dt.datetime) -> str:
    return datetime_text(value)


def _when_set(value: dt.datetime | None) -> str:
    """`_when` of a time the escalation's state guarantees: `sent_at` once sent, the due times
    once `_refresh_clock` ran on a sent escalation, `closed_at` once closed."""
    if value is None:
        raise ValueError("a time the escalation's state guarantees is not set")
    return _when(value)


def _refresh_clock(escalation: Escalation) -> None:
    sla = clock_of(escalation)
    escalation.response_due_at = sla.response_due_at
    escalation.follow_up_due_at = sla.follow_up_due_at
    upcoming = sla.next_due()
    escalation.next_due_kind = upcoming[0].value if upcoming else ""
    escalation.next_due_at = upcoming[1] if upcoming else None


def _save(escalation: Escalation) -> None:
    escalation.full_clean(exclude=["case", "owner"])
    escalation.save()


def escalation_draft(*, case: Any, user: User, line: rules.LineOfBusiness,
                     topic: str = "") -> Escalation:
    """The draft escalation of ``case`` for ``line``: created once (found again from a second
    tab); Back or Restart past it discards it, and landing again drafts anew. No member data
    yet; the specialist fills it in on the escalation's page."""
    with transaction.atomic():
        existing = Escalation.objects.filter(
            case=case, line_of_business=line.value, status=Status.DRAFT
        ).first()
        if existing is not None:
            return existing
        topic = topic if topic in rules.Topic._value2member_map_ else ""
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    case=case, owner=user, line_of_business=line.value, topic=topic
                )
        except IntegrityError:  # drafted at the same moment from another tab
            return Escalation.objects.get(case=case, line_of_business=line.value,
                                          status=Status.DRAFT)
        _event(escalation, Kind.DRAFTED, user, note=f"From case {case.reference}")
        audit(user=user, action="arsos_escalation.draft", obj=escalation,
              summary=f"{escalation.label} drafted from case {case.reference}.")
        return escalation


def escalation_discard(*, case: Any, user: User) -> str:
    """Undo the drafts a case made, as its specialist goes back past the mailbox step (or
    restarts): a draft is discarded, and what was typed on it about the member is cleared (it
    was never sent). Once one is sent it cannot be unsent: refused, saying what to do instead.
    Returns the line for the case's transcript ("" when nothing was drafted)."""
    escalations = list(Escalation.objects.select_for_update().filter(case=case).exclude(
        status__in=[Status.DISCARDED]).order_by("pk"))
    sent = [e for e in escalations if not e.can("discard")]
    if sent:
        first = sent[0]
        raise EscalationRefused(
            f"{first.label} was sent to {rules.ARSOS_MAILBOX} {_when_set(first.sent_at)}: an e-mail "
            "cannot be unsent. Work it from its page (follow up, resolve or escalate it), or add "
            "a note to this case and start a new one."
        )
    for escalation in escalations:
        for name in MEMBER_FIELDS:
            setattr(escalation, name, "")
        escalation.status, escalation.closed_at = Status.DISCARDED, clock.now()
        _save(escalation)
        _event(escalation, Kind.DISCARDED, user,
               note=f"The specialist went back in case {case.reference}; never sent.")
        audit(user=user, action="arsos_escalation.discard", obj=escalation,
              summary=f"{escalation.label} discarded from case {case.reference}.")
    labels = ", ".join(e.label for e in escalations)
    return f"Discarded the draft {labels} (never sent)." if escalations else ""


def _owned(escalation_id: int, user: User) -> Escalation:
    escalation = (
        Escalation.objects.select_for_update(of=("self",)).select_related("case")
        .filter(pk=escalation_id).first()
    )
    if escalation is None:
        raise EscalationRefused(f"There is no ARSOS escalation #{escalation_id}.")
    if escalation.owner_id != user.pk:
        raise EscalationRefused(
            f"{escalation.label} belongs to {display_name(escalation.owner, 'SupportDesk')}: only they can work it."
        )
    return escalation


def _refuse_unless(escalation: Escalation, action: EscalationAction, *, doing: str) -> None:
    """Refuse ``action`` unless Escalation.TRANSITIONS allows it from the current state."""
    if not escalation.in_state_for(action):
        raise EscalationRefused(
            f"{escalation.label} is {escalation.get_status_display().lower()}: it cannot be "
            f"{doing} now."
        )


def escalation_save_details(*, escalation_id: int, user: User,
                            details: EscalationDetails) -> Escalation:
    """Fill in (or correct) the template's fields while the escalation is a draft."""
    with transaction.atomic():
        escalation = _owned(escalation_id, user)
        if not escalation.can("save_details"):
            raise EscalationRefused(
                f"{escalation.label} was sent: its details can no longer be changed."
            )
        if details.line.value != escalation.line_of_business and Escalation.objects.filter(
            case=escalation.case, line_of_business=details.line.value, status=Status.DRAFT
        ).exists():
            raise EscalationRefused(
                f"This case already has a draft escalation for {details.line.value}: fill that "
                "one in instead."
            )
        escalation.line_of_business = details.line.value
        escalation.topic = details.topic.value
        for name in ("agent_name", "agent_san", "member_id", "member_first_name",
                     "member_last_name", "reference_number", "summary"):
            setattr(escalation, name, getattr(details, name).strip())
        _save(escalation)
        _event(escalation, Kind.DETAILS, user)
        # Which fields were saved, never their values: the template holds member data.
        audit(user=user, action="arsos_escalation.details", obj=escalation,
              summary=f"{escalation.label}: mailbox template details saved.")
        return escalation


def escalation_split(*, escalation_id: int, user: User) -> Escalation:
    """Seed 002: "do NOT send Medicare and Individual concerns in the same email". Start a
    second draft, for the other line, on the same case; this one keeps its line."""
    with transaction.atomic():
        escalation = _owned(escalation_id, user)
        _refuse_unless(escalation, "split", doing="split")
        other = (rules.LineOfBusiness.HUMANAONE
                 if escalation.line_of_business == rules.LineOfBusiness.MEDICARE
                 else rules.LineOfBusiness.MEDICARE)
        second = escalation_draft(case=escalation.case, user=user, line=other,
                                  topic=escalation.topic)
        _event(escalation, Kind.SPLIT, user, note=f"{other.value} concerns go in {second.label}.")
        _case_note(escalation, user, f"split: the {other.value} concerns go in {second.label}.")
        audit(user=user, action="arsos_escalation.split", obj=escalation,
              summary=f"{escalation.label} split: the {other.value} concerns go in {second.label}.")
        return second


def _check_time(occurred_at: dt.datetime, after: dt.datetime | None, what: str) -> dt.datetime:
    """The time a step happened: not in the future, not before the step it follows. Forms give
    minutes, so a time in the same minute as ``after`` counts as just after it."""
    if occurred_at > clock.now() + dt.timedelta(minutes=5):
        raise EscalationRefused("That time is in the future.")
    if after is None:
        return occurred_at
    if occurred_at < after.replace(second=0, microsecond=0):
        raise EscalationRefused(f"It cannot have happened before {what} ({_when(after)}).")
    return max(occurred_at, after)


def escalation_mark_sent(*, escalation_id: int, user: User,
                         occurred_at: dt.datetime | None = None, note: str = "") -> Escalation:
    """The e-mail went to the mailbox: the SLA clock starts."""
    occurred_at = occurred_at or clock.now()
    with transaction.atomic():
        escalation = _owned(escalation_id, user)
        _refuse_unless(escalation, "mark_sent", doing="marked sent")
        if not escalation.can("mark_sent"):  # the state allows it: the template is incomplete
            raise EscalationRefused(
                "Fill in every required field of the mailbox template before sending."
            )
        occurred_at = _check_time(occurred_at, None, "")
        escalation.status, escalation.sent_at = Status.SENT, occurred_at
        _refresh_clock(escalation)
        _save(escalation)
        _event(escalation, Kind.SENT, user, occurred_at=occurred_at, note=note)
        audit(user=user, action="arsos_escalation.sent", obj=escalation,
              summary=f"{escalation.label} sent {_when(occurred_at)}.")
        _case_note(escalation, user, f"sent to {rules.ARSOS_MAILBOX} {_when(occurred_at)}; "
                   f"response due {_when_set(escalation.response_due_at)}." + _noted(note))
        return escalation


def escalation_acknowledge(*, escalation_id: int, user: User,
                           occurred_at: dt.datetime | None = None, note: str = "") -> Escalation:
    """The mailbox's acknowledgement arrived: follow-ups are due every five business days."""
    occurred_at = occurred_at or clock.now()
    with transaction.atomic():
        escalation = _owned(escalation_id, user)
        _refuse_unless(escalation, "acknowledge", doing="acknowledged")
        occurred_at = _check_time(occurred_at, escalation.sent_at, "the e-mail was sent")
        escalation.status, escalation.acknowledged_at = Status.ACKNOWLEDGED, occurred_at
        _refresh_clock(escalation)
        _save(escalation)
        _event(escalation, Kind.ACKNOWLEDGED, user, occurred_at=occurred_at, note=note)
        audit(user=user, action="arsos_escalation.acknowledge", obj=escalation,
              summary=f"{escalation.label} acknowledged {_when(occurred_at)}.")
        _case_note(escalation, user, f"acknowledged {_when(occurred_at)}; follow-up due "
                   f"{_when_set(escalation.follow_up_due_at)}." + _noted(note))
        return escalation


def escalation_follow_up(*, escalation_id: int, user: User,
                         occurred_at: dt.datetime | None = None, note: str = "") -> Escalation:
    """An update from the mailbox arrived: it answers the 72-hour response if still owed, and
    the next follow-up is due five business days later."""
    occurred_at = occurred_at or clock.now()
    with transaction.atomic():
        escalation = _owned(escalation_id, user)
        if escalation.status == Status.SENT:
            raise EscalationRefused("Record the mailbox's acknowledgement first.")
        _refuse_unless(escalation, "follow_up", doing="followed up")
        latest = escalation.last_update_at or escalation.acknowledged_at
        occurred_at = _check_time(occurred_at, latest, "the last acknowledgement or update")
        escalation.last_update_at = occurred_at
        escalation.responded_at = escalation.responded_at or occurred_at
        _refresh_clock(escalation)
        _save(escalation)
        _event(escalation, Kind.FOLLOW_UP, user, occurred_at=occurred_at, note=note)
        audit(user=user, action="arsos_escalation.follow_up", obj=escalation,
              summary=f"{escalation.label}: follow-up received {_when(occurred_at)}.")
        _case_note(escalation, user, f"follow-up received {_when(occurred_at)}; next due "
                   f"{_when_set(escalation.follow_up_due_at)}." + _noted(note))
        return escalation


def _close(escalation_id: int, user: User, occurred_at: dt.datetime | None, *,
           action: EscalationAction, status: str, kind: str, note: str,
           escalated_to: str = "") -> Escalation:
    occurred_at = occurred_at or clock.now()
    escalation = _owned(escalation_id, user)
    _refuse_unless(escalation, action, doing="closed")
    latest = escalation.last_update_at or escalation.acknowledged_at or escalation.sent_at
    occurred_at = _check_time(occurred_at, latest, "the last step recorded")
    escalation.status, escalation.closed_at = status, occurred_at
    escalation.escalated_to = escalated_to
    escalation.responded_at = escalation.responded_at or occurred_at
    _refresh_clock(escalation)
    _save(escalation)
    _event(escalation, kind, user, occurred_at=occurred_at, note=note)
    return escalation


def escalation_resolve(*, escalation_id: int, user: User, occurred_at: dt.datetime | None = None,
                       note: str = "") -> Escalation:
    with transaction.atomic():
        escalation = _close(escalation_id, user, occurred_at, action="resolve",
                            status=Status.RESOLVED, kind=Kind.RESOLVED, note=note)
        _case_note(escalation, user, f"resolved {_when_set(escalation.closed_at)}." + _noted(note))
        audit(user=user, action="arsos_escalation.resolve", obj=escalation,
              summary=f"{escalation.label} resolved {_when_set(escalation.closed_at)}.")
        return escalation


def escalation_escalate(*, escalation_id: int, user: User, escalated_to: str,
                        occurred_at: dt.datetime | None = None, note: str = "") -> Escalation:
    """Seed 001: "If Agents have exhausted all options for resolving a customer service issue,
    escalate to Sales Manager, Broker Relationship Manager (BRM) or Broker Relationship
    Executive (BRE)"."""
    if escalated_to not in Escalation.EscalatedTo.values:
        raise EscalationRefused("Choose the Sales Manager, the BRM or the BRE.")
    with transaction.atomic():
        escalation = _close(escalation_id, user, occurred_at, action="escalate",
                            status=Status.ESCALATED,
                            kind=Kind.ESCALATED, note=note, escalated_to=escalated_to)
        who = Escalation.EscalatedTo(escalated_to).label
        _case_note(escalation, user,
                   f"escalated to the {who} {_when_set(escalation.closed_at)}." + _noted(note))
        audit(user=user, action="arsos_escalation.escalate", obj=escalation,
              summary=f"{escalation.label} escalated to the {who} {_when_set(escalation.closed_at)}.")
        return escalation


# --- the SLA reminders (Celery beat) ------------------------------------------------------


def sla_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Mark every passed due point overdue and e-mail the owner, once per due point.

    Idempotent: SlaReminder is unique on (escalation, due point, due time), so a second run, or
    a second worker racing the first, finds the row and sends nothing. Each escalation is its
    own transaction with its row locked (skip_locked: another worker has it). The e-mail is sent
    inside the transaction: if sending fails, the reminder row rolls back and the next run
    tries again. Returns how many reminders were sent.
    """
    now = now or clock.now()
    candidates = list(
        Escalation.objects.filter(status__in=Escalation.OPEN_STATES, next_due_at__lte=now)
        .order_by("next_due_at").values_list("pk", flat=True)
    )
    sent = 0
    for escalation_id in candidates:
        try:
            sent += _remind_escalation(escalation_id, now)
        except Exception:  # one failing e-mail must not stop the others; retried next run
            logger.exception("SLA reminder for escalation %s failed; retried next run",
                             escalation_id)
    return sent


def _remind_escalation(escalation_id: int, now: dt.datetime) -> int:
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner", "case")
            .filter(pk=escalation_id, status__in=Escalation.OPEN_STATES).first()
        )
        if escalation is None:  # closed meanwhile, or another worker holds it
            return 0
        return sum(_remind(escalation, point, due_at)
                   for point, due_at in clock_of(escalation).overdue(now))


def _remind(escalation: Escalation, point: rules.DuePoint, due_at: dt.datetime) -> bool:
    owner = escalation.owner
    try:
        with transaction.atomic():
            SlaReminder.objects.create(escalation=escalation, due_point=point.value,
                                       due_at=due_at, recipient=owner.email)
    except IntegrityError:
        return False  # reminded already
    label = rules.DUE_POINT_LABELS[point]
    _event(escalation, Kind.OVERDUE, None, occurred_at=due_at,
           note=f"{label}: due {_when(due_at)}." + ("" if owner.email else
                                                     " The owner has no e-mail address."))
    if point == rules.DuePoint.FOLLOW_UP:
        escalation.follow_ups_missed += 1
        escalation.save(update_fields=["follow_ups_missed"])
    audit(user=None, action="arsos_escalation.reminder", obj=escalation,
          summary=f"{escalation.label}: {label.lower()} was due {_when(due_at)}; "
          + ("owner reminded by e-mail." if owner.email else "the owner has no e-mail address."))
    if owner.email:
        EmailMessage(
            subject=f"Overdue: {escalation.label}, {label.lower()}",
            body=(
                f"{escalation.label} from case {escalation.case.reference} is overdue: "
                f"{label.lower()} was due {_when(due_at)} and nothing has been recorded.\n\n"
                "Check the mailbox's replies and record them in SupportDesk, or chase the "
                f"mailbox: {settings.SUPPORTDESK_SITE_URL}"
                f"{reverse('arsos_escalation', args=[escalation.pk])}"
            ),
            to=[owner.email],
        ).send()
    logger.info("SLA reminder for escalation %s (%s)", escalation.pk, point.value)
    return True
