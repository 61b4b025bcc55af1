"""Every form of the project, found rather than listed, so a new form is fuzzed without anyone
remembering to add it: each app's forms module, the dashboard's form, the import's row forms, the
admin's SL app form, and every FormStep's form_class in the registered flows."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone

from supportdesk.engine import Flow, FormStep, registry

FORM_MODULES = (
    "supportdesk.forms",
    "supportdesk.views.dashboard",
    "ec_access.forms",
    "ec_access.importing",
    "ec_access.admin",
    "agent_rsos.forms",
    "husky_reports.forms",
    "noyo_sync.forms",
)


def _init_kwargs(form_class: type[forms.BaseForm]) -> dict[str, Any]:
    """Keyword arguments a form needs besides its data (LifecycleForm takes the time now)."""
    if "now" in inspect.signature(form_class.__init__).parameters:
        return {"now": timezone.now()}
    return {}


@dataclass(frozen=True)
class FormUnderTest:
    form_class: type[forms.BaseForm]
    where: str
    init_kwargs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def id(self) -> str:
        return f"{self.where}:{self.form_class.__name__}"


def module_forms() -> list[FormUnderTest]:
    import importlib

    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (inspect.isclass(value) and issubclass(value, forms.BaseForm)
                    and value.__module__ == name and value.base_fields):
                found.append(FormUnderTest(value, name, _init_kwargs(value)))
    return found


def form_steps() -> list[tuple[Flow, FormStep]]:
    return [(flow, step) for flow in registry.all() for step in flow.steps
            if isinstance(step, FormStep)]


def all_forms() -> list[FormUnderTest]:
    forms_found = {form.form_class: form for form in module_forms()}
    for flow, step in form_steps():
        forms_found.setdefault(step.form_class, FormUnderTest(step.form_class, f"{flow.key}.{step.key}"))
    return sorted(forms_found.values(), key=lambda form: form.id)
