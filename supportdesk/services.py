"""The only write path for cases: open, answer, go back, restart.

Every function runs in one transaction, locks the case row first (two tabs answering at
once cannot both win), and appends the transcript events for what it did. Only the specialist
who opened a case works it: for anyone else the locking read finds no case (Case.DoesNotExist).

Each write also counts what it changed in the supervisor figures' rollups (rollups.py), in the
same transaction: ``_lock`` remembers where the case stood, ``_append`` notes each step taken,
and ``rollups.record(case)`` after the case is saved writes the difference (one statement on
PostgreSQL, none when nothing counted changed).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from supportdesk import clock

from . import flow_content, rollups, subjects
from .audit import audit
from .engine import (
    CallerType,
    Flow,
    FlowState,
    Step,
    StepRefused,
    Taken,
    Waiting,
    describe_form_answer,
    land,
)
from .models import Case, CaseEvent, CaseReview, incident_number_of
from .phi import find_member_data

__all__ = ["StepRefused", "describe_form_answer"]  # re-exported: the apps raise and use them

logger = logging.getLogger(__name__)

# What a write changes on a case: where it stands, what was answered and produced, how it
# closed, and the flow version it follows (a restart moves it to the current one).
CASE_STATE_FIELDS = [
    "current_step", "path", "answers", "artifacts", "status", "closed_at", "disposition",
    "outcome_key", "outcome_title", "flow_version", "flow_title", "updated_at",
    "waiting_reason", "waiting_on", "follow_up_on", "reopen_count", "subject",
]


@dataclass
class AnswerResult:
    case: Case
    form: forms.Form | None = None  # the bound form with its errors, when it did not validate

    @property
    def ok(self) -> bool:
        return self.form is None


def flow_for(case: Case) -> Flow:
    """The flow as the case shows it: the version of its words it opened on (a preview: the
    author's draft)."""
    flow = flow_content.for_case(case)
    if flow is None:
        raise StepRefused(f"The flow {case.flow_key!r} of this case is no longer available.")
    return flow


def flow_state(case: Case, user: User | None = None) -> FlowState:
    return FlowState(
        answers=case.answers,
        subject={"caller_type": case.caller_type, **case.subject},
        case=case,
        user=user,
    )


def current_step(case: Case) -> Step | None:
    """The step the case stands on, or None when the flow changed under an open case."""
    flow = flow_content.for_case(case)
    return flow.step(case.current_step) if flow else None


def case_open(
    *,
    flow: Flow,
    user: User,
    caller_type: str = "",
    subject: Mapping[str, str] | None = None,
    follows: Case | None = None,
    answer: Any = None,
    preview: bool = False,
) -> Case:
    """Open a case on ``flow`` about ``subject`` (subject fields by name: the group and SL app
    numbers; each checked by its field's rules, ValidationError when one fails); ``follows`` is the case whose outcome sent the specialist here
    (the two link to each other). ``answer``: the start form's data answering the flow's first
    step (``Flow.opening_form``, a group step), applied as the case opens, in the same
    transaction, so the group is asked once; an answer that does not validate refuses the
    whole opening (StepRefused) and nothing is saved. ``preview``: an author walking the draft
    of ``flow``'s words (flow_content.py): the case is counted nowhere."""
    with transaction.atomic():
        case = Case(
            follows=follows,
            flow_key=flow.key,
            flow_version=flow.version,
            flow_title=flow.title,
            opened_by=user,
            caller_type=caller_type or flow.caller_type,
            subject=subjects.clean_subject(subject or {}),
            current_step=flow.start,
            preview=preview,
        )
        # The caller type's choices (the subject was checked above). Not the user's existence
        # nor the open/closed constraint: the first is the signed-in user, the second holds for
        # a new open case by construction, and each would cost a query (the database enforces
        # both anyway).
        case.full_clean(exclude={"opened_by"}, validate_constraints=False)
        case.save()
        case.__dict__[_LINES] = []  # a new case's transcript: nothing to read
        opened = ", ".join([f"Caller: {CallerType(case.caller_type).label}", *(
            f"{field.short}: {value}" for field, value in subjects.shown(case.subject))])
        if follows is not None:
            opened += f". Follows {follows.reference} ({follows.flow_title})"
        shown = (f"{flow.title} (preview of the draft after v{flow.version})" if preview
                 else f"{flow.title} (v{flow.version})")
        _append(case, user, kind=CaseEvent.Kind.OPENED, shown=shown, answer=opened)
        _move_to(case, flow, flow.start, user, just_inserted=True)
        rollups.record(case)
        if not preview:
            flow_content.note_first_use(user, flow)
        if follows is not None:  # case_note locks the earlier case's row for its event number
            case_note(case=follows, user=user,
                      text=f"Follow-on case {case.reference} opened: {flow.title}.")
        audit(user=user, action="case.open", obj=case,
              summary=f"{case.reference} opened: {shown}.{_where(case)}")
        if answer is not None:
            answered = case_answer(case=case, user=user, step_key=flow.start, data=answer)
            if not answered.ok:
                raise StepRefused("The case was not opened: " + _form_errors(answered.form))
            return answered.case
        return case


def _form_errors(form: forms.Form | None) -> str:
    errors = form.errors.values() if form is not None else []
    return " ".join(str(message) for messages in errors for message in messages)


def case_answer(*, case: Case, user: User, step_key: str, data: Any) -> AnswerResult:
    """Apply the specialist's answer to ``step_key``, which must be the current step."""
    with transaction.atomic():
        case = _lock(case, user)
        if not case.is_open:
            raise StepRefused(f"Case {case.reference} is closed. Go back to change the last "
                              "answer, or start a new case.")
        flow = flow_for(case)
        step = _current(case, flow, step_key)
        state = flow_state(case)
        taken = step.take(data, state)
        if not isinstance(taken, Taken):
            return AnswerResult(case=case, form=taken)
        _append(case, user, kind=CaseEvent.Kind.ANSWER, step=step, shown=step.shown(state),
                answer=taken.answer, value=taken.value)
        case.answers = {**case.answers, step.key: taken.value}
        case.path = [*case.path, step.key]
        if taken.subject:  # a group step: the case is about the group it settled on (an SL
            # app left empty there is no longer the case's)
            kept = {name: value for name, value in case.subject.items()
                    if name not in taken.subject}
            case.subject = {**kept, **subjects.clean_subject(taken.subject)}
        _move_to(case, flow, taken.next, user)
        rollups.record(case)
        # The step's title only: answers are not copied into the trail.
        audit(user=user, action="case.answer", obj=case,
              summary=f"{case.reference}: answered “{step.title}”.{_where(case)}")
        return AnswerResult(case=case)


def case_back(*, case: Case, user: User) -> Case:
    """Return to the previous interactive step, undoing what the step left behind did (an
    action's request withdrawn, a closed case reopened). The case keeps only its current path:
    what was abandoned stays in the transcript, as events."""
    with transaction.atomic():
        case = _lock(case, user)
        if not case.path:
            raise StepRefused("This is the first step of the case; there is nothing to go back to.")
        flow = flow_for(case)
        *path, previous = case.path
        undone = _undo(case, flow, user, [case.current_step])
        step = flow.step(previous)
        title = step.title if step else previous
        reopened = _reopen(case, user)
        _append(case, user, kind=CaseEvent.Kind.BACK, step_key=case.current_step,
                answer=" ".join([f"Went back to “{title}”.", *undone]))
        _keep_path(case, path, previous)
        _stand(case, flow, user)
        case.save(update_fields=CASE_STATE_FIELDS)
        rollups.record(case)
        audit(user=user, action="case.back", obj=case,
              summary=f"{case.reference}: {reopened}went back to “{title}”.")
        return case


def case_restart(*, case: Case, user: User) -> Case:
    """Start the flow again on the same case, undoing every action on its path first (all or
    none: one that cannot be undone refuses the restart); the transcript keeps everything."""
    with transaction.atomic():
        case = _lock(case, user)
        flow = flow_for(case)
        undone = _undo(case, flow, user, [*case.path, case.current_step])
        reopened = _reopen(case, user)
        _append(case, user, kind=CaseEvent.Kind.RESTART, step_key=case.current_step,
                answer=" ".join(["Restarted from the first step.", *undone]))
        case.answers, case.path, case.artifacts = {}, [], {}
        # Starting again starts on the latest version of the words (a preview: the draft's).
        flow = flow if case.preview else (flow_content.latest(case.flow_key) or flow)
        case.flow_version, case.flow_title = flow.version, flow.title
        _move_to(case, flow, flow.start, user)
        rollups.record(case)
        audit(user=user, action="case.restart", obj=case,
              summary=f"{case.reference}: {reopened}restarted from the first step.")
        return case


def _undo(case: Case, flow: Flow, user: User, keys: list[str]) -> list[str]:
    """Undo the steps ``keys`` left behind, the last taken first; their transcript lines.
    A step that cannot be undone raises StepRefused and the whole write rolls back."""
    state = flow_state(case, user)
    lines = []
    for key in reversed(keys):
        step = flow.step(key)
        if step is not None and (line := step.undo(state)):
            lines.append(line)
    return lines


def _reopen(case: Case, user: User) -> str:
    """A closed case that its specialist changes opens again; the event says what it was.
    Returns the words for the audit summary ("" when the case was not closed)."""
    if case.is_open:
        return ""
    outcome = f"“{case.outcome_title}” ({case.get_disposition_display()})"
    _append(case, user, kind=CaseEvent.Kind.REOPENED, step_key=case.current_step,
            answer=f"Reopened after the outcome {outcome} to change an answer.")
    case.status, case.closed_at, case.disposition = Case.Status.OPEN, None, ""
    case.outcome_key = case.outcome_title = ""
    case.reopen_count += 1
    return f"reopened after the outcome {outcome} and "


def _keep_path(case: Case, path: list[str], current: str) -> None:
    """The case stands on ``current`` after ``path``: answers and artifacts of other steps go
    (the transcript keeps them); the current step keeps its own, to show what was answered."""
    kept = {*path, current}
    case.path, case.current_step = path, current
    case.answers = {k: v for k, v in case.answers.items() if k in kept}
    case.artifacts = {k: v for k, v in case.artifacts.items() if k in kept}


def _stand(case: Case, flow: Flow, user: User) -> None:
    """Back on an interactive step: open, or waiting again when the step is a wait (its reason
    read afresh); an action is not produced again, its artifact is still there."""
    step = flow.step(case.current_step)
    _set_waiting(case, step.waits(flow_state(case, user)) if step else None)


def case_note(*, case: Case, user: User | None, text: str, step_key: str = "",
              email: bool = True, news: bool = True) -> CaseEvent:
    """Append a note to a case's transcript (open, waiting or closed), e.g. what became of its
    request. Written by someone else, it is news for the case's specialist: *My cases* flags
    it until they open the case, and they get it by e-mail where they have an address (unless
    ``email`` is False: the caller sends its own notice, or the change needs no e-mail; with
    ``news`` False the note is only kept, unflagged)."""
    with transaction.atomic():
        case = Case.with_previews.select_for_update().select_related("opened_by").get(pk=case.pk)
        event = _append(case, user, kind=CaseEvent.Kind.NOTE, step_key=step_key, answer=text)
        # The note's text stays in the transcript; the caller audits its own write beside it.
        audit(user=user, action="case.note", obj=case,
              summary=f"{case.reference}: note added to the transcript.")
        specialist = case.opened_by
        changed = _wait_again(case, specialist)
        if news and (user is None or user.pk != specialist.pk):
            changed["news"] = text[:300]
            if email and specialist.email:
                transaction.on_commit(lambda: _send_news(case, specialist.email, text))
        if changed:  # one UPDATE of the locked row for the wait and the news together
            Case.with_previews.filter(pk=case.pk).update(**changed)
        return event


def _wait_again(case: Case, specialist: Any) -> dict[str, Any]:
    """A note says what it waits on changed: read its reason and follow-up date afresh, so *My
    cases* puts a decided request or a finished connection at the top (due today). Returns
    the fields to store."""
    step = current_step(case) if case.is_waiting else None
    waiting = step.waits(flow_state(case, specialist)) if step else None
    if waiting is None:
        return {}
    _set_waiting(case, waiting)
    return {"waiting_reason": case.waiting_reason, "waiting_on": case.waiting_on,
            "follow_up_on": case.follow_up_on}


def case_news_seen(case: Case) -> None:
    """The specialist opened the case: its news is read (not a change to the case itself)."""
    if case.news:
        Case.with_previews.filter(pk=case.pk).update(news="")
        case.news = ""


def _send_news(case: Case, address: str, text: str) -> None:
    try:
        send_mail(subject=f"{case.reference} updated: {case.flow_title}",
                  message=f"{text}\n\nOpen the case: {case.get_resume_url(absolute=True)}",
                  from_email=None, recipient_list=[address])
    except Exception:  # the note is saved; the e-mail is a courtesy that can be missed
        logger.exception("Could not e-mail the update of case %s", case.pk)


# A note is a line or two said on the call, not a document: longer is refused, never cut.
CASE_NOTE_MAX_LENGTH = 1000


def case_note_refusal(text: str) -> str | None:
    """Why a specialist's note cannot be kept (too long, or member data in it: phi.py), without
    quoting it; None when it may be."""
    if len(text) > CASE_NOTE_MAX_LENGTH:
        return (f"This note is {len(text):,} characters; a note holds at most "
                f"{CASE_NOTE_MAX_LENGTH:,}. Shorten it: nothing was saved.")
    found = find_member_data(text, today=clock.today())
    return found.message if found else None


def case_note_add(*, case: Case, user: User, text: str) -> CaseEvent:
    """A note the case's specialist typed on the case page, appended to its transcript (on an
    open, waiting or closed case: a follow-up is noted too). Refused (StepRefused, nothing
    saved) when empty, too long or holding what looks like member data."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise StepRefused("Type the note first.")
    if refusal := case_note_refusal(text):
        raise StepRefused(refusal)
    return case_note(case=case, user=user, text=text, news=False)


def case_incident_record(*, case: Case, user: User, number: str) -> Case:
    """Record the ServiceNow incident the specialist raised for the case (its outcome asked for
    one): on the case, with a transcript line and an audit entry. A second number replaces the
    first, and the transcript says so. Refused (StepRefused) unless it reads INC and 7 digits."""
    try:
        number = incident_number_of(number)
    except ValidationError as error:
        raise StepRefused(" ".join(error.messages)) from None
    with transaction.atomic():
        case = Case.with_previews.select_for_update().get(pk=case.pk)
        before = case.incident_number
        if before == number:
            return case
        text = (f"ServiceNow incident {number} recorded (it replaces {before})." if before
                else f"ServiceNow incident {number} recorded.")
        _append(case, user, kind=CaseEvent.Kind.NOTE, answer=text)
        Case.with_previews.filter(pk=case.pk).update(incident_number=number)
        case.incident_number = number
        audit(user=user, action="case.incident", obj=case, summary=f"{case.reference}: {text}")
        return case


def case_review_add(*, case: Case, reviewer: Any, rating: int, note: str) -> CaseReview:
    """A supervisor's review of a closed case, appended; the transcript is never touched."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.is_open:
            raise StepRefused(f"{case.reference} is still open: review it once it is closed.")
        review = CaseReview(case=case, reviewer=reviewer, rating=rating, note=note.strip())
        review.full_clean()
        review.save()
        audit(user=reviewer, action="case.review", obj=case,
              summary=f"{case.reference}: reviewed, {review.rating} of 5.")
        return review


def _where(case: Case) -> str:
    """Where the case stands now, for the audit summary: the step's title, as supervisors read it."""
    step = current_step(case)
    where = step.title if step else case.current_step
    if case.is_waiting:
        return f" Waiting at “{where}”."
    if case.is_open:
        return f" Now at “{where}”."
    return f" Closed: {case.get_disposition_display()} ({case.outcome_title})."


def _lock(case: Case, user: User) -> Case:
    """The case's row, read afresh and locked for this write, if ``user`` opened it, with its
    transcript's lines (transcript_lines)."""
    locked = Case.with_previews.select_for_update().get(pk=case.pk, opened_by=user)
    rollups.remember(locked)  # where it stands before this write, for rollups.record()
    transcript_lines(locked)
    return locked


class TranscriptLine(NamedTuple):
    seq: int
    kind: str
    step_title: str
    answer: str


_LINES = "_transcript_lines"


def transcript_lines(case: Case) -> list[TranscriptLine]:
    """The case's transcript in order, each event's number, kind, step title and answer: read
    once, as the write locks the case, and kept with what the write appends. That one read
    gives each new event its number and the step page its side panel (views.cases._so_far),
    where each appended event read the last number and the page read the transcript again.
    Read now for a case that no write has locked (a page, a note). Every event of a write goes
    through this case's ``_append``: one appended to the same case through another instance
    within the write (none is) would leave these lines behind, and the next number would meet
    the (case, seq) unique constraint, refusing the write rather than mis-numbering it."""
    lines: list[TranscriptLine] | None = case.__dict__.get(_LINES)
    if lines is None:
        lines = case.__dict__[_LINES] = [
            TranscriptLine(*row) for row in
            case.events.order_by("seq").values_list("seq", "kind", "step_title", "answer")]
    return lines


def _current(case: Case, flow: Flow, step_key: str) -> Step:
    if step_key != case.current_step:
        raise StepRefused(
            "That step is no longer the current one (perhaps it was answered in another tab). "
            "The case is shown where it stands now."
        )
    step = flow.step(step_key)
    if step is None:
        raise StepRefused(
            "This flow changed since the case reached this step. Restart the case to continue."
        )
    return step


def _move_to(case: Case, flow: Flow, key: str, user: User, *, just_inserted: bool = False) -> None:
    """Land on ``key`` (through automatic checks), record them and what landing did: an
    artifact, the case closed, or the case left waiting.
    ``just_inserted``: the case row was inserted standing on ``key`` by this write, so when the
    landing moves nothing (no check, nothing produced, closed or awaited) there is nothing to save."""
    state = flow_state(case, user)
    step, passed = land(flow, key, state)
    arrival = step.arrive(state)
    if just_inserted and step.key == key and not passed and not arrival.event:
        return
    for taken in passed:
        _append(case, user, kind=CaseEvent.Kind.CHECK, step=taken.step,
                shown=taken.step.shown(state), answer=taken.step.branches[taken.branch].label,
                value=taken.branch)
    if arrival.artifact is not None:
        case.artifacts = {**case.artifacts, step.key: arrival.artifact}
    if arrival.event:
        _append(case, user, kind=arrival.event, step=step, shown=step.shown(state),
                answer=arrival.answer, value=arrival.value, artifact=arrival.artifact)
    case.current_step = step.key
    _set_waiting(case, arrival.waiting)
    if arrival.closes is not None:
        case.status = Case.Status.CLOSED
        case.closed_at = clock.now()
        case.disposition = arrival.closes
        case.outcome_key, case.outcome_title = step.key, step.title
    case.save(update_fields=CASE_STATE_FIELDS)


def _set_waiting(case: Case, waiting: Waiting | None) -> None:
    if waiting is None:
        case.status = Case.Status.OPEN
        case.waiting_reason = case.waiting_on = ""
        case.follow_up_on = None
        return
    case.status = Case.Status.WAITING
    case.waiting_reason, case.follow_up_on = waiting.reason[:300], waiting.follow_up_on
    case.waiting_on = waiting.on[:100]


def _append(
    case: Case,
    user: User | None,
    *,
    kind: str,
    step: Step | None = None,
    step_key: str = "",
    shown: str = "",
    answer: str = "",
    value: Any = None,
    artifact: dict[str, str] | None = None,
) -> CaseEvent:
    # The case row is locked (or just created) by the caller, so last+1 cannot collide.
    lines = transcript_lines(case)
    event = CaseEvent.objects.create(
        case=case,
        seq=lines[-1].seq + 1 if lines else 1,
        kind=kind,
        step_key=step.key if step else step_key,
        step_title=step.title if step else "",
        shown=shown,
        answer=answer,
        value=value,
        artifact=artifact,
        user=user,
    )
    lines.append(TranscriptLine(event.seq, event.kind, event.step_title, event.answer))
    rollups.step_taken(case, event)  # counted by rollups.record() once the case is saved
    return event
