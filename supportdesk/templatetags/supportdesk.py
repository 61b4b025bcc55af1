from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms, template

from ..contact_links import link_contacts
from ..engine import Artifact

register = template.Library()

ARTIFACT_KIND_LABELS = {
    Artifact.EMAIL: "E-mail",
    Artifact.SERVICENOW: "ServiceNow",
    Artifact.PDF: "PDF",
    Artifact.REQUEST: "Request",
}


@register.filter
def join_lines(value: object) -> str:
    """A text of the flow editor as its box shows it: a list of lines one per line."""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(line) for line in value)
    return "" if value is None else str(value)


@register.filter
def artifact_kind_label(kind: str) -> str:
    return ARTIFACT_KIND_LABELS.get(kind, kind.title())


@register.filter
def as_artifact(stored: Mapping[str, Any] | Artifact) -> Artifact:
    """A case's stored artifact (JSON, perhaps from before a field existed) as an Artifact."""
    return stored if isinstance(stored, Artifact) else Artifact.from_json(stored)


@register.filter
def widget_kind(bound_field: Any) -> str:
    """How partials/field.html lays a field out: one checkbox, a group of them, or a plain input."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "multiple"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def contact_links(text: object) -> str:
    """Escape ``text`` and make its e-mail addresses, phone numbers and web addresses links
    (``mailto:``, ``tel:``); chain it before ``linebreaks``: ``{{ text|contact_links|linebreaks }}``."""
    return link_contacts(text)
