from __future__ import annotations

from typing import Any

from django import forms, template

from ..engine import Artifact

register = template.Library()

ARTIFACT_KIND_LABELS = {
    Artifact.EMAIL: "E-mail",
    Artifact.SERVICENOW: "ServiceNow",
    Artifact.PDF: "PDF",
    Artifact.REQUEST: "Request",
}


@register.filter
def artifact_kind_label(kind: str) -> str:
    return ARTIFACT_KIND_LABELS.get(kind, kind.title())


@register.filter
def artifact_copy_text(artifact: dict[str, str]) -> str:
    known = Artifact.__dataclass_fields__
    return Artifact(**{k: v for k, v in artifact.items() if k in known}).copy_text


@register.filter
def widget_kind(bound_field: Any) -> str:
    """How partials/field.html lays a field out: one checkbox, a group of them, or a plain input."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "multiple"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"
