"""Forms for connection requests, the connection list filters and the member-change checker.

The forms check shapes (digits, dates, what each transaction needs); the seed's rules are in
``rules`` and are applied by the services and the checker, so each lives in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from ec_access.interface import EmployerGroup, has_employer_group
from supportdesk.forms import refuse_dates_out_of_range

from . import rules
from .models.connections import STATUS_CHOICES, validate_carrier_group_id, validate_ein

T = rules.Transaction
EVENT_TRANSACTIONS = frozenset({T.MARRIAGE, T.LOSS_OF_COVERAGE, T.BIRTH, T.DEATH})
US_STATES = ["AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY"]


def _date_field(label: str, help_text: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}))


def _digits(attrs: dict[str, str] | None = None) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


# --- Connection requests ----------------------------------------------------------------------


class PrerequisitesForm(forms.Form):
    census_file_sent = forms.BooleanField(
        label="The initial enrollment has been provided to Humana via census file", required=False,
    )
    group_number_issued = forms.BooleanField(
        label="The group number has been issued by Humana's underwriting team in the welcome letter",
        required=False, help_text=rules.PREREQUISITES_RULE,
    )
    existing_coverage = forms.BooleanField(label="The group has existing Humana coverage", required=False)
    previous_transfers_deactivated = forms.BooleanField(
        label="Previous data transfer methods are deactivated", required=False,
        help_text=rules.PREVIOUS_TRANSFERS_ADVICE,
    )


class SupportedPlansForm(forms.Form):
    unsupported = forms.MultipleChoiceField(
        label="Does the group have any of these? Noyo does not support groups with:",
        choices=[(feature.value, label) for feature, label in rules.UNSUPPORTED_FEATURES.items()],
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Tick each one the group has; leave all clear when it has none.",
    )


class ConnectionDetailsForm(forms.Form):
    group_number = forms.CharField(
        label="Group number", max_length=8, widget=_digits(),
        help_text="Our employer group, for example 824751.",
    )
    carrier_group_id = forms.CharField(
        label="Humana carrier group ID", max_length=6, min_length=6,
        validators=[validate_carrier_group_id], widget=_digits({"pattern": "[0-9]{6}"}),
        help_text="In the group_data object for the create endpoint, use Humana's carrier group "
        "ID for the carrier_group_id. The format expected is a 6-digit string.",
    )
    people = forms.IntegerField(
        label="People in the group", min_value=1, max_value=1_000_000,
        help_text="The group's size as the employer reports it. " + rules.MANUAL_REVIEW_NOTE,
    )

    def clean_group_number(self) -> str:
        number = self.cleaned_data["group_number"].strip()
        if not has_employer_group(number):
            raise forms.ValidationError(f"SupportDesk has no employer group {number}.")
        return number

    def clean_carrier_group_id(self) -> str:
        return self.cleaned_data["carrier_group_id"].strip()

    @property
    def group(self) -> EmployerGroup:
        return EmployerGroup.objects.get(group_number=self.cleaned_data["group_number"])


class ConnectionRequestForm(ConnectionDetailsForm, PrerequisitesForm, SupportedPlansForm):
    federal_ein = forms.CharField(label="Employer federal EIN", required=False, max_length=9,
                                  validators=[validate_ein], widget=_digits(),
                                  help_text="Optional. 9 digits, without the dash.")
    broker_federal_ein = forms.CharField(label="Broker federal EIN", required=False, max_length=9,
                                         validators=[validate_ein], widget=_digits(),
                                         help_text="Optional. The group's broker, 9 digits.")

    field_order = ["group_number", "carrier_group_id", "people", "census_file_sent",
                   "group_number_issued", "existing_coverage", "previous_transfers_deactivated",
                   "unsupported", "federal_ein", "broker_federal_ein"]


class ConnectionFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), ("open", "Open (Noyo still working)"),
                                        *STATUS_CHOICES])
    group = forms.CharField(label="Group number or carrier group ID", required=False, max_length=8,
                            widget=forms.TextInput(attrs={"type": "search", "inputmode": "numeric"}))


# --- The member-change checker ----------------------------------------------------------------


def _codes(text: str) -> list[str]:
    return sorted({code.strip() for code in text.replace(";", ",").split(",") if code.strip()})


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def change_from_data(data: dict[str, Any]) -> rules.MemberChange:
    """A MemberChange from cleaned data, or from the same data stored as JSON on a case."""
    line = data.get("line") or None
    return rules.MemberChange(
        transaction=rules.Transaction(data["transaction"]),
        days_after_anchor=data.get("days_after_anchor"),
        coverage_start=_date(data.get("coverage_start")),
        term_date=_date(data.get("term_date")),
        submitted_on=_date(data.get("submitted_on")),
        group_state=data.get("group_state") or "",
        group_has_medical=bool(data.get("group_has_medical")),
        line=rules.Line(line) if line else None,
        actions=frozenset(rules.CoverageAction(a) for a in data.get("actions") or ()),
        adds_basic_life=bool(data.get("adds_basic_life")),
        basic_life_volume_included=bool(data.get("basic_life_volume_included")),
        sub_group_identifier=(data.get("sub_group_identifier") or "").strip(),
        group_sub_groups=frozenset(data.get("group_sub_groups") or ()),
        plans=frozenset(data.get("plans") or ()),
        plans_for_sub_group=frozenset(data.get("plans_for_sub_group") or ()),
        renewal_date=_date(data.get("renewal_date")),
        renewal_ready=bool(data.get("renewal_ready")),
    )


class MemberChangeForm(forms.Form):
    """A proposed member change: no member name, member ID or date of birth is asked for."""

    transaction = forms.ChoiceField(label="What is the change?",
                                    choices=[("", "Choose…"), *rules.TRANSACTION_LABELS.items()])
    submitted_on = _date_field("Sent to Noyo on", "The day the member request was (or will be) sent.")
    coverage_start = _date_field(
        "Effective start date of the coverage",
        "New hires must be submitted within 31 days of the effective start date of their coverage. "
        "For a termination: the start date, to see a termination before it.")
    term_date = _date_field("Term date", "Terminations must be submitted within 60 days of the term date.")
    event_date = _date_field(
        "QLE event date",
        "The marriage, loss of coverage, birth or death. Used only to count the days; it is never stored.")
    group_state = forms.ChoiceField(
        label="State of the group's policy", required=False,
        choices=[("", "Not given"), *((s, s) for s in US_STATES)],
        help_text="For the Birth QLE exception (AR, FL, WA, WI) and Texas SB51.")
    group_has_medical = forms.BooleanField(label="The group has medical coverage", required=False)
    line = forms.ChoiceField(label="Line of coverage", required=False,
                             choices=[("", "Not given"), *((x.value, x.value.title()) for x in rules.Line)],
                             help_text="For a plan switch: medical, dental or vision.")
    actions = forms.MultipleChoiceField(
        label="Actions in the member request", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(a.value, label) for a, label in rules.COVERAGE_ACTION_LABELS.items()])
    adds_basic_life = forms.BooleanField(label="The request adds basic Life coverage", required=False)
    basic_life_volume_included = forms.BooleanField(label="A basic Life volume amount is included",
                                                    required=False)
    sub_group_identifier = forms.CharField(label="Sub group identifier sent in the request",
                                           required=False, max_length=60)
    group_sub_groups = forms.CharField(
        label="The group's sub groups", required=False, max_length=500,
        help_text="From the group carrier configuration, separated by commas.")
    plans = forms.CharField(label="Plans in the request", required=False, max_length=500,
                            help_text="Plan IDs, separated by commas.")
    plans_for_sub_group = forms.CharField(
        label="Plans available to that sub group", required=False, max_length=500,
        help_text="From the plan configuration, separated by commas.")
    renewal_date = _date_field("Renewal date", "For open enrollment: " + rules.OE_WINDOW_TEXT)
    renewal_ready = forms.BooleanField(label="The renewal decision status is “ready”", required=False)

    ANCHORS = {T.NEW_HIRE: "coverage_start", T.TERMINATION: "term_date",
               **{t: "event_date" for t in EVENT_TRANSACTIONS}}
    ANCHOR_MESSAGES = {
        "coverage_start": "Enter the effective start date of the coverage.",
        "term_date": "Enter the term date.",
        "event_date": "Enter the QLE event date.",
    }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        refuse_dates_out_of_range(self)
        for name in ("group_sub_groups", "plans", "plans_for_sub_group"):
            data[name] = _codes(data.get(name) or "")
        if self.errors or not data.get("transaction"):
            return data
        transaction = T(data["transaction"])
        data["days_after_anchor"] = None
        if anchor := self.ANCHORS.get(transaction):
            if not data.get(anchor):
                self.add_error(anchor, self.ANCHOR_MESSAGES[anchor])
            if not data.get("submitted_on"):
                self.add_error("submitted_on", "Enter the day the change was sent, to count the days.")
            if data.get(anchor) and data.get("submitted_on"):
                data["days_after_anchor"] = rules.days_between(data[anchor], data["submitted_on"])
        if transaction == T.PLAN_SWITCH and not data.get("line"):
            self.add_error("line", "Choose the line of coverage of the plan switch.")
        if transaction == T.OPEN_ENROLLMENT:
            if not data.get("renewal_date"):
                self.add_error("renewal_date", "Enter the group's renewal date.")
            if not data.get("submitted_on"):
                self.add_error("submitted_on", "Enter the day the enrollment was sent.")
        return data

    def to_change(self) -> rules.MemberChange:
        return change_from_data(self.cleaned_data)


class MemberChangeFlowForm(MemberChangeForm):
    """The checker inside a case. A case keeps its answers, so the QLE event date (for a birth,
    a date of birth) is turned into a count of days and dropped, together with the date sent,
    from which it could be worked back."""

    days_after_anchor = forms.IntegerField(
        label="Days from the date the limit counts from to the submission", required=False,
        widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data.pop("event_date", None)
        if data.get("transaction") in EVENT_TRANSACTIONS:
            data.pop("submitted_on", None)
        return data
