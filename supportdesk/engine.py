"""The flow engine: flows declared as data, and the pure walk over them.

A flow is a graph of steps. Each app declares its flows in its own ``flows.py`` and calls
``register()``; ``SupportdeskConfig.ready()`` imports every ``flows`` module, and the system
checks in ``supportdesk.checks`` refuse a broken graph at start-up.

Nothing here touches the database: ``supportdesk.services`` stores what the walk decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.db import models


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
    case: Any = None
    user: Any = None
    # Records the checks and texts of one request have read (e.g. the group they all ask
    # about), so a walk through several checks reads each once. Lives as long as the state:
    # one write or one page.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

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


Text = str | Callable[[FlowState], str]


@dataclass(frozen=True)
class Artifact:
    """Something an action step produces for the specialist to copy, send or download."""

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

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "title": self.title,
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "url": self.url,
            "url_label": self.url_label,
        }

    @property
    def copy_text(self) -> str:
        """The text the copy button puts on the clipboard."""
        head = []
        if self.to:
            head.append(f"To: {self.to}")
        if self.subject:
            head.append(f"Subject: {self.subject}")
        return "\n".join([*head, "", self.body] if head else [self.body])


@dataclass(frozen=True, kw_only=True)
class Step:
    """Common to every step: what the specialist reads, quoted from the seed."""

    kind: ClassVar[str] = "step"
    interactive: ClassVar[bool] = True  # waits for the specialist (kept on the back path)

    key: str
    title: str
    text: Text = ""
    items: tuple[str, ...] = ()  # bullet points
    procedure: tuple[str, ...] = ()  # numbered steps to follow in another system
    menu_path: tuple[str, ...] = ()  # the seed's menu path, shown as "A > B > C"
    note: str = ""  # a REMINDER or NOTE from the seed, shown as a callout
    source: str = ""

    def targets(self) -> tuple[str, ...]:
        return ()

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
    choices: tuple[Choice, ...]

    def targets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(choice.next for choice in self.choices))

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True, kw_only=True)
class FormStep(Step):
    kind: ClassVar[str] = "form"
    form_class: type[forms.Form]
    next: str
    submit_label: str = "Continue"
    # Values to start from the first time the step is shown (e.g. the case's group number);
    # once answered, the stored answer is shown instead.
    initial: Callable[[FlowState], dict[str, Any]] | None = None

    def initial_for(self, state: FlowState) -> dict[str, Any]:
        stored = state.answers.get(self.key)
        if stored:
            return dict(stored)
        return self.initial(state) if self.initial else {}

    def targets(self) -> tuple[str, ...]:
        return (self.next,)


@dataclass(frozen=True)
class Branch:
    label: str
    next: str


@dataclass(frozen=True, kw_only=True)
class Check(Step):
    """Looks at the case's data and branches without asking; recorded in the transcript."""

    kind: ClassVar[str] = "check"
    interactive: ClassVar[bool] = False
    decide: Callable[[FlowState], str]
    branches: Mapping[str, Branch]

    def targets(self) -> tuple[str, ...]:
        return tuple(branch.next for branch in self.branches.values())


@dataclass(frozen=True, kw_only=True)
class Instruction(Step):
    kind: ClassVar[str] = "instruction"
    next: str
    continue_label: str = "Done, continue"

    def targets(self) -> tuple[str, ...]:
        return (self.next,)


@dataclass(frozen=True, kw_only=True)
class Action(Step):
    """Produces an artifact when reached; the specialist copies it and continues.

    ``produce`` runs inside the transaction that lands on the step, with ``state.case`` and
    ``state.user`` set, so it may also write (queue a request); an error rolls everything back.
    """

    kind: ClassVar[str] = "action"
    produce: Callable[[FlowState], Artifact]
    next: str
    continue_label: str = "Done, continue"

    def targets(self) -> tuple[str, ...]:
        return (self.next,)


@dataclass(frozen=True, kw_only=True)
class Outcome(Step):
    kind: ClassVar[str] = "outcome"
    disposition: Disposition


@dataclass(frozen=True, kw_only=True)
class Flow:
    key: str
    version: int
    title: str
    summary: str
    start: str
    steps: tuple[Step, ...]
    caller_type: CallerType = CallerType.EMPLOYER
    asks_group: bool = True
    source: str = ""

    def __post_init__(self) -> None:
        # First declaration wins; the system check reports duplicate keys.
        index: dict[str, Step] = {}
        for step in self.steps:
            index.setdefault(step.key, step)
        object.__setattr__(self, "_index", index)

    def step(self, key: str) -> Step | None:
        return self._index.get(key)  # type: ignore[attr-defined]

    def edges(self) -> Iterator[tuple[Step, str, str]]:
        """(step, label, target) for every way out of every step."""
        for step in self.steps:
            if isinstance(step, Question):
                for choice in step.choices:
                    yield step, choice.label, choice.next
            elif isinstance(step, Check):
                for branch in step.branches.values():
                    yield step, branch.label, branch.next
            else:
                for target in step.targets():
                    yield step, "", target


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
        if not isinstance(step, Check):
            return step, passed
        branch = step.decide(state)
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
