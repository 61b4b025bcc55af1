"""Random cases driven through the real services, and the supervisor figures computed from the
raw cases and events (the test oracle the rollups must agree with: the way insights.py
computed them before the rollups, kept here and only here).

Used by tests/supportdesk/test_rollups.py (PostgreSQL) and tests/embedded/test_rollups.py
(SQLite)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django import forms
from django.db.models import Case as DbCase
from django.db.models import Count, F, Q, TextField, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from supportdesk import clock, insights, services
from supportdesk.engine import (
    Action,
    Artifact,
    Branch,
    Check,
    Choice,
    Disposition,
    Flow,
    FlowState,
    FormStep,
    Instruction,
    Outcome,
    Question,
    Wait,
    Waiting,
    registry,
)
from supportdesk.models import (
    Case,
    CaseDay,
    CaseEvent,
    HandleTimeDay,
    OpenStepDay,
    SpecialistDay,
    StepDay,
)
from supportdesk.percentile import Percentile
from supportdesk.rollups import TAKEN_KINDS
from tests.clock import PINNED_DAY, office_moment


class NoteForm(forms.Form):
    note = forms.CharField(max_length=60)


def _length(state: FlowState) -> Literal["long", "short"]:
    return "long" if len(state.answer("detail", "note")) > 5 else "short"


# Every kind of step and every way a case moves: waits, forms with free text, checks, actions,
# two outcomes.
WALK_FLOW = Flow(key="rollup-walk", title="Rollup walk", summary="", start="ask", steps=(
    Question(key="ask", title="What now?", choices=(
        Choice("wait", "Wait for the request", next="hold"),
        Choice("form", "Take details", next="detail"),
        Choice("done", "Answered on the call", next="done"),
        Choice("refer", "Refer it", next="refer"),
    )),
    Wait(key="hold", title="Waiting", next="after",
         waiting=lambda state: Waiting(reason="Waiting on the request", on="request #1")),
    Question(key="after", title="Granted?", choices=(
        Choice("yes", "Granted", next="done"), Choice("no", "Refused", next="refer"))),
    FormStep(key="detail", title="Details", form_class=NoteForm, next="size"),
    Check(key="size", title="Long note?", decide=_length,
          branches={"long": Branch("Long", "mail"), "short": Branch("Short", "tell")}),
    Action(key="mail", title="Draft", next="done", produce=lambda state: Artifact(
        kind=Artifact.EMAIL, title="Hello", to="x@example.com", subject="S", body="B")),
    Instruction(key="tell", title="Tell them", text="Say it.", next="done"),
    Outcome(key="done", title="Done", disposition=Disposition.ANSWERED),
    Outcome(key="refer", title="Referred", disposition=Disposition.REFERRED),
))

FLOWS = ("rollup-walk", "arsos-routing")
NOTES = ("hi", "hello there", "short", "a much longer note", "ok")


@contextmanager
def walk_flow_registered() -> Iterator[Flow]:
    registry.register(WALK_FLOW)
    try:
        yield WALK_FLOW
    finally:
        registry._flows.remove(WALK_FLOW)


def _data_for(step: Any, rng: random.Random) -> dict[str, Any] | None:
    """POST data answering ``step``, or None when the walk cannot answer it (another flow's
    form: it goes back instead)."""
    if isinstance(step, Question):
        return {"choice": rng.choice(step.choices).value}
    if isinstance(step, FormStep):
        return {"detail-note": rng.choice(NOTES)} if step.form_class is NoteForm else None
    return {}  # an instruction, an action or a wait: continue / resume


def walk(rng: random.Random, users: list[Any], clock_at: Any, *, cases: int = 30,
         days: int = 4) -> None:
    """Open ``cases`` cases over ``days`` days and move them at random: answer, back (which
    reopens a closed case), restart, resume a waiting case; some cases change later, on
    another day, after their outcome."""
    made: list[Case] = []
    for _ in range(cases):
        day = PINNED_DAY - dt.timedelta(days=rng.randrange(days))
        clock_at(office_moment(day, dt.time(rng.randrange(0, 23), rng.randrange(60))))
        user = rng.choice(users)
        case = services.case_open(flow=registry.get(rng.choice(FLOWS)), user=user)
        made.append(case)
        for _move in range(rng.randrange(1, 9)):
            clock_at(clock.now() + dt.timedelta(seconds=rng.randrange(1, 900)))
            case = _move_once(case, rng)
    # Later: some cases change again (after their outcome, on another day).
    for case in rng.sample(made, k=len(made) // 3):
        clock_at(clock.now() + dt.timedelta(hours=rng.randrange(1, 30)))
        for _move in range(rng.randrange(1, 4)):
            case = _move_once(Case.objects.get(pk=case.pk), rng)


def _move_once(case: Case, rng: random.Random) -> Case:
    user = case.opened_by
    roll = rng.random()
    try:
        if roll < 0.12:
            return services.case_restart(case=case, user=user)
        if roll < 0.3 or not case.is_open:
            if not case.is_open and roll > 0.6:
                return case  # stays closed
            return services.case_back(case=case, user=user) if case.path else case
        step = services.current_step(case)
        data = _data_for(step, rng) if step else None
        if data is None:
            return services.case_back(case=case, user=user) if case.path else case
        result = services.case_answer(case=case, user=user, step_key=case.current_step, data=data)
        return result.case
    except services.StepRefused:
        return Case.objects.get(pk=case.pk)


def rollup_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every rollup counter that is not 0, sorted, by table."""
    def rows(model: Any, *fields: str) -> list[tuple[Any, ...]]:
        counter = "taken" if model is StepDay else "cases"
        return sorted(model.objects.exclude(**{counter: 0}).values_list(*fields, counter),
                      key=repr)

    return {
        "case": rows(CaseDay, "month", "day", "flow_key", "status", "disposition", "reopened"),
        "specialist": rows(SpecialistDay, "month", "day", "flow_key", "specialist_id", "closed"),
        "step": rows(StepDay, "month", "day", "flow_key", "step_key", "kind", "branch",
                     "step_title", "answer", "value"),
        "handle": rows(HandleTimeDay, "month", "day", "flow_key", "bucket"),
        "open_step": rows(OpenStepDay, "month", "day", "flow_key", "current_step"),
    }


# The oracle: the figures from the raw rows, as insights.py computed them before the rollups
# (top branches with the same tie order as now: flow, step title, answer after count and step).

def raw_figures(period: insights.Period) -> dict[str, Any]:
    cases = period.cases()
    events = CaseEvent.objects.filter(case__in=cases)  # the events of the period's cases
    stale = clock.now() - insights.ABANDONED_AFTER
    handle = F("closed_at") - F("opened_at")
    overview = cases.aggregate(
        started=Count("pk"),
        finished=Count("pk", filter=Q(status=Case.Status.CLOSED)),
        open=Count("pk", filter=Q(status=Case.Status.OPEN)),
        abandoned=Count("pk", filter=Q(status=Case.Status.OPEN, updated_at__lt=stale)),
        waiting=Count("pk", filter=Q(status=Case.Status.WAITING)),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        median=Percentile(handle, 0.5, filter=Q(status="closed")),
        p90=Percentile(handle, 0.9, filter=Q(status="closed")),
    )
    overview["finished_share"] = insights.share(overview["finished"], overview["started"])
    by_day = dict(cases.annotate(day=TruncDate("opened_at", tzinfo=timezone.get_current_timezone()))
                  .values("day").annotate(count=Count("pk")).values_list("day", "count"))
    days = (period.end - period.start).days + 1
    per_day = [{"day": d, "count": by_day.get(d, 0)}
               for d in (period.start + dt.timedelta(days=n) for n in range(days))]
    dispositions = list(cases.filter(status="closed").values("disposition")
                        .annotate(count=Count("pk")).order_by("-count", "disposition"))
    total = sum(row["count"] for row in dispositions)
    labels = dict(Disposition.choices)
    drop_off = list(cases.filter(status="open").values("flow_key", "current_step")
                    .annotate(open=Count("pk"), abandoned=Count("pk", filter=Q(updated_at__lt=stale)))
                    .order_by("-open", "flow_key", "current_step"))
    # A step taken is a branch when its flow declares that step a question or a check (the
    # rollups tell by the stored value instead); any other is one row per step, no answer.
    chose = _branch_steps()
    branches = (events.filter(kind__in=[CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK])
                .annotate(branch=DbCase(When(chose, then=F("answer")), default=Value(""), output_field=TextField()))
                .values("case__flow_key", "step_key", "step_title", "branch")
                .annotate(count=Count("pk"))
                .order_by("-count", "step_key", "case__flow_key", "step_title", "branch")[:15])
    specialists = (cases.values("opened_by__username", "opened_by__first_name", "opened_by__last_name")
                   .annotate(started=Count("pk"), finished=Count("pk", filter=Q(status="closed")))
                   .order_by("-started", "opened_by__username"))
    taken = events.filter(kind__in=TAKEN_KINDS)
    return {
        "overview": overview,
        "per_day": per_day,
        "dispositions": [
            {"label": labels.get(r["disposition"], r["disposition"]), "key": r["disposition"],
             "count": r["count"], "share": insights.share(r["count"], total)}
            for r in dispositions],
        "drop_off": [{**r, "flow": insights._flow_title(r["flow_key"]),
                      "step": insights._step_title(r["flow_key"], r["current_step"])}
                     for r in drop_off],
        "branches": [insights.branch_row(r["case__flow_key"], r["step_key"], r["step_title"],
                                         r["branch"], r["count"]) for r in branches],
        "specialists": [
            {"name": f"{r['opened_by__first_name']} {r['opened_by__last_name']}".strip()
             or r["opened_by__username"], "started": r["started"], "finished": r["finished"]}
            for r in specialists],
        "traffic": (
            {r["step_key"]: r["count"] for r in taken.values("step_key").annotate(count=Count("pk"))},
            {(r["step_key"], str(r["value"])): r["count"]
             for r in taken.filter(chose, kind__in=[CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK])
             .values("step_key", "value").annotate(count=Count("pk"))},
        ),
    }


def _branch_steps() -> Q:
    """The events of the registered flows' questions and checks."""
    chose = Q(pk__in=[])
    for flow in registry.all():
        keys = [step.key for step in flow.steps if isinstance(step, (Question, Check))]
        chose |= Q(case__flow_key=flow.key, step_key__in=keys)
    return chose


def rolled_figures(period: insights.Period) -> dict[str, Any]:
    """The same figures as the dashboard reads them now (abandoned from the drop-off's rows, as
    the dashboard adds it up, and counted on its own, as the overview alone does)."""
    drop_off = insights.drop_off(period)
    overview = insights.overview(period, standing=drop_off)
    assert overview == insights.overview(period)
    return {
        "overview": overview,
        "per_day": insights.cases_per_day(period),
        "dispositions": insights.dispositions(period),
        "drop_off": drop_off,
        "branches": insights.top_branches(period),
        "specialists": insights.specialists(period),
        "traffic": insights.step_traffic(period),
    }


# A walk over this many days opens cases in three months: the pinned day's, and the two before.
ACROSS_MONTHS = 70


def periods(days: int = 4) -> list[insights.Period]:
    """Periods over the walk's days, and periods whose edges fall inside months, on their first
    or last days, or span whole months (read from the month rows, rollup_models.py)."""
    first = PINNED_DAY - dt.timedelta(days=days)
    this_month = PINNED_DAY.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    month_before = (last_month - dt.timedelta(days=1)).replace(day=1)
    return [
        insights.Period(first, PINNED_DAY + dt.timedelta(days=3)),
        *(insights.Period(first, PINNED_DAY + dt.timedelta(days=3), flow) for flow in FLOWS),
        insights.Period(PINNED_DAY - dt.timedelta(days=1), PINNED_DAY - dt.timedelta(days=1)),
        insights.Period(PINNED_DAY, PINNED_DAY, "rollup-walk"),
        # Across month edges: whole months inside, partial months at either end or both.
        insights.Period(month_before + dt.timedelta(days=9), PINNED_DAY),
        insights.Period(month_before + dt.timedelta(days=9), this_month + dt.timedelta(days=2),
                        "rollup-walk"),
        insights.Period(month_before - dt.timedelta(days=40), this_month + dt.timedelta(days=40)),
        insights.Period(last_month, this_month - dt.timedelta(days=1)),  # one whole month
        insights.Period(last_month, PINNED_DAY, "arsos-routing"),  # from a month's first day
        insights.Period(month_before + dt.timedelta(days=3), this_month - dt.timedelta(days=1)),
        insights.Period(this_month - dt.timedelta(days=1), this_month),  # two edge days
        insights.Period(month_before + dt.timedelta(days=1), this_month - dt.timedelta(days=2)),
    ]


def two_details_typed(user: Any) -> insights.Period:
    """Two cases whose form step (Details) was answered with different typed text, both going
    on to the same check and outcome; the period that holds them."""
    for note in ("Group 824751", "Group 113355"):
        case = services.case_open(flow=WALK_FLOW, user=user)
        for data in ({"choice": "form"}, {"detail-note": note}):
            case = services.case_answer(case=case, user=user, step_key=case.current_step,
                                        data=data).case
    return insights.Period(clock.today(), clock.today())


def details_rows() -> list[tuple[Any, ...]]:
    """The Details step's StepDay rows: (month, answer, value, taken)."""
    return sorted(StepDay.objects.filter(step_key="detail")
                  .values_list("month", "answer", "value", "taken"))
