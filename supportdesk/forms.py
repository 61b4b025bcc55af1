from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from . import clock, feedback, subjects
from .engine import CallerType, Disposition, registry
from .models import Case, incident_number_of
from .people import display_name
from .phi import find_member_data
from .roles import Role
from .services import CASE_NOTE_MAX_LENGTH, case_note_refusal

# The apps' rules count months back and ahead, which fails outside Python's years 1 to 9999: a
# date typed as 0001-01-01 or 9999-12-31 must come back as a message, not an error page. No member
# fact is older than 1900 or later than 2199.
EARLIEST_FACT_DATE, LATEST_FACT_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def refuse_dates_out_of_range(form: forms.Form) -> None:
    """Add an error to each cleaned date outside 1900 to 2199 (call it from ``clean()``)."""
    for name, value in list(form.cleaned_data.items()):
        if isinstance(value, dt.date) and not EARLIEST_FACT_DATE <= value <= LATEST_FACT_DATE:
            form.add_error(name, "Enter a date between 1900 and 2199.")


class CaseOpenForm(forms.Form):
    """The case subject: who is calling, and what about (the subject fields the apps declare,
    see subjects.py: the group and its SL app). Never member details."""

    caller_type = forms.ChoiceField(label="Who is calling?", choices=CallerType.choices)

    def __init__(self, *args: Any, asks_subject: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if asks_subject:  # a flow not about a group (ARSOS, HUSKY) does not collect one
            self.fields.update(subjects.form_fields())

    @property
    def subject_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in subjects.subject_field_names() if name in self.fields]

    @property
    def subject(self) -> dict[str, str]:
        """The subject typed, for case_open (valid forms only)."""
        return {name: self.cleaned_data[name] for name in subjects.subject_field_names()
                if self.cleaned_data.get(name)}


@dataclass(frozen=True)
class DatePreset:
    label: str
    start: dt.date
    end: dt.date


def case_date_presets(*, today: dt.date) -> list[DatePreset]:
    """Today, Yesterday, This week (from Monday) and Last 7 days, for ``today`` in TIME_ZONE."""
    monday = today - dt.timedelta(days=today.weekday())
    yesterday = today - dt.timedelta(days=1)
    return [
        DatePreset("Today", today, today),
        DatePreset("Yesterday", yesterday, yesterday),
        DatePreset("This week", monday, today),
        DatePreset("Last 7 days", today - dt.timedelta(days=6), today),
    ]


AREA_PREFIX = "area:"


def flow_areas() -> dict[str, tuple[str, list[str]]]:
    """Flows grouped by the name their titles begin with ("EC reports: ..."), for the areas
    with more than one flow: {choice value: (area name, flow keys)}."""
    areas: dict[str, list[Any]] = {}
    for flow in registry.all():
        areas.setdefault(flow.title.split(":", 1)[0].strip(), []).append(flow)
    return {
        AREA_PREFIX + slugify(name): (name, [flow.key for flow in flows])
        for name, flows in areas.items() if len(flows) > 1
    }


class LongSelect(forms.Select):
    """A select of many plain options (every specialist), written in Python: Django's template
    includes two templates per option, which made 200 specialists most of the case list's time
    (bench/README.md). Options carry their value and whether selected; no option groups."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            ("" if option["value"] is None else str(option["value"]),
             mark_safe(" selected") if option["selected"] else "", option["label"])
            for _group, choices, _index in widget["optgroups"] for option in choices
        ))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(widget["attrs"]), options)


class UserChoiceField(forms.ModelChoiceField):
    """A user, listed by full name (else username)."""

    widget = LongSelect

    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class CaseFilterForm(forms.Form):
    """Supervisor case search. Every field optional; bad values show as form errors."""

    # Every field is optional, so partials/field.html does not say so on each one.
    mark_optional = False

    q = forms.CharField(
        label="Case reference or group number", required=False, max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "SD-000123 or 824751", "type": "search"}),
    )
    flow = forms.ChoiceField(label="Flow", required=False)
    disposition = forms.ChoiceField(
        label="Disposition", required=False, choices=[("", "Any disposition"), *Disposition.choices]
    )
    specialist = UserChoiceField(
        label="Specialist", required=False, queryset=get_user_model().objects.none(),
        empty_label="Any specialist",
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Case.Status.choices]
    )
    reviewed = forms.ChoiceField(
        label="Reviewed", required=False,
        choices=[("", "Reviewed or not"), ("yes", "Reviewed"), ("no", "Not reviewed")],
    )
    changed = forms.ChoiceField(
        label="Changed after the outcome", required=False,
        choices=[("", "Changed or not"), ("yes", "Reopened to change an answer"),
                 ("no", "Never reopened")],
    )
    opened_from = forms.DateField(
        label="Opened from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    opened_to = forms.DateField(
        label="Opened to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = [(value, f"Any {name} flow") for value, (name, _keys) in flow_areas().items()]
        flow_field, specialist = self.fields["flow"], self.fields["specialist"]
        if not (isinstance(flow_field, forms.ChoiceField)
                and isinstance(specialist, forms.ModelChoiceField)):
            raise TypeError("flow is a choice field and specialist a model choice field")
        flow_field.choices = [("", "Any flow"), *areas] + [
            (flow.key, flow.title) for flow in registry.all()
        ]
        specialist.queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.SPECIALIST.group_name)
            .order_by("username")
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and start > end:
            self.add_error("opened_to", "The end date is before the start date.")
        return data


class CaseReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Rating", coerce=int, choices=[("", "Choose"), *[(n, f"{n} of 5") for n in range(5, 0, -1)]],
        help_text="5: handled exactly as the source document says; 1: handled wrongly.",
    )
    note = forms.CharField(label="Review note", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class CaseNoteForm(forms.Form):
    """A note on the case page. No maxlength on the box: a longer paste is refused with its
    count (case.js counts as you type), never silently cut."""

    prefix = "note"

    text = forms.CharField(
        label="Note", strip=True,
        help_text="Appended to the transcript. Never a member's name, ID or date of birth.",
        widget=forms.Textarea(attrs={"rows": 3, "data-max-length": CASE_NOTE_MAX_LENGTH}),
        error_messages={"required": "Type the note first."},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n")  # a line break is one character
        if len(text) > CASE_NOTE_MAX_LENGTH:
            raise forms.ValidationError(case_note_refusal(text) or "", code="too_long")
        # Quoting what was found helps find it in the box; a form's errors are never logged.
        if found := find_member_data(text, today=clock.today()):
            raise forms.ValidationError(found.quoted_message, code="member_data")
        return text


class IncidentNumberForm(forms.Form):
    prefix = "incident"

    number = forms.CharField(
        label="ServiceNow incident number", max_length=13,
        help_text="As ServiceNow shows it once the incident is saved, for example INC0012345.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
        error_messages={"required": "Type the incident number, for example INC0012345."},
    )

    def clean_number(self) -> str:
        return incident_number_of(self.cleaned_data["number"])


class _FeedbackText(forms.CharField):
    """A report's or an answer's text: counted (case.js as you type), never cut, refused with
    member data in it, quoting what was found (a form's errors are never logged)."""

    def __init__(self, *, what: str, limit: int, **kwargs: Any) -> None:
        self.what, self.limit = what, limit
        super().__init__(strip=True, widget=forms.Textarea(attrs={
            "rows": 3, "data-max-length": limit, "data-noun": what}), **kwargs)

    def clean(self, value: Any) -> str:
        text = str(super().clean(value)).replace("\r\n", "\n")  # a line break is one character
        if len(text) > self.limit:
            raise forms.ValidationError(
                feedback.text_refusal(text, what=self.what, limit=self.limit) or "",
                code="too_long")
        if found := find_member_data(text, today=clock.today()):
            raise forms.ValidationError(found.refusal(self.what, quoted=True), code="member_data")
        return text


class StepFeedbackForm(forms.Form):
    """A specialist's report of a problem with a step, from the step's page."""

    prefix = "feedback"

    text = _FeedbackText(
        what="report", limit=feedback.REPORT_MAX_LENGTH, label="What is wrong with this step?",
        help_text="The flow's authors read it and answer in My reports. Never a member's name, "
                  "ID or date of birth.",
        error_messages={"required": "Say what is wrong with this step first."},
    )


class FeedbackAnswerForm(forms.Form):
    """An author's answer to one report (prefixed by its number: a page lists many)."""

    text = _FeedbackText(
        what="answer", limit=feedback.ANSWER_MAX_LENGTH, label="Answer",
        help_text="The specialist who reported it reads it. Never a member's name, ID or date "
                  "of birth.",
        error_messages={"required": "Type the answer first."},
    )


FEEDBACK_STATUSES = {
    "": ("Open and answered", feedback.STILL_OPEN),
    "open": ("Open", (feedback.Status.OPEN,)),
    "answered": ("Answered", (feedback.Status.ANSWERED,)),
    "closed": ("Closed", (feedback.Status.CLOSED,)),
    "all": ("All", tuple(feedback.Status)),
}


class FeedbackFilterForm(forms.Form):
    """The authors' list of a flow's reports: by version and status (open and answered unless
    asked otherwise)."""

    version = forms.TypedChoiceField(label="Version", required=False, coerce=int,
                                     empty_value=None)
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[(key, label) for key, (label, _) in
                                        FEEDBACK_STATUSES.items()])

    def __init__(self, *args: Any, versions: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["version"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Any version"), *((n, f"Version {n}") for n in versions)]

    @property
    def statuses(self) -> tuple[str, ...]:
        status = self.cleaned_data.get("status", "") if self.is_valid() else ""
        return tuple(FEEDBACK_STATUSES[status][1])

    @property
    def chosen_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.is_valid() else None
