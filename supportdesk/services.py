"""The only write path for cases: open, answer, go back, restart.

Every function runs in one transaction, locks the case row first (two tabs answering at
once cannot both win), and appends the transcript events for what it did. Only the specialist
who opened a case works it: for anyone else the locking read finds no case (Case.DoesNotExist).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery

from supportdesk import clock

from .audit import audit
from .engine import (
    Action,
    CallerType,
    Flow,
    FlowState,
    FormStep,
    Instruction,
    Outcome,
    Question,
    Step,
    land,
    registry,
)
from .models import Case, CaseEvent, CaseReview

# What a write changes on a case: where it stands, what was answered and produced, how it
# closed, and the flow version it follows (a restart moves it to the current one).
CASE_STATE_FIELDS = [
    "current_step", "path", "answers", "artifacts", "status", "closed_at", "disposition",
    "outcome_key", "outcome_title", "flow_version", "flow_title", "updated_at",
]


class StepRefused(Exception):
    """The request cannot be applied to the case as it stands; the message says why."""


@dataclass
class AnswerResult:
    case: Case
    form: forms.Form | None = None  # the bound form with its errors, when it did not validate

    @property
    def ok(self) -> bool:
        return self.form is None


def flow_for(case: Case) -> Flow:
    flow = registry.get(case.flow_key)
    if flow is None:
        raise StepRefused(f"The flow {case.flow_key!r} of this case is no longer available.")
    return flow


def flow_state(case: Case, user: Any = None) -> FlowState:
    return FlowState(
        answers=case.answers,
        subject={
            "caller_type": case.caller_type,
            "group_number": case.group_number,
            "sl_app_number": case.sl_app_number,
        },
        case=case,
        user=user,
    )


def current_step(case: Case) -> Step | None:
    """The step the case stands on, or None when the flow changed under an open case."""
    flow = registry.get(case.flow_key)
    return flow.step(case.current_step) if flow else None


def case_open(
    *,
    flow: Flow,
    user: Any,
    caller_type: str = "",
    group_number: str = "",
    sl_app_number: str = "",
) -> Case:
    with transaction.atomic():
        case = Case(
            flow_key=flow.key,
            flow_version=flow.version,
            flow_title=flow.title,
            opened_by=user,
            caller_type=caller_type or flow.caller_type,
            group_number=group_number,
            sl_app_number=sl_app_number,
            current_step=flow.start,
        )
        # The subject's validators (group and SL app number formats). Not the user's existence
        # nor the open/closed constraint: the first is the signed-in user, the second holds for
        # a new open case by construction, and each would cost a query (the database enforces
        # both anyway).
        case.full_clean(exclude={"opened_by"}, validate_constraints=False)
        case.save()
        case._last_event_seq = 0  # a new case has no events yet
        subject = ", ".join(
            f"{label}: {value}"
            for label, value in (
                ("Caller", CallerType(case.caller_type).label),
                ("Group", case.group_number),
                ("SL app", case.sl_app_number),
            )
            if value
        )
        _append(case, user, kind=CaseEvent.Kind.OPENED, shown=f"{flow.title} (v{flow.version})",
                answer=subject)
        _move_to(case, flow, flow.start, user, just_inserted=True)
        audit(user=user, action="case.open", obj=case,
              summary=f"{case.reference} opened: {flow.title} (v{flow.version}).{_where(case)}")
        return case


def case_answer(*, case: Case, user: Any, step_key: str, data: Any) -> AnswerResult:
    """Apply the specialist's answer to ``step_key``, which must be the current step."""
    with transaction.atomic():
        case = _lock(case, user)
        flow = flow_for(case)
        step = _current(case, flow, step_key)
        state = flow_state(case)

        if isinstance(step, Question):
            choice = step.choice(str(data.get("choice", "")))
            if choice is None:
                raise StepRefused("Choose one of the answers offered for this step.")
            value: Any = choice.value
            answer_text, next_key = choice.label, choice.next
        elif isinstance(step, FormStep):
            form = step.form_class(data=data, prefix=step.key)
            if not form.is_valid():
                return AnswerResult(case=case, form=form)
            value = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
            answer_text, next_key = describe_form_answer(form), step.next
        elif isinstance(step, (Instruction, Action)):
            value, answer_text, next_key = None, step.continue_label, step.next
        else:  # an outcome: the case is closed and _lock refused already
            raise StepRefused("This step takes no answer.")

        _append(case, user, kind=CaseEvent.Kind.ANSWER, step=step, shown=step.shown(state),
                answer=answer_text, value=value)
        case.answers = {**case.answers, step.key: value}
        case.path = [*case.path, step.key]
        _move_to(case, flow, next_key, user)
        # The step's title only: answers are not copied into the trail.
        audit(user=user, action="case.answer", obj=case,
              summary=f"{case.reference}: answered “{step.title}”.{_where(case)}")
        return AnswerResult(case=case)


def case_back(*, case: Case, user: Any) -> Case:
    """Return to the previous interactive step. Answers are kept, so nothing typed is lost."""
    with transaction.atomic():
        case = _lock(case, user)
        if not case.path:
            raise StepRefused("This is the first step of the case; there is nothing to go back to.")
        *path, previous = case.path
        flow = flow_for(case)
        step = flow.step(previous)
        title = step.title if step else previous
        _append(case, user, kind=CaseEvent.Kind.BACK, step_key=case.current_step,
                answer=f"Went back to “{title}”")
        case.path = path
        case.current_step = previous
        case.save(update_fields=["path", "current_step", "updated_at"])
        audit(user=user, action="case.back", obj=case,
              summary=f"{case.reference}: went back to “{title}”.")
        return case


def case_restart(*, case: Case, user: Any) -> Case:
    """Start the flow again on the same case; the transcript keeps everything before."""
    with transaction.atomic():
        case = _lock(case, user)
        flow = flow_for(case)
        _append(case, user, kind=CaseEvent.Kind.RESTART, step_key=case.current_step,
                answer="Restarted from the first step")
        case.answers, case.path, case.artifacts = {}, [], {}
        case.flow_version, case.flow_title = flow.version, flow.title
        _move_to(case, flow, flow.start, user)
        audit(user=user, action="case.restart", obj=case,
              summary=f"{case.reference}: restarted from the first step.")
        return case


def case_note(*, case: Case, user: Any, text: str, step_key: str = "") -> CaseEvent:
    """Append a note to a case's transcript (open or closed), e.g. what became of its request."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        event = _append(case, user, kind=CaseEvent.Kind.NOTE, step_key=step_key, answer=text)
        # The note's text stays in the transcript; the caller audits its own write beside it.
        audit(user=user, action="case.note", obj=case,
              summary=f"{case.reference}: note added to the transcript.")
        return event


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


def describe_form_answer(form: forms.Form) -> str:
    """The cleaned form as 'Label: value' lines, in the words the specialist saw."""
    lines = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.BooleanField):
            shown = "Yes" if value else "No"
        elif isinstance(field, forms.ChoiceField) and not isinstance(value, (list, tuple)):
            shown = str(dict(field.choices).get(value, value) or "—")
        elif isinstance(value, (list, tuple)):
            labels = dict(getattr(field, "choices", []))
            shown = ", ".join(str(labels.get(v, v)) for v in value) or "—"
        else:
            shown = "—" if value in (None, "") else str(value)
        lines.append(f"{field.label or name}: {shown}")
    return "\n".join(lines)


def _where(case: Case) -> str:
    """Where the case stands now, for the audit summary."""
    if case.is_open:
        return f" Now at “{case.current_step}”."
    return f" Closed: {case.get_disposition_display()} ({case.outcome_title})."


def _lock(case: Case, user: Any) -> Case:
    """The case's row, read afresh and locked for this write, if ``user`` opened it, with the
    number of its last event (for _append) read in the same query."""
    last_seq = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-seq").values("seq")[:1]
    locked = (
        Case.objects.select_for_update()
        .annotate(last_event_seq=Subquery(last_seq))
        .get(pk=case.pk, opened_by=user)
    )
    locked._last_event_seq = locked.last_event_seq or 0
    if not locked.is_open:
        raise StepRefused(f"Case {locked.reference} is closed; start a new case to continue.")
    return locked


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


def _move_to(case: Case, flow: Flow, key: str, user: Any, *, just_inserted: bool = False) -> None:
    """Land on ``key`` (through automatic checks), record them, and close on an outcome.
    ``just_inserted``: the case row was inserted standing on ``key`` by this write, so when the
    landing moves nothing (no check, action or outcome on the way) there is nothing to save."""
    state = flow_state(case, user)
    step, passed = land(flow, key, state)
    if just_inserted and step.key == key and not passed and not isinstance(step, (Action, Outcome)):
        return
    for taken in passed:
        _append(case, user, kind=CaseEvent.Kind.CHECK, step=taken.step,
                shown=taken.step.shown(state), answer=taken.step.branches[taken.branch].label,
                value=taken.branch)
    if isinstance(step, Action):
        artifact = step.produce(state).as_json()
        case.__dict__.pop("_last_event_seq", None)  # produce() may have noted on the case itself
        case.artifacts = {**case.artifacts, step.key: artifact}
        _append(case, user, kind=CaseEvent.Kind.ACTION, step=step, shown=step.shown(state),
                answer=artifact["title"], artifact=artifact)
    case.current_step = step.key
    if isinstance(step, Outcome):
        _append(case, user, kind=CaseEvent.Kind.OUTCOME, step=step, shown=step.shown(state),
                answer=step.disposition.label, value=step.disposition.value)
        case.status = Case.Status.CLOSED
        case.closed_at = clock.now()
        case.disposition = step.disposition
        case.outcome_key, case.outcome_title = step.key, step.title
    case.save(update_fields=CASE_STATE_FIELDS)


def _append(
    case: Case,
    user: Any,
    *,
    kind: str,
    step: Step | None = None,
    step_key: str = "",
    shown: str = "",
    answer: str = "",
    value: Any = None,
    artifact: dict[str, str] | None = None,
) -> CaseEvent:
    # The case row is locked (or just created) by the caller, so max+1 cannot collide. The
    # number is kept on this instance of the locked row for the next event of the same write
    # (an answer, its checks, its outcome); _lock reads it with the row, and an instance
    # without it (case_note's) asks once.
    last = case.__dict__.get("_last_event_seq")
    if last is None:
        last = case.events.aggregate(last=Max("seq"))["last"] or 0
    case._last_event_seq = last + 1
    return CaseEvent.objects.create(
        case=case,
        seq=last + 1,
        kind=kind,
        step_key=step.key if step else step_key,
        step_title=step.title if step else "",
        shown=shown,
        answer=answer,
        value=value,
        artifact=artifact,
        user=user,
    )
