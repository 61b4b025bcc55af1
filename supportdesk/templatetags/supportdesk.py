from __future__ import annotations

from django import template

from ..engine import Artifact, Step

register = template.Library()

STEP_KIND_LABELS = {
    "question": "Question",
    "form": "Details",
    "check": "Automatic check",
    "instruction": "Instruction",
    "action": "Ready to send",
    "outcome": "Outcome",
}

ARTIFACT_KIND_LABELS = {
    Artifact.EMAIL: "E-mail",
    Artifact.SERVICENOW: "ServiceNow",
    Artifact.PDF: "PDF",
    Artifact.REQUEST: "Request",
}


@register.filter
def step_kind_label(step: Step) -> str:
    return STEP_KIND_LABELS.get(step.kind, step.kind.title())


@register.filter
def artifact_kind_label(kind: str) -> str:
    return ARTIFACT_KIND_LABELS.get(kind, kind.title())


@register.filter
def artifact_copy_text(artifact: dict[str, str]) -> str:
    return Artifact(**artifact).copy_text
