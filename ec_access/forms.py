from __future__ import annotations

from typing import Any

from django import forms

from . import rules
from .models import ECRequest, EmployerGroup, RejectReason, SLAppKind, SLApplication
from .validators import validate_group_number, validate_sl_app_number


class GroupForm(forms.Form):
    """The employer group (and optionally its SL app) the case is about, checked against our data."""

    group_number = forms.CharField(
        label="Group number", max_length=8, validators=[validate_group_number],
        help_text="The employer group's Enterprise Number (Group Number), for example 824751.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sl_app_number = forms.CharField(
        label="SL app #", max_length=12, required=False, validators=[validate_sl_app_number],
        help_text="Optional: leave empty to use the group's employer SL app.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        number, app_number = data.get("group_number"), data.get("sl_app_number")
        if not number:
            return data
        group = EmployerGroup.objects.filter(group_number=number).first()
        if group is None:
            self.add_error(
                "group_number",
                f"No employer group {number} in SupportDesk's data. Check the number with the "
                "caller; HSS IT Security Management Screens show the group's apps.",
            )
            return data
        if app_number:
            sl_app = SLApplication.objects.filter(sl_app_number=app_number).first()
            if sl_app is None:
                self.add_error("sl_app_number", f"No SL app {app_number} in SupportDesk's data.")
            elif sl_app.kind != SLAppKind.EMPLOYER:
                self.add_error(
                    "sl_app_number",
                    f"SL app {app_number} is not an employer's SL app "
                    f"({sl_app.get_kind_display().lower()}). Do NOT add EC Identifiers to Agent SL "
                    "applications or pseudo apps, ONLY employers.",
                )
            elif sl_app.group_id != group.pk:
                self.add_error(
                    "sl_app_number", f"SL app {app_number} belongs to another group."
                )
        return data


class SecondaryDelegationForm(forms.Form):
    delegated = forms.MultipleChoiceField(
        label="Functions the PAA has assigned to this Secondary user",
        required=False,
        choices=[(name, name) for name in rules.SECONDARY_USER_FUNCTIONS],
        widget=forms.CheckboxSelectMultiple,
        help_text="As shown on the Assign Web Access Rights page.",
    )


def _incident_field(label: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=kwargs.pop("max_length", 200), **kwargs)


class EmployerIncidentForm(forms.Form):
    """Seed 000: "Please include in your ServiceNow Incident" (employer)."""

    paa_name = _incident_field("Employer PAA Name")
    aka_name = _incident_field("AKA Name of effected user")
    description = _incident_field(
        "Detailed description of error or issue that is occurring", max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    url = forms.URLField(
        label="URL for page on which the error is occurring", max_length=500, assume_scheme="https"
    )
    screenshots = forms.BooleanField(
        label="Screen shots attached and documented in description", required=True,
        error_messages={"required": "Attach the screen shots to the incident before sending it."},
    )


class AgentIncidentForm(EmployerIncidentForm):
    """Seed 000: the agent incident also carries the Agent SAN ID and the Agent PAA Name."""

    agent_san = _incident_field("Agent SAN ID", max_length=12)
    paa_name = _incident_field("Agent PAA Name")
    field_order = ["agent_san", "paa_name", "aka_name", "description", "url", "screenshots"]


class QueueFilterForm(forms.Form):
    """Filters of the Access Management queue; every field optional."""

    STATE_CHOICES = [("open", "Open"), ("", "Any state"),
                     *ECRequest.State.choices]

    state = forms.ChoiceField(label="State", required=False, choices=STATE_CHOICES)
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any source"), *ECRequest.Source.choices]
    )
    group = forms.CharField(
        label="Group number", required=False, max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "824751"}),
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", choices=[("", "Choose a reason"), *RejectReason.choices])
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the reason is “Other”. The specialist's case shows it.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reason") == RejectReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Explain the reason in the note when it is “Other”.")
        return data
