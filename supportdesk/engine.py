"""The flow engine: flows declared as data, and the pure walk over them.

A flow is a graph of steps. Each app declares its flows in its own ``flows.py`` and calls
``register()``; ``SupportdeskConfig.ready()`` imports every ``flows`` module, and the system
checks in ``supportdesk.checks`` refuse a broken graph at start-up.

Nothing here touches the database: ``supportdesk.services`` stores what the walk decides.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import inspect
import json
import textwrap
import typing
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from . import subjects
from .dates import date_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import Case


class Disposition(models.TextChoices):
    """How a case ended. Outcomes pick one, so supervisors can compare flows."""

    ANSWERED = "answered", "Answered / resolved on the call"
    SELF_SERVICE = "self_service", "Self-service"
    REFERRED = "referred", "Referred to another team"
    ESCALATED = "escalated", "Escalated"
    INCIDENT = "incident", "Incident raised"
    REQUEST_QUEUED = "request_queued", "Request queued"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


class CallerType(models.TextChoices):
    EMPLOYER = "employer", "Employer"
    AGENT = "agent", "Agent"
    PROVIDER = "provider", "Provider"
    INTERNAL = "internal", "Humana associate"


@dataclass(frozen=True)
class FlowState:
    """What checks and dynamic texts may read: the answers so far and the case subject."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    subject: Mapping[str, str] = field(default_factory=dict)
    # Set by the services when an action runs: the case being worked and who works it, so an
    # action can create the records it stands for (an EC request) in the same transaction.
    case: Case | None = None
    user: User | None = None
    # Records the checks and texts of one request have read (e.g. the group they all ask
    # about), so a walk through several checks reads each once. Lives as long as the state:
    # one write or one page.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    # The fixed parts of the artifact an action produces (``Action.fixed``, as the flow's
    # published version words them), set by the action while it produces.
    texts: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def acting_user(self) -> User:
        """Who works the case, for an action: the services set ``user`` before one runs."""
        if self.user is None:
            raise RuntimeError("an action runs only on a state the services gave a user")
        return self.user

    def text(self, name: str, **values: Any) -> str:
        """The fixed part ``name`` of the artifact being produced, as the published version
        words it, with its placeholders ("{group_number}") filled from ``values``."""
        return self.texts[name].format_map(values)

    def remember(self, key: Any, read: Callable[[], Any]) -> Any:
        """``read()``, once per state and ``key``."""
        if key not in self.memo:
            self.memo[key] = read()
        return self.memo[key]

    def answer(self, step_key: str, name: str | None = None, default: Any = None) -> Any:
        value = self.answers.get(step_key, default)
        if name is not None:
            return value.get(name, default) if isinstance(value, Mapping) else default
        return value

    def read(self, step_key: str, form_class: type[forms.Form]) -> dict[str, Any]:
        """A form step's stored answer read back through its form's fields: the values as the
        form cleaned them (dates, booleans, numbers, lists), whether the answer was given a
        moment ago or stored as JSON last week; a field never answered reads as the field's
        empty value (False for a tick box). Keys the form's clean() added are kept as stored."""
        stored = self.answers.get(step_key)
        stored = stored if isinstance(stored, Mapping) else {}
        return {**stored, **{name: form_field.to_python(stored.get(name))
                             for name, form_field in form_class.base_fields.items()}}


Text = str | Callable[[FlowState], str]

# The words of a step an author may edit (flow_content.py), by field name: a text, or a list
# of lines (bullet items, a procedure, a menu path). Structure and rules stay in code.
Texts = dict[str, str | tuple[str, ...]]
# Texts that may be left empty by an author (everything else keeps words once it has them).
OPTIONAL_TEXTS = ("text", "note", "items", "procedure", "menu_path")


def rule_of(function: Callable[..., Any]) -> str:
    """Where a computed part comes from, in words an author can quote to a developer: the
    function's first docstring line, or its name."""
    doc = (inspect.getdoc(function) or "").strip().split("\n\n")[0].replace("\n", " ")
    name = getattr(function, "__qualname__", repr(function)).lstrip("_").replace("_", " ")
    return doc or f"Computed by the flow's code ({name})."


@dataclass(frozen=True)
class Artifact:
    """Something an action step produces for the specialist to copy, send or download, or
    that SupportDesk itself already sent (``sent_to`` set): the page then says so instead of
    asking the specialist to send it. Stored in the case as ``as_json()``; ``from_json`` reads
    back one stored before a field existed (the field is empty)."""

    EMAIL: ClassVar[str] = "email"
    SERVICENOW: ClassVar[str] = "servicenow"
    PDF: ClassVar[str] = "pdf"
    REQUEST: ClassVar[str] = "request"

    kind: str
    title: str
    body: str
    to: str = ""
    subject: str = ""
    url: str = ""
    url_label: str = ""  # the link's text; "Download the report (PDF)" when empty
    # Set where SupportDesk sent it itself: to whom (an address, or "Noyo"), when (ISO 8601,
    # as JSON stores it) and what it made that the specialist may quote ("EC request #12").
    sent_to: str = ""
    sent_at: str = ""
    reference: str = ""

    @classmethod
    def sent(cls, *, at: dt.datetime, **values: str) -> Artifact:
        """An artifact SupportDesk sent at ``at`` (``sent_to`` among the values)."""
        return cls(sent_at=at.isoformat(), **values)

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Artifact:
        """An artifact as a case stored it, whatever fields existed then: unknown keys are
        dropped, missing ones read as empty."""
        names = cls.__dataclass_fields__
        return cls(**{"kind": "", "title": "", "body": "",
                      **{k: str(v) for k, v in stored.items() if k in names and v is not None}})

    def as_json(self) -> dict[str, str]:
        stored = {
            "kind": self.kind,
            "title": self.title,
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "url": self.url,
            "url_label": self.url_label,
        }
        if self.sent_to:
            stored |= {"sent_to": self.sent_to, "sent_at": self.sent_at}
        if self.reference:
            stored["reference"] = self.reference
        return stored

    @property
    def is_sent(self) -> bool:
        return bool(self.sent_to)

    @property
    def sent_moment(self) -> dt.datetime | None:
        """``sent_at`` read back as a datetime (None when unsent or unreadable)."""
        try:
            return dt.datetime.fromisoformat(self.sent_at) if self.sent_at else None
        except ValueError:
            return None


class StepRefused(Exception):
    """The request cannot be applied to the case as it stands; the message says why."""


@dataclass(frozen=True)
class Edge:
    """One way out of a step: its label, where it leads, and the value stored when taken
    (a choice's value, a branch key; None where the step has a single way on)."""

    label: str
    target: str
    value: str | None = None


@dataclass(frozen=True)
class Taken:
    """What an answer did: the value stored, the answer as the specialist saw it, where next."""

    value: Any
    answer: str
    next: str
    # The case's subject as this answer names it (a group step: its group and SL app).
    subject: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Waiting:
    """Why a case waits, until when, and on what (e.g. "EC request #12")."""

    reason: str
    follow_up_on: dt.date | None = None
    on: str = ""
    url: str = ""  # where to follow what it waits on (a connection's page, say)


@dataclass(frozen=True)
class Arrival:
    """What landing on a step does besides standing there: an artifact produced, the case
    closed with a disposition, or the case left waiting. The services store it."""

    event: str = ""  # the transcript event kind ("" when landing writes none)
    answer: str = ""  # the event's answer column
    value: Any = None
    artifact: dict[str, str] | None = None
    closes: Disposition | None = None
    waiting: Waiting | None = None


@dataclass(frozen=True, kw_only=True)
class Step:
    """Common to every step: what the specialist reads, quoted from the seed.

    Each kind is one class with its hooks: ``edges`` (the graph), ``take`` (an answer),
    ``arrive`` (landing on it), ``waits`` (standing on it), ``undo`` (going back past it),
    ``context`` and ``template``
    (its page), ``shape`` (its node on the flow map), ``problems`` (its system check).
    """

    kind: ClassVar[str] = "step"
    label: ClassVar[str] = "Step"  # what the specialist sees above the title
    template: ClassVar[str] = ""  # the body under the common step header
    shape: ClassVar[tuple[str, str]] = ("[", "]")  # Mermaid's node brackets
    interactive: ClassVar[bool] = True  # waits for the specialist (kept on the back path)
    terminal: ClassVar[bool] = False  # ends the flow

    key: str
    title: str
    text: Text = ""
    items: tuple[str, ...] = ()  # bullet points
    procedure: tuple[str, ...] = ()  # numbered steps to follow in another system
    menu_path: tuple[str, ...] = ()  # the seed's menu path, shown as "A > B > C"
    note: str = ""  # a REMINDER or NOTE from the seed, shown as a callout
    source: str = ""

    def edges(self) -> tuple[Edge, ...]:
        return ()

    def texts(self) -> Texts:
        """Every static text of the step an author may edit, by field name."""
        texts: Texts = {"title": self.title}
        if not callable(self.text):
            texts["text"] = self.text
        return texts | {"items": self.items, "procedure": self.procedure,
                        "menu_path": self.menu_path, "note": self.note}

    def computed(self) -> dict[str, str]:
        """The parts the code computes (shown to authors read-only), each with its rule."""
        return {"text": rule_of(self.text)} if callable(self.text) else {}

    def with_texts(self, texts: Mapping[str, str | tuple[str, ...]]) -> Step:
        """This step worded as ``texts`` say (fields not named, or not this step's, keep the
        code's words)."""
        own = self.texts()
        given = {name: (tuple(value) if isinstance(own[name], tuple) else str(value))
                 for name, value in texts.items() if name in own}
        return replace(self, **self._replaced(given)) if given else self

    def _replaced(self, texts: Mapping[str, Any]) -> dict[str, Any]:
        """The dataclass fields that ``texts`` (this step's field names) change."""
        return {name: value for name, value in texts.items()
                if name in ("title", "text", "items", "procedure", "menu_path", "note")}

    def targets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(edge.target for edge in self.edges()))

    def take(self, data: Any, state: FlowState) -> Taken | forms.Form:
        """Apply an answer: what it stored, or the bound form with its errors."""
        raise StepRefused("This step takes no answer.")

    def arrive(self, state: FlowState) -> Arrival:
        return Arrival()

    def waits(self, state: FlowState) -> Waiting | None:
        """Why a case standing here waits (read afresh), or None: it does not wait."""
        return None

    def undo(self, state: FlowState) -> str:
        """Undo what landing here did, before the case goes back past this step: a line for the
        transcript ("" when nothing needed undoing), or StepRefused naming what was done and
        what to do instead. Runs in the write's transaction, so a refusal rolls it all back."""
        return ""

    def context(self, state: FlowState, case: Any) -> dict[str, Any]:
        """What the step's template needs besides the step and its text."""
        return {}

    def opening_form(self, data: Any = None) -> forms.Form | None:
        """As a flow's first step: the form the start page asks instead of the case subject's
        own fields (a group step: the group is asked once, checked against the data, and the
        step answered as the case opens), bound to ``data`` when given. None: the start page
        keeps its own fields and the case opens on this step."""
        return None

    def problems(self) -> list[str]:
        """What the system check refuses in this step itself (the graph is checked apart)."""
        if not self.terminal and not self.edges():
            return ["has no way out (no choices or branches)."]
        return []

    def render_text(self, state: FlowState) -> str:
        return self.text(state) if callable(self.text) else self.text

    def shown(self, state: FlowState) -> str:
        """The step as plain text, frozen into the transcript when it is taken."""
        parts = [self.title]
        if text := self.render_text(state):
            parts.append(text)
        parts.extend(f"- {item}" for item in self.items)
        parts.extend(f"{n}. {line}" for n, line in enumerate(self.procedure, start=1))
        if self.menu_path:
            parts.append("Path: " + " > ".join(self.menu_path))
        if self.note:
            parts.append(self.note)
        return "\n".join(parts)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    next: str
    help: str = ""


@dataclass(frozen=True, kw_only=True)
class Question(Step):
    kind: ClassVar[str] = "question"
    label: ClassVar[str] = "Question"
    template: ClassVar[str] = "cases/steps/question.html"
    shape: ClassVar[tuple[str, str]] = ("{", "}")
    choices: tuple[Choice, ...]

    def edges(self) -> tuple[Edge, ...]:
        return tuple(Edge(c.label, c.next, c.value) for c in self.choices)

    def texts(self) -> Texts:
        texts = super().texts()
        for c in self.choices:
            texts[f"choice.{c.value}.label"] = c.label
            texts[f"choice.{c.value}.help"] = c.help
        return texts

    def _replaced(self, texts: Mapping[str, Any]) -> dict[str, Any]:
        choices = tuple(replace(c, label=texts.get(f"choice.{c.value}.label", c.label),
                                help=texts.get(f"choice.{c.value}.help", c.help))
                        for c in self.choices)
        return super()._replaced(texts) | {"choices": choices}

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def take(self, data: Any, state: FlowState) -> Taken:
        choice = self.choice(str(data.get("choice", "")))
        if choice is None:
            raise StepRefused("Choose one of the answers offered for this step.")
        return Taken(choice.value, choice.label, choice.next)

    def context(self, state: FlowState, case: Any) -> dict[str, Any]:
        return {"previous_choice": state.answers.get(self.key)}

    def problems(self) -> list[str]:
        values = Counter(choice.value for choice in self.choices)
        labels = Counter(choice.label.strip().casefold() for choice in self.choices)
        return [*super().problems(),
                *(f"offers choice {value!r} twice." for value, n in values.items() if n > 1),
                *(f"offers two answers worded “{label}”: the specialist cannot tell them apart."
                  for label, n in labels.items() if n > 1)]


@dataclass(frozen=True, kw_only=True)
class FormStep(Step):
    kind: ClassVar[str] = "form"
    label: ClassVar[str] = "Details"
    template: ClassVar[str] = "cases/steps/form.html"
    form_class: type[forms.Form]
    next: str
    submit_label: str = "Continue"
    # Values to start from the first time the step is shown (e.g. the case's group number);
    # once answered, the stored answer is shown instead.
    initial: Callable[[FlowState], dict[str, Any]] | None = None
    # The answer names the case's subject (its fields named as subject fields, subjects.py):
    # the case follows it, so its header and a follow-on case carry the group the specialist
    # settled on.
    names_subject: bool = False

    def texts(self) -> Texts:
        return super().texts() | {"submit_label": self.submit_label}

    def computed(self) -> dict[str, str]:
        fields = ", ".join(str(f.label or name) for name, f in self.form_class.base_fields.items())
        return super().computed() | {"form": f"The form's fields and their checks: {fields}."}

    def _replaced(self, texts: Mapping[str, Any]) -> dict[str, Any]:
        return super()._replaced(texts) | {k: v for k, v in texts.items() if k == "submit_label"}

    def initial_for(self, state: FlowState) -> dict[str, Any]:
        stored = state.answers.get(self.key)
        if stored:
            return dict(stored)
        return self.initial(state) if self.initial else {}

    def edges(self) -> tuple[Edge, ...]:
        return (Edge("", self.next),)

    def take(self, data: Any, state: FlowState) -> Taken | forms.Form:
        form = self.form_class(data=data, prefix=self.key)
        if not form.is_valid():
            return form
        value = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
        subject = ({name: str(value.get(name) or "") for name in subjects.subject_field_names()
                    if name in value} if self.names_subject else {})
        return Taken(value, describe_form_answer(form), self.next, subject)

    def context(self, state: FlowState, case: Any) -> dict[str, Any]:
        return {"form": self.form_class(initial=self.initial_for(state), prefix=self.key)}

    def opening_form(self, data: Any = None) -> forms.Form | None:
        if not self.names_subject:
            return None
        return self.form_class(data=data, prefix=self.key)


@dataclass(frozen=True)
class Branch:
    label: str
    next: str


@dataclass(frozen=True, kw_only=True)
class Check(Step):
    """Looks at the case's data and branches without asking; recorded in the transcript.

    ``decide`` declares the branch keys it can return, by its return annotation (a
    ``Literal[...]`` or an Enum); the system check refuses one that can return a key
    ``branches`` does not declare.
    """

    kind: ClassVar[str] = "check"
    label: ClassVar[str] = "Automatic check"
    shape: ClassVar[tuple[str, str]] = ("{{", "}}")
    interactive: ClassVar[bool] = False
    decide: Callable[[FlowState], str]
    branches: Mapping[str, Branch]

    def edges(self) -> tuple[Edge, ...]:
        return tuple(Edge(b.label, b.next, key) for key, b in self.branches.items())

    def texts(self) -> Texts:
        return super().texts() | {f"branch.{key}.label": b.label for key, b in self.branches.items()}

    def computed(self) -> dict[str, str]:
        return super().computed() | {"decide": rule_of(self.decide)}

    def _replaced(self, texts: Mapping[str, Any]) -> dict[str, Any]:
        branches = {key: replace(b, label=texts.get(f"branch.{key}.label", b.label))
                    for key, b in self.branches.items()}
        return super()._replaced(texts) | {"branches": branches}

    def problems(self) -> list[str]:
        problems = super().problems()
        name = getattr(self.decide, "__qualname__", repr(self.decide))
        returned = decide_returns(self.decide)
        if returned is None:
            return [*problems, f"its decide function {name} does not declare the branch keys it "
                    "returns: annotate it `-> Literal[...]` or with an Enum."]
        undeclared = sorted(set(returned) - set(self.branches))
        if undeclared:
            problems.append(f"its decide function {name} can return {undeclared}, not among "
                            f"its branches {sorted(self.branches)}.")
        return problems


@dataclass(frozen=True, kw_only=True)
class Instruction(Step):
    kind: ClassVar[str] = "instruction"
    label: ClassVar[str] = "Instruction"
    template: ClassVar[str] = "cases/steps/continue.html"
    shape: ClassVar[tuple[str, str]] = ("[/", "/]")
    next: str
    continue_label: str = "Done, continue"

    def edges(self) -> tuple[Edge, ...]:
        return (Edge("", self.next),)

    def take(self, data: Any, state: FlowState) -> Taken:
        return Taken(None, self.continue_label, self.next)

    def texts(self) -> Texts:
        return super().texts() | {"continue_label": self.continue_label}

    def _replaced(self, texts: Mapping[str, Any]) -> dict[str, Any]:
        return super()._replaced(texts) | {k: v for k, v in texts.items() if k == "continue_label"}


@dataclass(frozen=True, kw_only=True)
class Action(Instruction):
    """Produces an artifact when reached; the specialist copies it and continues.

    ``produce`` runs inside the transaction that lands on the step, with ``state.case`` and
    ``state.user`` set, so it may also write (queue a request); an error rolls everything back.
    An action that writes declares how it is undone: ``undo_with`` withdraws, discards or
    cancels what ``produce`` made, or raises StepRefused where that can no longer be done.
    """

    kind: ClassVar[str] = "action"
    # Not "Ready to send": some artifacts SupportDesk already sent; the artifact itself says
    # whether it is sent or for the specialist to send.
    label: ClassVar[str] = "Prepared by SupportDesk"
    shape: ClassVar[tuple[str, str]] = ("[[", "]]")
    produce: Callable[[FlowState], Artifact]
    undo_with: Callable[[FlowState], str] | None = None
    # The fixed parts of the e-mail or ServiceNow text ``produce`` writes, by name (authors
    # may reword them, keeping their placeholders such as "{group_number}", which ``produce``
    # fills from the data): ``produce`` reads them with ``state.text(name, **values)``.
    fixed: Mapping[str, str] = field(default_factory=dict)

    def texts(self) -> Texts:
        return super().texts() | {f"fixed.{name}": text for name, text in self.fixed.items()}

    def computed(self) -> dict[str, str]:
        return super().computed() | {"produce": rule_of(self.produce)}

    def _replaced(self, texts: Mapping[str, Any]) -> dict[str, Any]:
        fixed = {name: texts.get(f"fixed.{name}", text) for name, text in self.fixed.items()}
        return super()._replaced(texts) | {"fixed": fixed}

    def arrive(self, state: FlowState) -> Arrival:
        artifact = self.produce(replace(state, texts=self.fixed)).as_json()
        return Arrival(event="action", answer=artifact["title"], artifact=artifact)

    def undo(self, state: FlowState) -> str:
        return self.undo_with(state) if self.undo_with else ""

    def context(self, state: FlowState, case: Any) -> dict[str, Any]:
        return {"artifact": case.artifacts.get(self.key)}


@dataclass(frozen=True, kw_only=True)
class Wait(Step):
    """The case waits on something outside the call (a date, a request, a carrier) with a
    follow-up date; the specialist resumes it later, and ``next`` (usually a check that reads
    the data again) decides where it goes."""

    kind: ClassVar[str] = "wait"
    label: ClassVar[str] = "Waiting"
    template: ClassVar[str] = "cases/steps/wait.html"
    shape: ClassVar[tuple[str, str]] = ("[(", ")]")
    waiting: Callable[[FlowState], Waiting]
    next: str
    resume_label: str = "Resume the case"

    def edges(self) -> tuple[Edge, ...]:
        return (Edge("Resumed", self.next),)

    def waits(self, state: FlowState) -> Waiting:
        return self.waiting(state)

    def texts(self) -> Texts:
        return super().texts() | {"resume_label": self.resume_label}

    def computed(self) -> dict[str, str]:
        return super().computed() | {"waiting": rule_of(self.waiting)}

    def _replaced(self, texts: Mapping[str, Any]) -> dict[str, Any]:
        return super()._replaced(texts) | {k: v for k, v in texts.items() if k == "resume_label"}

    def arrive(self, state: FlowState) -> Arrival:
        waiting = self.waits(state)
        due = f"; follow up {date_text(waiting.follow_up_on)}" if waiting.follow_up_on else ""
        return Arrival(event="wait", answer=f"{waiting.reason.rstrip('.')}{due}.", waiting=waiting)

    def take(self, data: Any, state: FlowState) -> Taken:
        return Taken(None, self.resume_label, self.next)

    def context(self, state: FlowState, case: Any) -> dict[str, Any]:
        return {"waiting": self.waits(state)}


@dataclass(frozen=True, kw_only=True)
class Outcome(Step):
    kind: ClassVar[str] = "outcome"
    label: ClassVar[str] = "Outcome"
    template: ClassVar[str] = "cases/steps/outcome.html"
    shape: ClassVar[tuple[str, str]] = ("([", "])")
    terminal: ClassVar[bool] = True
    disposition: Disposition
    # A follow-on flow the outcome sends the specialist to: a button opens it with the
    # case's subject carried over, and both cases link to each other.
    follow_on: str = ""
    follow_on_label: str = ""

    def texts(self) -> Texts:
        texts = super().texts()
        return texts | {"follow_on_label": self.follow_on_label} if self.follow_on else texts

    def computed(self) -> dict[str, str]:
        return super().computed() | {"disposition": f"Closes the case as “{self.disposition.label}”."}

    def _replaced(self, texts: Mapping[str, Any]) -> dict[str, Any]:
        return super()._replaced(texts) | {k: v for k, v in texts.items() if k == "follow_on_label"}

    def arrive(self, state: FlowState) -> Arrival:
        return Arrival(event="outcome", answer=self.disposition.label,
                       value=self.disposition.value, closes=self.disposition)

    def problems(self) -> list[str]:
        if self.follow_on and registry.get(self.follow_on) is None:
            return [f"sends to the follow-on flow {self.follow_on!r}, which is not registered."]
        return []

    def context(self, state: FlowState, case: Any) -> dict[str, Any]:
        # Back and Restart keep only the path's artifacts; a case closed before they did still
        # holds the abandoned branches' ones, which the outcome must not list.
        on_path = set(case.path) | {case.current_step}
        return {
            "artifacts": [a for key, a in case.artifacts.items() if key in on_path],
            "follow_on": registry.get(self.follow_on) if self.follow_on else None,
        }


def decide_returns(decide: Callable[..., Any]) -> tuple[str, ...] | None:
    """The branch keys a check's ``decide`` declares by its return annotation, or None when it
    declares none (a plain ``str``), checked against the string literals its body returns."""
    try:
        hints = typing.get_type_hints(decide)
    except (NameError, TypeError, AttributeError):  # an annotation that does not resolve
        return None
    declared = hints.get("return")
    if typing.get_origin(declared) is typing.Literal:
        keys = tuple(str(arg) for arg in typing.get_args(declared))
    elif isinstance(declared, type) and issubclass(declared, enum.Enum):
        keys = tuple(str(member.value) for member in declared)
    else:
        return None
    return tuple(dict.fromkeys([*keys, *_returned_literals(decide)]))


def _returned_literals(function: Callable[..., Any]) -> list[str]:
    """The string constants a function's ``return`` statements can give (either arm of an
    ``x if c else y``), so an annotation that forgets one is caught."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return []
    found: list[str] = []

    def constants(node: ast.AST | None) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
        elif isinstance(node, ast.IfExp):
            constants(node.body)
            constants(node.orelse)

    for node in ast.walk(tree):
        if isinstance(node, ast.Return):
            constants(node.value)
    return found


def describe_form_answer(form: forms.Form) -> str:
    """The cleaned form as 'Label: value' lines, in the words the specialist saw."""
    lines = []
    for name, form_field in form.fields.items():
        value = form.cleaned_data.get(name)
        if isinstance(form_field, forms.BooleanField):
            shown = "Yes" if value else "No"
        elif isinstance(form_field, forms.ChoiceField) and not isinstance(value, (list, tuple)):
            # django-stubs types the getter as what the setter takes; Django keeps a list of pairs.
            shown = str(dict(form_field.choices).get(value, value) or "—")  # type: ignore[arg-type]
        elif isinstance(value, (list, tuple)):
            labels = dict(getattr(form_field, "choices", []))
            shown = ", ".join(str(labels.get(v, v)) for v in value) or "—"
        else:
            shown = "—" if value in (None, "") else str(value)
        label = str(form_field.label or name).rstrip(":")  # a label may end in its own colon
        lines.append(f"{label}: {shown}")
    return "\n".join(lines)


FLOW_TEXTS = "_flow"  # the key of a flow's own texts (title, summary) among its steps' texts


@dataclass(frozen=True, kw_only=True)
class Flow:
    """A flow as its code declares it; ``version`` is the published version of its words it
    carries (flow_content.py composes them; the code's own words are version 1)."""

    key: str
    title: str
    summary: str
    start: str
    steps: tuple[Step, ...]
    version: int = 1
    caller_type: CallerType = CallerType.EMPLOYER
    asks_subject: bool = True
    source: str = ""
    _index: dict[str, Step] = field(init=False, repr=False, compare=False)  # step by key

    def __post_init__(self) -> None:
        # First declaration wins; the system check reports duplicate keys.
        index: dict[str, Step] = {}
        for step in self.steps:
            index.setdefault(step.key, step)
        object.__setattr__(self, "_index", index)

    def step(self, key: str) -> Step | None:
        return self._index.get(key)

    def content(self) -> dict[str, Texts]:
        """Every text an author may edit: the flow's own (under ``FLOW_TEXTS``), then each
        step's by its key."""
        return {FLOW_TEXTS: {"title": self.title, "summary": self.summary},
                **{step.key: step.texts() for step in self.steps}}

    def worded(self, content: Mapping[str, Mapping[str, Any]], version: int) -> Flow:
        """This flow as version ``version`` words it: each text ``content`` names replaces the
        code's; a step or text the code no longer has is ignored."""
        own = content.get(FLOW_TEXTS, {})
        return replace(
            self, version=version,
            title=str(own.get("title", self.title)), summary=str(own.get("summary", self.summary)),
            steps=tuple(step.with_texts(content.get(step.key, {})) for step in self.steps),
        )

    def opening_form(self, data: Any = None) -> forms.Form | None:
        """The first step's form when the start page asks it (see Step.opening_form)."""
        first = self.step(self.start)
        return first.opening_form(data) if first is not None else None

    def edges(self) -> Iterator[tuple[Step, Edge]]:
        """Every way out of every step."""
        for step in self.steps:
            for edge in step.edges():
                yield step, edge


class FlowError(Exception):
    """A flow misbehaved at run time (a check returned a branch it does not declare)."""


# Checks that lead to checks are legal; this bounds a cycle of them the graph check missed.
MAX_AUTOMATIC_STEPS = 50


@dataclass(frozen=True)
class CheckTaken:
    step: Check
    branch: str


def land(flow: Flow, key: str, state: FlowState) -> tuple[Step, list[CheckTaken]]:
    """Walk from ``key`` through automatic checks to the step the specialist sees next.

    Returns that step and the checks passed on the way, each with the branch it took.
    """
    passed: list[CheckTaken] = []
    for _ in range(MAX_AUTOMATIC_STEPS):
        step = flow.step(key)
        if step is None:
            raise FlowError(f"Flow {flow.key!r} has no step {key!r}.")
        if step.interactive:
            return step, passed
        assert isinstance(step, Check)  # the only automatic kind
        decided = step.decide(state)
        branch = str(getattr(decided, "value", decided))  # a key, or an Enum member of one
        if branch not in step.branches:
            raise FlowError(
                f"Check {flow.key}.{step.key} returned {branch!r}, "
                f"not one of {sorted(step.branches)}."
            )
        passed.append(CheckTaken(step, branch))
        key = step.branches[branch].next
    raise FlowError(f"Flow {flow.key!r} loops through automatic checks from {key!r}.")


class FlowRegistry:
    def __init__(self) -> None:
        self._flows: list[Flow] = []

    def register(self, flow: Flow) -> Flow:
        self._flows.append(flow)
        return flow

    def all(self) -> list[Flow]:
        return list(self._flows)

    def get(self, key: str) -> Flow | None:
        return next((flow for flow in self._flows if flow.key == key), None)


registry = FlowRegistry()
register = registry.register
