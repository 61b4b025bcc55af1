"""The audit trail: every service write records who did what, to which object, and when.

Services call ``audit()`` inside their own transaction, next to the history row they already
write (CaseEvent, ECRequestEvent, EscalationEvent, GroupConnectionEvent): those tell an object's
story; the audit trail is one place where a supervisor reads everyone's writes across the apps.
Summaries name objects by number and status only: never a member's name, ID or date of birth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from .lists import FormFilterSet
from .models import AuditEntry

# Every action a service records, with the words the supervisor's page shows. audit() refuses a
# name not listed here, so the filter always offers every action there is. The core lists its
# own; each app adds its actions, their areas and its objects' pages with register_actions() in
# its AppConfig.ready(): the core knows no domain app.
ACTIONS: dict[str, str] = {
    "case.open": "Case opened",
    "case.answer": "Case step answered",
    "case.back": "Case went back a step",
    "case.restart": "Case restarted",
    "case.note": "Case note added",
    "case.incident": "Case ServiceNow incident number recorded",
    "case.review": "Case reviewed",
    "flow.draft_save": "Flow draft saved",
    "flow.draft_discard": "Flow draft discarded",
    "flow.publish": "Flow version published",
    "flow.revert": "Flow reverted to an older version",
    "flow.feedback_report": "Flow feedback reported",
    "flow.feedback_answer": "Flow feedback answered",
    "flow.feedback_close": "Flow feedback closed",
}

# The first part of an action, as the filter groups them.
AREAS: dict[str, str] = {
    "case": "Cases",
    "flow": "Flow content",
}

# Object types with a page a supervisor can open: (label, URL name, URL argument from the pk).
OBJECT_PAGES: dict[str, tuple[str, str | None]] = {
    "supportdesk.case": ("Case", "supervisor_case"),
    "supportdesk.casereview": ("Case review", None),
    "supportdesk.flowdraft": ("Flow draft", None),
    "supportdesk.flowversion": ("Flow version", None),
    "supportdesk.stepfeedback": ("Flow feedback", None),
}


Registered = TypeVar("Registered")


def _merge(into: dict[str, Registered], new: Mapping[str, Registered], what: str) -> None:
    for key, value in new.items():
        if into.get(key, value) != value:
            raise ValueError(f"Audit {what} {key!r} is already registered as {into[key]!r}.")
        into[key] = value


def register_actions(*, areas: Mapping[str, str], actions: Mapping[str, str],
                     object_pages: Mapping[str, tuple[str, str | None]] | None = None) -> None:
    """Add an app's areas, actions (each in one of the areas given or known) and object pages.
    Registering the same again is harmless (ready() may run twice in tests); a different label
    for a known name is refused."""
    known = {**AREAS, **areas}
    for action in actions:
        if action.split(".", 1)[0] not in known:
            raise ValueError(f"Audit action {action!r} is in no registered area.")
    _merge(AREAS, areas, "area")
    _merge(ACTIONS, actions, "action")
    _merge(OBJECT_PAGES, object_pages or {}, "object page")


SUMMARY_LENGTH = AuditEntry._meta.get_field("summary").max_length or 300


def audit(*, user: User | AnonymousUser | None, action: str, obj: models.Model | None, summary: str) -> AuditEntry:
    """Record ``action`` on ``obj`` by ``user`` (None for SupportDesk's own background work;
    ``obj`` None for an action on no single object, such as an import file).

    Must run inside the caller's transaction: the entry commits, or rolls back, with the write
    it describes.
    """
    if action not in ACTIONS:
        raise ValueError(
            f"Unknown audit action {action!r}: register it with supportdesk.audit.register_actions()."
        )
    if not connection.in_atomic_block:
        raise RuntimeError(f"audit({action!r}) must run inside the write's transaction.")
    if obj is not None and obj.pk is None:
        raise ValueError(f"audit({action!r}) needs a saved object.")
    if isinstance(user, AnonymousUser):  # nobody signed in: recorded as SupportDesk itself
        user = None
    summary = " ".join(summary.split())  # one line, whatever the caller built
    if len(summary) > SUMMARY_LENGTH:
        summary = summary[: SUMMARY_LENGTH - 1] + "…"
    return AuditEntry.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary,
    )


# --- Reading: the supervisor's page -------------------------------------------------------

# Dates a person may mean; anything outside is a typo, refused rather than turned into an
# out-of-range datetime.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


# A choice, or a named group of them (an area's actions).
ActionChoice = tuple[str, str] | tuple[str, list[tuple[str, str]]]


def _action_choices() -> list[ActionChoice]:
    choices: list[ActionChoice] = [("", "Any action")]
    for area, label in AREAS.items():
        actions = [(name, text) for name, text in ACTIONS.items() if name.split(".", 1)[0] == area]
        choices.append((label, [(f"{area}.", f"{label}: any"), *actions]))
    return choices


class AuditFilterForm(forms.Form):
    """Every field optional; a bad value shows as a form error and lists nothing."""

    user = forms.ChoiceField(label="Who", required=False)
    action = forms.ChoiceField(
        label="Action", required=False,
        help_text="An area (for example “EC requests: any”) or one action.",
    )
    date_from = forms.DateField(label="From", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    SYSTEM = "system"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.order_by("username").only(
            "pk", "username", "first_name", "last_name"
        )
        user_field, action_field = self.fields["user"], self.fields["action"]
        if not (isinstance(user_field, forms.ChoiceField)
                and isinstance(action_field, forms.ChoiceField)):
            raise TypeError("user and action are choice fields")
        user_field.choices = [
            ("", "Anyone"),
            (self.SYSTEM, "SupportDesk (background tasks)"),
            *((str(user.pk), _who(user)) for user in users),
        ]
        action_field.choices = _action_choices()

    def _clean_date(self, name: str) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Pick a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}."
            )
        return value

    def clean_date_from(self) -> dt.date | None:
        return self._clean_date("date_from")

    def clean_date_to(self) -> dt.date | None:
        return self._clean_date("date_to")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "“To” is before “From”.")
        return data


class AuditFilter(FormFilterSet):
    """The audit trail: AuditFilterForm's fields, newest entry first."""

    user = django_filters.Filter(method="filter_user")
    action = django_filters.Filter(method="filter_action")
    date_from = django_filters.Filter(method="filter_date_from")
    date_to = django_filters.Filter(method="filter_date_to")

    class Meta:
        form = AuditFilterForm

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data, queryset=AuditEntry.objects.select_related("user").order_by("-created_at", "-pk"))

    def filter_user(self, entries: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        if value == AuditFilterForm.SYSTEM:
            return entries.filter(user__isnull=True)
        return entries.filter(user_id=int(value))

    def filter_action(self, entries: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        """An area ("case.") or one action ("case.open")."""
        if value.endswith("."):
            return entries.filter(action__startswith=value)
        return entries.filter(action=value)

    def filter_date_from(self, entries: QuerySet[AuditEntry], name: str,
                         value: dt.date) -> QuerySet[AuditEntry]:
        return entries.filter(
            created_at__gte=dt.datetime.combine(value, dt.time.min, timezone.get_current_timezone())
        )

    def filter_date_to(self, entries: QuerySet[AuditEntry], name: str,
                       value: dt.date) -> QuerySet[AuditEntry]:
        return entries.filter(
            created_at__lte=dt.datetime.combine(value, dt.time.max, timezone.get_current_timezone())
        )


def _who(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else "SupportDesk"


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    who: str
    action: str
    object_label: str
    object_url: str


def audit_row(entry: AuditEntry) -> AuditRow:
    if not entry.object_type:
        return AuditRow(entry, _who(entry.user), ACTIONS.get(entry.action, entry.action), "—", "")
    label, url_name = OBJECT_PAGES.get(entry.object_type, (entry.object_type, None))
    url = ""
    if entry.object_type == "supportdesk.case" and entry.object_id.isdigit():
        reference = f"SD-{int(entry.object_id):06d}"
        return AuditRow(entry, _who(entry.user), ACTIONS.get(entry.action, entry.action),
                        f"{label} {reference}", reverse("supervisor_case", args=[reference]))
    if url_name and entry.object_id.isdigit():
        url = reverse(url_name, args=[int(entry.object_id)])
    return AuditRow(entry, _who(entry.user), ACTIONS.get(entry.action, entry.action),
                    f"{label} #{entry.object_id}", url)
