"""What a case is about besides its caller: the subject fields a domain app declares.

The core knows no domain app. A case keeps its subject in ``Case.subject`` (a JSON object, a
field's name to its text); which fields there are, how the start form asks them, how they are
checked and how pages name them is declared here by the apps in their ``AppConfig.ready()``
(EC access: the employer group and its SL app). A subject field is never member data: no
member's name, ID or date of birth.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q


@dataclass(frozen=True)
class SubjectField:
    """One subject field. ``label`` is the start form's ("Group number"), ``short`` the
    transcript's and the supervisor's ("Group"), ``inline`` the one inside a sentence
    ("group 824751"). ``form_field`` makes the start form's field (its validators are the
    field's rules); ``listed``: the case lists show it as a column, and supervisors find cases
    by it."""

    name: str
    label: str
    short: str
    inline: str
    form_field: Callable[[], forms.Field]
    listed: bool = False


_fields: dict[str, SubjectField] = {}


def register_subject_fields(*fields: SubjectField) -> None:
    """Declare subject fields, in the order pages show them (again is harmless: ready() may
    run twice in tests)."""
    for field in fields:
        _fields[field.name] = field


def subject_fields() -> list[SubjectField]:
    return list(_fields.values())


def subject_field_names() -> tuple[str, ...]:
    return tuple(_fields)


def listed_subject_fields() -> list[SubjectField]:
    return [field for field in _fields.values() if field.listed]


def form_fields() -> dict[str, forms.Field]:
    """A fresh form field per subject field, for the start form."""
    return {field.name: field.form_field() for field in _fields.values()}


def clean_subject(values: Mapping[str, Any]) -> dict[str, str]:
    """The subject a case is opened with or an answer names: each declared field's text,
    stripped and checked by its form field; empty ones left out. Unknown names are refused
    (a programming error, not a specialist's), a value that fails its field's rules is a
    ValidationError naming the field."""
    unknown = set(values) - set(_fields)
    if unknown:
        raise ValueError(f"Not subject fields: {', '.join(sorted(unknown))}")
    cleaned: dict[str, str] = {}
    errors: dict[str, list[ValidationError]] = {}
    for name, value in values.items():
        text = str(value or "").strip()
        if not text:
            continue
        field = _fields[name].form_field()
        field.required = False
        try:
            cleaned[name] = str(field.clean(text))
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def shown(subject: Mapping[str, str]) -> list[tuple[SubjectField, str]]:
    """The subject's filled fields in declared order, with their field."""
    return [(field, subject[field.name]) for field in _fields.values() if subject.get(field.name)]


def described(subject: Mapping[str, str], *, listed_only: bool = False) -> str:
    """The subject in a sentence: "group 824751, SL app 1234" ("" when empty); with
    ``listed_only``, the listed fields alone ("group 824751")."""
    return ", ".join(f"{field.inline} {value}" for field, value in shown(subject)
                     if field.listed or not listed_only)


def matching(name: str, value: str) -> Q:
    """Cases whose subject field ``name`` is ``value``. On PostgreSQL a containment test the
    GIN index on Case.subject answers (migration supportdesk 0012); SQLite, which cannot test
    JSON containment, compares the key."""
    if connection.features.supports_json_field_contains:
        return Q(subject__contains={name: value})
    return Q(**{f"subject__{name}": value})
