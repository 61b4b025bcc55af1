"""The ARSOS mailbox e-mail, filled in: seed 002, Agent Template."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .routing import (
    AGENT_SUPPORT_EMAIL,
    AGENT_SUPPORT_PHONE,
    MAILBOX_BODY_FIELDS,
    NO_DESTINATION,
    LineOfBusiness,
    Topic,
    out_of_scope,
)


@dataclass(frozen=True)
class MailboxRequest:
    """What the seed's Agent Template asks for. Member data lives only in the escalation record."""

    line: LineOfBusiness
    agent_name: str
    agent_san: str
    member_id: str
    member_first_name: str
    member_last_name: str
    reference_number: str
    summary: str


def mailbox_subject(line: LineOfBusiness, member_last_name: str, member_first_name: str) -> str:
    """Seed 002: "A standard Subject heading: [Member Last Name Here], [Member First Name Here]
    [Medicare OR HumanaOne]".

    Our reading: the brackets mark what to fill in, as "Here" says, so they go with the
    placeholder: "Doe, Jane Medicare". The line is exactly one of the two words.
    """
    return f"{member_last_name.strip()}, {member_first_name.strip()} {line.value}"


def mailbox_body(request: MailboxRequest) -> str:
    """Seed 002: "The Body should include the following:" the six fields, in the seed's order
    (MAILBOX_BODY_FIELDS). "Reference #" is "(If applicable)": we write N/A when there is none."""
    values = (
        request.agent_name,
        request.agent_san,
        request.member_id,
        f"{request.member_first_name.strip()} {request.member_last_name.strip()}",
        request.reference_number or "N/A",
        request.summary,
    )
    return "\n".join(
        f"{name}: {value.strip()}" for (name, _required), value in zip(MAILBOX_BODY_FIELDS, values, strict=True)
    )


def mailbox_refusal(topic: Topic) -> str | None:
    """Why the ARSOS mailbox will not take a request on ``topic``, and where it goes instead;
    None when it is in scope.

    Seed 002, Out of Scope: non HumanaOne/Medicare plans, "Commission questions:
    AgentSupport@humana.com", "AOR clarification, check status and changes:
    AgentSupport@humana.com", SPAA Issues, Medicaid Issues. Seed 001: "All pre-sale questions
    including Application Status Checks and Agent of Record (AOR) requests should be directed to
    Agent Support".
    """
    agent_support = f"Agent Support: {AGENT_SUPPORT_EMAIL} or {AGENT_SUPPORT_PHONE}"
    if topic == Topic.APPLICATION_STATUS:
        return (
            "Application status checks are pre-sale: all pre-sale questions go to "
            f"{agent_support}."
        )
    entry = out_of_scope(topic)
    if entry is None:
        return None
    if entry.goes_to == AGENT_SUPPORT_EMAIL:
        return f"“{entry.label}” is out of scope for the ARSOS mailbox: send it to {agent_support}."
    return f"“{entry.label}” is out of scope for the ARSOS mailbox, and {NO_DESTINATION}."


AGENT_SAN_PATTERN = re.compile(r"[A-Za-z0-9]{4,12}")


def agent_san_problem(agent_san: str) -> str | None:
    """What is wrong with an Agent SAN, or None when it has the right shape.

    Seed 002, Agent Template: "Agent SAN: (Required)", with no format. Our reading: the SAN is
    the agent's Sales Agent Number, 4 to 12 letters or digits with no spaces, and being a number
    it has at least one digit (Humana writes both "1234567" and "AB1234"); all letters is a name
    typed in the wrong box.
    """
    if not AGENT_SAN_PATTERN.fullmatch(agent_san):
        return "The agent's SAN is 4 to 12 letters or digits, with no spaces."
    if not any(character.isdigit() for character in agent_san):
        return ("The agent's SAN is their Sales Agent Number: it has at least one digit "
                "(for example 1234567 or AB1234), not letters only.")
    return None
