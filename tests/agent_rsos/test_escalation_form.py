"""The escalation form: every field the seed's template requires, one line of business only
(with the offer to split), and out-of-scope requests refused with where they go instead."""

from __future__ import annotations

import pytest

from agent_rsos.forms import EscalationForm
from tests.agent_rsos.make import DETAILS


def post(**changes: str) -> dict[str, str]:
    data = {"medicare": "on", "topic": "billing", **DETAILS, **changes}
    return {name: value for name, value in data.items() if value is not None}


def test_it_accepts_a_complete_single_line_request():
    form = EscalationForm(post())

    assert form.is_valid(), form.errors
    assert form.cleaned_data["line_of_business"] == "Medicare"
    assert form.mixes_lines is False


def test_it_refuses_medicare_and_individual_together_and_offers_to_split():
    form = EscalationForm(post(individual="on"))

    assert not form.is_valid()
    assert form.mixes_lines is True
    assert "separate e-mails" in " ".join(form.non_field_errors())


def test_it_refuses_neither_line_as_out_of_scope():
    form = EscalationForm(post(medicare=None))

    assert not form.is_valid()
    assert form.mixes_lines is False
    errors = " ".join(form.non_field_errors())
    assert "Medicare or Individual (HumanaOne) members only" in errors
    assert "Issues from non HumanaOne/Medicare plans are out of scope" in errors


@pytest.mark.parametrize(("topic", "says"), [
    ("commission", "“Commission questions” is out of scope for the ARSOS mailbox: send it to "
                   "Agent Support: agentsupport@humana.com or 1-800-309-3163."),
    ("aor_request", "“AOR clarification, check status and changes” is out of scope for the ARSOS "
                    "mailbox: send it to Agent Support: agentsupport@humana.com"),
    ("application_status", "all pre-sale questions go to Agent Support: agentsupport@humana.com"),
    ("spaa", "“SPAA Issues” is out of scope for the ARSOS mailbox, and the ARSOS documents "
             "name no destination for it."),
    ("medicaid", "“Medicaid Issues” is out of scope"),
    ("other_plan", "“Issues from non HumanaOne/Medicare plans” is out of scope"),
])
def test_it_refuses_out_of_scope_topics_with_where_they_go(topic, says):
    form = EscalationForm(post(topic=topic))

    assert not form.is_valid()
    assert says in form.errors["topic"][0]


@pytest.mark.parametrize("field", [
    "agent_name", "agent_san", "member_id", "member_last_name", "member_first_name", "summary",
])
def test_it_requires_every_required_template_field(field):
    form = EscalationForm(post(**{field: ""}))

    assert not form.is_valid()
    assert "is required by the mailbox template" in form.errors[field][0]


def test_it_leaves_the_reference_number_optional():
    assert EscalationForm(post(reference_number="")).is_valid()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("member_last_name", "Doe, Jr", "Letters, spaces, hyphens"),  # a comma breaks the subject
    ("member_first_name", "Jane\nBcc: x@example.com", "Letters, spaces, hyphens"),
    ("member_id", "H 123 456", "letters or digits"),
    ("agent_san", "12", "4 to 12 letters or digits"),
    ("agent_san", "ROBINAGENT", "at least one digit"),  # a name in the SAN box
    ("reference_number", "SI 12/3", "letters, digits or hyphens"),
    ("summary", "Bill wrong", "at least 20 characters"),
])
def test_it_refuses_malformed_fields_with_a_clear_message(field, value, message):
    form = EscalationForm(post(**{field: value}))

    assert not form.is_valid()
    assert message in form.errors[field][0]


@pytest.mark.parametrize("agent_san", ["1234567", "AB1234"])
def test_it_accepts_a_san_with_digits(agent_san):
    assert EscalationForm(post(agent_san=agent_san)).is_valid()


def test_it_asks_an_empty_form_for_the_line_without_calling_the_member_out_of_scope():
    form = EscalationForm({})

    assert not form.is_valid()
    first = form.non_field_errors()[0]
    assert first.startswith("Nothing is filled in yet. Tick the member's line of business: "
                            "Medicare or Individual (HumanaOne)")
    assert "out of scope" not in first


def test_it_refuses_a_summary_over_the_limit_with_its_count_and_no_maxlength_to_cut_it():
    form = EscalationForm(post(summary="x" * 4321))

    assert not form.is_valid()
    assert form.errors["summary"][0].startswith(
        "The summary is 4321 characters; the mailbox template takes at most 4000.")
    assert "maxlength" not in str(form["summary"])  # a browser would cut a paste silently
    assert "x" * 4321 in str(form["summary"])  # what was typed comes back


def test_it_accepts_names_with_accents_apostrophes_and_periods():
    assert EscalationForm(post(member_last_name="O'Brien-Núñez", member_first_name="Ma. José")
                          ).is_valid()


def test_it_quotes_the_seed_as_help_text():
    form = EscalationForm()

    assert "do NOT send Medicare and Individual concerns in the same email" in \
        form.fields["medicare"].help_text
    assert "Commission questions (agentsupport@humana.com)" in form.fields["topic"].help_text
    assert form.fields["reference_number"].help_text.startswith("(If applicable)")
    assert form.fields["agent_san"].help_text.startswith("(Required)")
