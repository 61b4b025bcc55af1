from __future__ import annotations

from typing import Any

from django import forms

from . import rules


class SosCallForm(forms.Form):
    """The Customer Service SOS criteria of seed 001, one yes/no each."""

    agent_makes_call = forms.BooleanField(
        required=False, label="The agent will place the call from their own phone"
    )
    member_on_line = forms.BooleanField(
        required=False, label="The member is on the line (3-way call) or in the room with the agent"
    )
    current_clinical_need = forms.BooleanField(
        required=False, label="The member has a current clinical need"
    )
    cannot_obtain_clinical_access = forms.BooleanField(
        required=False,
        label="The member cannot obtain clinical access (such as picking up a prescription)",
    )
    active_medical_plan = forms.BooleanField(
        required=False, label="The member has an active medical plan"
    )
    termed_in_error = forms.BooleanField(
        required=False, label="The member reports an active plan, but they have been termed in error"
    )


class MailboxLineForm(forms.Form):
    """Seed 002: one line of business per e-mail, based on the member's policy."""

    medicare = forms.BooleanField(required=False, label="Medicare concern")
    individual = forms.BooleanField(required=False, label="Individual (HumanaOne) concern")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            data["line_of_business"] = rules.mailbox_line_of_business(
                bool(data.get("medicare")), bool(data.get("individual"))
            ).value
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return data
