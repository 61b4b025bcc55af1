"""The call context panel on a case page: what we hold on the case's subject, and the handle
timer.

The core knows no domain app: an app that holds facts about a group or an SL app (EC access:
the group's name, platform, products, employees, registration) registers a provider in its
``AppConfig.ready()`` with ``register_subject_facts``, as apps register their flows. A provider
takes the case's subject and returns labelled facts, or None when it has nothing to say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from . import clock
from .engine import Artifact, Disposition, Step
from .forms import CaseNoteForm, IncidentNumberForm
from .models import Case


@dataclass(frozen=True)
class Subject:
    """What a case is about, as the case holds it (its subject fields by name, see
    subjects.py), and the day the facts are read for."""

    values: Mapping[str, str]
    today: dt.date

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class SubjectFacts:
    """One provider's answer: its facts in order, and a line to read first (a group we do not
    hold, say). ``heading`` names where the facts come from ("EC records")."""

    heading: str
    facts: tuple[Fact, ...] = ()
    note: str = ""


SubjectFactsProvider = Callable[[Subject], "SubjectFacts | None"]

_providers: list[SubjectFactsProvider] = []


def register_subject_facts(provider: SubjectFactsProvider) -> SubjectFactsProvider:
    """Add a provider (once: ready() may run twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def subject_facts(subject: Subject) -> list[SubjectFacts]:
    """What every provider holds on ``subject``; nothing is asked when the case names no
    subject (no group or SL app: a provider need not look)."""
    if not any(subject.values.values()):
        return []
    return [facts for provider in _providers if (facts := provider(subject)) is not None]


@dataclass(frozen=True)
class HandleTimer:
    """The handle time a case page shows and case.js runs on: ``seconds`` as of the page, and
    whether it still runs (a closed case shows what it took)."""

    label: str
    seconds: int
    running: bool
    # Counted from when this browser tab first showed the case (a case from an earlier day).
    from_page: bool = False

    @property
    def shown(self) -> str:
        return clock_text(self.seconds)


def clock_text(seconds: int) -> str:
    """3:12 → "03:12"; past the hour "1:03:12" (what case.js writes too)."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def handle_timer(*, opened_at: dt.datetime, closed_at: dt.datetime | None, now: dt.datetime
                 ) -> HandleTimer:
    """On a live call the handle time runs from when the case was opened, if that was today;
    a case opened on an earlier day and resumed now (a waiting case) counts this call only,
    from when the page was first shown (case.js keeps that moment for the browser tab). A
    closed case shows the time from opening to closing."""
    if closed_at is not None:
        return HandleTimer("Handled in", int((closed_at - opened_at).total_seconds()), False)
    if timezone.localdate(opened_at) == timezone.localdate(now):
        return HandleTimer("On this case", int((now - opened_at).total_seconds()), True)
    return HandleTimer("On this call", 0, True, from_page=True)


def raises_incident(case: Case, step: Step | None) -> bool:
    """Whether the case's outcome raised a ServiceNow incident, so its page asks for the
    incident's number: an outcome that says so (its disposition), or one reached through a step
    that drafted the incident's text (a ServiceNow artifact on the path)."""
    if step is None or not step.terminal:
        return False
    if getattr(step, "disposition", None) == Disposition.INCIDENT:
        return True
    on_path = set(case.path) | {case.current_step}
    return any(artifact.get("kind") == Artifact.SERVICENOW
               for key, artifact in case.artifacts.items() if key in on_path)


def case_panel(case: Case, step: Step | None, *, note_form: CaseNoteForm | None = None,
               incident_form: IncidentNumberForm | None = None) -> dict[str, Any]:
    """The case page's context for the panel: the subject's facts, the timer, the note box and,
    where the outcome raised an incident, the incident number's field."""
    subject = Subject(case.subject, clock.today())
    wants_incident = raises_incident(case, step)
    if wants_incident and incident_form is None:
        incident_form = IncidentNumberForm(initial={"number": case.incident_number})
    return {
        "subject_facts": subject_facts(subject),
        "handle_timer": handle_timer(opened_at=case.opened_at, closed_at=case.closed_at,
                                     now=clock.now()),
        "note_form": note_form or CaseNoteForm(),
        "incident_form": incident_form if wants_incident else None,
    }
