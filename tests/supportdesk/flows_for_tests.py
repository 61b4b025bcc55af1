"""A tiny flow built for engine tests; never registered."""

from __future__ import annotations

from typing import Literal

from django import forms

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
)


def size_of(state: FlowState) -> Literal["big", "small"]:
    return "big" if state.answer("count", "employees") > 100 else "small"


class AgeForm(forms.Form):
    employees = forms.IntegerField(label="Employees enrolled", min_value=0, max_value=1_000_000)


def tiny_flow(**overrides) -> Flow:
    steps = overrides.pop("steps", None) or (
        Question(key="ask", title="Big group?", choices=(
            Choice("count", "Let me count", next="count"),
            Choice("skip", "Skip", next="done"),
        )),
        FormStep(key="count", title="How many?", form_class=AgeForm, next="size"),
        Check(key="size", title="Size check", decide=size_of,
              branches={"big": Branch("Over 100", "mail"), "small": Branch("100 or fewer", "note")}),
        Instruction(key="note", title="Tell them", text="Small groups wait.", next="done"),
        Action(key="mail", title="Draft", produce=lambda s: Artifact(kind=Artifact.EMAIL, title="Hello", to="x@example.com", subject="S", body="B"), next="done"),
        Outcome(key="done", title="Done", disposition=Disposition.ANSWERED),
    )
    fields = {"key": "tiny", "version": 1, "title": "Tiny", "summary": "", "start": "ask", "steps": steps}
    fields.update(overrides)
    return Flow(**fields)
