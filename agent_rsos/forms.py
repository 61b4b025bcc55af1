from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.utils import timezone

from supportdesk.forms import UserChoiceField

from . import rules
from .models import Escalation


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
        super().clean()
        data = self.cleaned_data
        try:
            data["line_of_business"] = rules.mailbox_line_of_business(
                bool(data.get("medicare")), bool(data.get("individual"))
            ).value
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return data


# --- The mailbox escalation (seed 002, Agent Template) ------------------------------------

# Seed 002 gives no formats for these; ours: a name as on an ID card (letters, spaces, hyphens,
# apostrophes, periods; no comma, which would break "Last, First" in the subject heading); a SAN
# and a member ID as letters and digits (Humana uses both shapes); a reference as letters,
# digits and hyphens (a Service Inquiry or case number).
validate_person_name = RegexValidator(
    r"^[^\W\d_](?:[^\W\d_]|[ .'’-])*$",
    "Letters, spaces, hyphens, apostrophes and periods only, as on the member's ID card.",
)
validate_agent_name = RegexValidator(
    r"^[^\W\d_](?:[^\W\d_]|[ .'’-])*$",
    "Letters, spaces, hyphens, apostrophes and periods only.",
)


def validate_agent_san(value: str) -> None:
    """The SAN's shape is a rule (rules.agent_san_problem); the form only reports it."""
    if problem := rules.agent_san_problem(value):
        raise forms.ValidationError(problem, code="invalid")


validate_member_id = RegexValidator(
    r"^[A-Za-z0-9]{6,20}$",
    "The Member ID # is 6 to 20 letters or digits, as on the member's ID card, with no spaces.",
)
validate_reference = RegexValidator(
    r"^[A-Za-z0-9-]{1,30}$", "A reference # is up to 30 letters, digits or hyphens."
)
SUMMARY_MIN_LENGTH = 20  # "as much information as possible": a one-word summary comes back
SUMMARY_MAX_LENGTH = 4000

MAILBOX_NOTE = (
    "Medicare or Individual based on member's policy, do NOT send Medicare and Individual "
    "concerns in the same email."
)
OUT_OF_SCOPE_HELP = "Out of scope for the mailbox: " + "; ".join(
    f"{entry.label}" + (f" ({entry.goes_to})" if entry.goes_to else "")
    for entry in rules.OUT_OF_SCOPE
) + "."


def _required(label: str, help_text: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=f"(Required) {help_text}".strip(),
        error_messages={"required": f"{label} is required by the mailbox template."},
        **kwargs,
    )


class EscalationForm(MailboxLineForm):
    """Every field of seed 002's Agent Template; one line of business; nothing out of scope."""

    topic = forms.ChoiceField(
        label="What is the issue about?",
        choices=[("", "Choose…"), *((t.value, label) for t, label in rules.TOPIC_LABELS.items())],
        help_text=OUT_OF_SCOPE_HELP,
        error_messages={"required": "Choose what the issue is about."},
    )
    agent_name = _required("Agent Name", "", max_length=120, validators=[validate_agent_name],
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
    agent_san = _required("Agent SAN", "The agent's Sales Agent Number.", max_length=12,
                          validators=[validate_agent_san],
                          widget=forms.TextInput(attrs={"autocomplete": "off"}))
    member_id = _required("Member ID #", "As on the member's ID card.", max_length=20,
                          validators=[validate_member_id],
                          widget=forms.TextInput(attrs={"autocomplete": "off"}))
    member_last_name = _required(
        "Member last name", "Member Name in question: goes first in the subject heading, "
        "[Member Last Name Here], [Member First Name Here] [Medicare OR HumanaOne].",
        max_length=60, validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    member_first_name = _required(
        "Member first name", "Member Name in question.", max_length=60,
        validators=[validate_person_name], widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reference_number = forms.CharField(
        label="Reference #", required=False, max_length=30, validators=[validate_reference],
        help_text="(If applicable) For example the Service Inquiry number.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    summary = _required(
        "Summary of issue",
        "The sender should provide as much information as possible. If the request is unclear "
        "or insufficient for resolution, it may be returned with a request for additional "
        "details.",
        max_length=SUMMARY_MAX_LENGTH, min_length=SUMMARY_MIN_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["medicare"].help_text = MAILBOX_NOTE
        self.fields["individual"].help_text = (
            "Sending Medicare and Individual questions in one email will delay the response "
            "and resolution time."
        )
        summary = self.fields["summary"]
        summary.error_messages["min_length"] = (
            f"Give the mailbox at least {SUMMARY_MIN_LENGTH} characters: the sender should "
            "provide as much information as possible."
        )
        # No maxlength in the page: a browser would cut a longer paste without a word, and the
        # page would then say the details were saved. The server refuses it, with the count,
        # and the page keeps everything that was typed.
        summary.widget.attrs.pop("maxlength", None)
        summary.help_text += f" Up to {SUMMARY_MAX_LENGTH} characters."
        summary.error_messages["max_length"] = (
            "The summary is %(show_value)d characters; the mailbox template takes at most "
            "%(limit_value)d. Nothing was saved: shorten it (everything typed is still here) and "
            "save again."
        )

    @property
    def mixes_lines(self) -> bool:
        """Both lines ticked: refused, and the page offers to split the request in two."""
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("medicare") and data.get("individual"))

    def clean_topic(self) -> str:
        topic = self.cleaned_data["topic"]
        refusal = rules.mailbox_refusal(rules.Topic(topic))
        if refusal:
            raise forms.ValidationError(refusal)
        return topic

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as error:
            data = self.cleaned_data
            if not (data.get("medicare") or data.get("individual")):
                raise forms.ValidationError(self._no_line_message()) from error
            raise

    def _no_line_message(self) -> str:
        """Neither line ticked. An empty form has not said anything about the member yet, so it
        is asked for the line, not told the member is out of scope."""
        tick = ("Tick the member's line of business: Medicare or Individual (HumanaOne), based "
                "on member's policy.")
        typed = any(str(value).strip() for name, value in self.data.items()
                    if name != "csrfmiddlewaretoken")
        if not typed:
            return f"Nothing is filled in yet. {tick} Then fill in each (Required) field."
        return (f"{tick} The ARSOS mailbox takes Medicare or Individual (HumanaOne) members "
                "only. Issues from non HumanaOne/Medicare plans are out of scope for the mailbox.")


class LifecycleForm(forms.Form):
    """When a lifecycle step happened (the e-mail may be read after it arrived), and a note."""

    occurred_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                 format="%Y-%m-%dT%H:%M"),
        help_text="When it happened (e.g. when the mailbox's e-mail arrived), in "
        f"{settings.TIME_ZONE} time. Leave as is for now.",
        error_messages={"required": "Say when it happened.", "invalid": "Enter a date and time."},
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Stays with the escalation; it is not copied to the case transcript.",
    )

    def __init__(self, *args: Any, now: dt.datetime, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_at": timezone.localtime(now).replace(
            second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.now = now

    def clean_occurred_at(self) -> dt.datetime:
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > self.now + FUTURE_TOLERANCE:
            raise forms.ValidationError("That time is in the future.")
        return occurred_at


FUTURE_TOLERANCE = dt.timedelta(minutes=5)  # clocks differ a little between desks


class EscalateForm(LifecycleForm):
    escalated_to = forms.ChoiceField(
        label="Escalate to", choices=[("", "Choose…"), *Escalation.EscalatedTo.choices],
        help_text="If Agents have exhausted all options for resolving a customer service issue, "
        "escalate to Sales Manager, Broker Relationship Manager (BRM) or Broker Relationship "
        "Executive (BRE).",
        error_messages={"required": "Choose who it is escalated to."},
    )

    field_order = ["escalated_to", "occurred_at", "note"]


class EscalationFilterForm(forms.Form):
    STATES = [("open", "Open (sent or acknowledged)"), *Escalation.Status.choices, ("", "All")]
    DUE = [("", "Any"), ("overdue", "Overdue"), ("due_24h", "Due within 24 hours"),
           ("on_track", "On track")]

    state = forms.ChoiceField(label="State", choices=STATES, required=False)
    line_of_business = forms.ChoiceField(
        label="Line of business", required=False,
        choices=[("", "Both"), *((line.value, line.value) for line in rules.LineOfBusiness)],
    )
    due = forms.ChoiceField(label="Due", choices=DUE, required=False)
    owner = UserChoiceField(
        label="Specialist", required=False, queryset=None, empty_label="Anyone",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_model = get_user_model()
        owner = self.fields["owner"]
        if not isinstance(owner, forms.ModelChoiceField):
            raise TypeError("owner is a model choice field")
        owner.queryset = user_model.objects.filter(
            arsos_escalations__isnull=False
        ).distinct().order_by("last_name", "first_name", "username")
