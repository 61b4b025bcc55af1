"""The e-mail to the ARSOS mailbox, as seed 002's Agent Template lays it out: the subject
heading, the body fields in order, and the .eml the specialist downloads."""

from __future__ import annotations

import email
from email import policy

import pytest

from agent_rsos import rules, services
from agent_rsos.rules import LineOfBusiness, MailboxRequest, mailbox_body, mailbox_subject
from tests.agent_rsos.make import make_escalation

REQUEST = MailboxRequest(
    line=LineOfBusiness.MEDICARE,
    agent_name="Robin Agent",
    agent_san="1234567",
    member_id="H12345678",
    member_first_name="Janine",
    member_last_name="Okonkwo-Smith",
    reference_number="SI-99881",
    summary="Billing shows a premium after the plan change.\nThe SI was closed unresolved.",
)


@pytest.mark.parametrize(("line", "subject"), [
    # "[Member Last Name Here], [Member First Name Here] [Medicare OR HumanaOne]"
    (LineOfBusiness.MEDICARE, "Okonkwo-Smith, Janine Medicare"),
    (LineOfBusiness.HUMANAONE, "Okonkwo-Smith, Janine HumanaOne"),
])
def test_it_renders_the_seed_subject_heading(line, subject):
    assert mailbox_subject(line, "Okonkwo-Smith", "Janine") == subject


def test_it_trims_the_names_in_the_subject():
    assert mailbox_subject(LineOfBusiness.MEDICARE, " Doe ", " Jane ") == "Doe, Jane Medicare"


def test_it_renders_the_body_fields_in_the_seed_order():
    assert mailbox_body(REQUEST) == (
        "Agent Name: Robin Agent\n"
        "Agent SAN: 1234567\n"
        "Member ID #: H12345678\n"
        "Member Name in question: Janine Okonkwo-Smith\n"
        "Reference #: SI-99881\n"
        "Summary of issue: Billing shows a premium after the plan change.\n"
        "The SI was closed unresolved."
    )


def test_it_labels_the_body_with_the_template_field_names():
    labels = [line.split(":")[0] for line in mailbox_body(REQUEST).splitlines()[:6]]

    assert labels == [name for name, _required in rules.MAILBOX_BODY_FIELDS]


def test_it_writes_na_when_there_is_no_reference_number():
    from dataclasses import replace

    body = mailbox_body(replace(REQUEST, reference_number=""))

    assert "Reference #: N/A" in body.splitlines()


@pytest.mark.django_db
def test_it_builds_an_eml_draft_addressed_to_the_mailbox(specialist):
    escalation = make_escalation(specialist, status="sent", line=LineOfBusiness.HUMANAONE)

    raw = services.escalation_email(escalation, from_email="sam@example.com").message().as_bytes()

    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["To"] == "AgentRSOS@humana.com"
    assert parsed["From"] == "sam@example.com"
    assert parsed["Subject"] == "Okonkwo-Smith, Janine HumanaOne"
    assert parsed["X-Unsent"] == "1"
    body = parsed.get_content()
    assert body.startswith("Agent Name: Robin Agent\nAgent SAN: 1234567\nMember ID #: H12345678\n")
    assert "Reference #: SI-99881\n" in body
