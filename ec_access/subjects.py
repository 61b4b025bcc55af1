"""The case subject fields EC access declares: the employer group a call is about, and its SL
app. Registered from apps.py ``ready()`` (see supportdesk/subjects.py); the start form asks
them, the case header, transcript and supervisor pages show them."""

from __future__ import annotations

from django import forms

from supportdesk.subjects import SubjectField

from .validators import validate_group_number, validate_sl_app_number


def _number_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


GROUP_NUMBER = SubjectField(
    name="group_number", label="Group number", short="Group", inline="group", listed=True,
    form_field=lambda: forms.CharField(
        label="Group number", required=False, max_length=8, validators=[validate_group_number],
        help_text="Optional. The employer group number, for example 824751.",
        widget=_number_input(),
    ),
)
SL_APP_NUMBER = SubjectField(
    name="sl_app_number", label="SL app #", short="SL app", inline="SL app",
    form_field=lambda: forms.CharField(
        label="SL app #", required=False, max_length=12, validators=[validate_sl_app_number],
        help_text="Optional. The employer SL application number, if the caller has it.",
        widget=_number_input(),
    ),
)
