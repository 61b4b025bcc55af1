"""Seed 004's group connection rules: the carrier group ID, what Noyo does not support, the
prerequisites, manual review by size, what each connection status means, and the sandbox IDs."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from supportdesk.business_days import add_business_days

SEED = "Humana: Technical documentation for integrating with Humana through Noyo"


# --- Group connections ------------------------------------------------------------------------


class ConnectionStatus(enum.StrEnum):
    """Noyo's group connection statuses, plus two of ours for a request Noyo has not taken."""

    NOT_SENT = "not_sent"  # ours: saved, waiting to be sent (Noyo unreachable so far)
    REFUSED = "refused"  # ours: Noyo refused the request itself (HTTP 4xx)
    CANCELLED = "cancelled"  # ours: taken back before it was sent, so Noyo never saw it
    CREATED = "created"
    PROCESSING = "processing"
    NOYO_REVIEW = "noyo_review"
    WAITING_ON_CARRIER = "waiting_on_carrier"
    CARRIER_AUTHORIZATION = "carrier_authorization"
    ACTION_REQUIRED = "action_required"
    UNABLE_TO_CONNECT = "unable_to_connect"
    COMPLETED = "completed"


STATUS_LABELS: dict[ConnectionStatus, str] = {
    ConnectionStatus.NOT_SENT: "Not yet sent to Noyo",
    ConnectionStatus.REFUSED: "Refused by Noyo",
    ConnectionStatus.CANCELLED: "Cancelled before it was sent",
    ConnectionStatus.CREATED: "Created",
    ConnectionStatus.PROCESSING: "Processing",
    ConnectionStatus.NOYO_REVIEW: "Noyo review",
    ConnectionStatus.WAITING_ON_CARRIER: "Waiting on carrier",
    ConnectionStatus.CARRIER_AUTHORIZATION: "Carrier authorization",
    ConnectionStatus.ACTION_REQUIRED: "Action required",
    ConnectionStatus.UNABLE_TO_CONNECT: "Unable to connect",
    ConnectionStatus.COMPLETED: "Completed",
}

# Statuses Noyo may still move on its own: the poller watches these. A completed connection is
# done; unable_to_connect waits for us to retry (a retry puts it back to processing).
OPEN_STATUSES = frozenset({
    ConnectionStatus.CREATED, ConnectionStatus.PROCESSING, ConnectionStatus.NOYO_REVIEW,
    ConnectionStatus.WAITING_ON_CARRIER, ConnectionStatus.CARRIER_AUTHORIZATION,
    ConnectionStatus.ACTION_REQUIRED,
})
RETRYABLE_STATUSES = frozenset({ConnectionStatus.ACTION_REQUIRED, ConnectionStatus.UNABLE_TO_CONNECT})
# What can still change at Noyo, so what the poller asks about: the open statuses, and
# unable_to_connect, which a retry made at Noyo itself (its Command Center) moves on.
WATCHED_STATUSES = OPEN_STATUSES | {ConnectionStatus.UNABLE_TO_CONNECT}

# The seed's sandbox table names "move_to_carrier_authorization" as a resulting status; Noyo's
# API has no such status. We read it as a move to carrier_authorization (noted on the page).
STATUS_ALIASES = {"move_to_carrier_authorization": ConnectionStatus.CARRIER_AUTHORIZATION}
MOVE_TO_CARRIER_AUTHORIZATION_NOTE = (
    "Humana's Noyo documentation (Sandbox testing) says 212*** results in "
    "“move_to_carrier_authorization”; Noyo has no status of that name, so SupportDesk shows it "
    "as a move to Carrier authorization."
)


# Ours alone: Noyo never reports these. The last two end a request without a connection at
# Noyo, so the carrier group ID can be requested again.
OURS = frozenset({ConnectionStatus.NOT_SENT, ConnectionStatus.REFUSED, ConnectionStatus.CANCELLED})
ENDED_UNSENT = frozenset({ConnectionStatus.REFUSED, ConnectionStatus.CANCELLED})


def noyo_status(raw: str) -> ConnectionStatus | None:
    """A status string from Noyo as one of ours; None for one we do not know (kept as is)."""
    if raw in STATUS_ALIASES:
        return STATUS_ALIASES[raw]
    try:
        status = ConnectionStatus(raw)
    except ValueError:
        return None
    return None if status in OURS else status


@dataclass(frozen=True)
class StatusGuide:
    meaning: str
    what_to_do: str


# Noyo's own descriptions where it has them; "what to do" follows the seed's Connection Basics.
STATUS_GUIDE: dict[ConnectionStatus, StatusGuide] = {
    ConnectionStatus.NOT_SENT: StatusGuide(
        "SupportDesk saved the request but could not reach Noyo yet.",
        "Nothing: SupportDesk sends it again every minute. Check the Noyo outage notice if it stays.",
    ),
    ConnectionStatus.REFUSED: StatusGuide(
        "Noyo refused the connection request; its message is in the history below.",
        "Correct what Noyo named and request the connection again.",
    ),
    ConnectionStatus.CANCELLED: StatusGuide(
        "The request was taken back before SupportDesk sent it, so Noyo never received it.",
        "Nothing. Request the connection again if the group still needs it.",
    ),
    ConnectionStatus.CREATED: StatusGuide(
        "The result of the initial submission: Noyo has not yet verified the current state of "
        "the carrier's system.",
        "Wait. Most connections are completed in 1–3 business days.",
    ),
    ConnectionStatus.PROCESSING: StatusGuide(
        "Noyo is communicating the group connection to Humana.",
        "Wait. Most connections are completed in 1–3 business days.",
    ),
    ConnectionStatus.NOYO_REVIEW: StatusGuide(
        "Noyo is actively resolving an issue with the group connection; no action is needed "
        "from you.",
        "Wait. If at any point we encounter an issue connecting the group, Noyo will work with "
        "Humana to resolve the issue; these group connections may take longer to complete.",
    ),
    ConnectionStatus.WAITING_ON_CARRIER: StatusGuide(
        "Noyo is waiting on Humana, for example to finish installing the group's account "
        "structure and plans.",
        "Wait. Groups with 300+ people will be manually reviewed by Humana, which can extend "
        "the processing time of a connection request.",
    ),
    ConnectionStatus.CARRIER_AUTHORIZATION: StatusGuide(
        "Humana must authorize Noyo to access the group's data on our behalf.",
        "Make sure Humana knows our platform is associated with the group and has granted "
        "Noyo permission; Noyo prompts for any further action in its UI.",
    ),
    ConnectionStatus.ACTION_REQUIRED: StatusGuide(
        "Noyo needs input from us before it can continue (\"We may contact you if your input "
        "is needed\").",
        "Provide what Noyo asks for (Noyo Command Center), then ask Noyo to retry.",
    ),
    ConnectionStatus.UNABLE_TO_CONNECT: StatusGuide(
        "Noyo could not connect the group with the information given.",
        "Check the carrier group ID and that previous data transfer methods are deactivated, "
        "then ask Noyo to retry.",
    ),
    ConnectionStatus.COMPLETED: StatusGuide(
        "Noyo returns the connection status as “completed”.",
        "The group is fully connected once we have also linked Noyo's IDs for account "
        "structure, plans, members and coverages to our own, and deactivated previous forms of "
        "data exchange: then send all enrollment changes through Noyo.",
    ),
}


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def retry_allowed(status: str) -> bool:
    return status in RETRYABLE_STATUSES


# Where the connection needs someone on our side (or Humana) before it goes on, and where it
# has ended: the case waiting on it is told, and resumes to see what to do.
NEEDS_ACTION_STATUSES = frozenset({
    ConnectionStatus.CARRIER_AUTHORIZATION, ConnectionStatus.ACTION_REQUIRED,
    ConnectionStatus.UNABLE_TO_CONNECT,
})
SETTLED_STATUSES = NEEDS_ACTION_STATUSES | {ConnectionStatus.COMPLETED, ConnectionStatus.REFUSED}

# Seed 004, Connection Basics: "Most connections are completed in 1–3 business days."
CONNECTION_BUSINESS_DAYS = 3


def connection_follow_up_on(requested_on: dt.date, today: dt.date) -> dt.date:
    """Seed 004: "Most connections are completed in 1–3 business days." A case waiting on a
    connection is followed up on the third business day after the request; once that day has
    passed with the connection still open (a 300+ group's manual review, say), on the next
    business day."""
    due = add_business_days(requested_on, CONNECTION_BUSINESS_DAYS)
    return due if due >= today else add_business_days(today, 1)


CARRIER_GROUP_ID_RE = re.compile(r"^[0-9]{6}$")
CARRIER_GROUP_ID_RULE = (
    "In the group_data object for the create endpoint, use Humana's carrier group ID for the "
    "carrier_group_id. The format expected is a 6-digit string."
)


def carrier_group_id_problem(value: object) -> str | None:
    """Seed 004, Group connections: "The format expected is a 6-digit string." """
    if isinstance(value, str) and CARRIER_GROUP_ID_RE.fullmatch(value):
        return None
    return f"“{value}” is not a carrier group ID: {CARRIER_GROUP_ID_RULE}"


class UnsupportedFeature(enum.StrEnum):
    DENTAL_HMO = "dental_hmo"
    MEDICAL_SAVINGS_OPTIONS = "medical_hsa_hra_fsa"
    SALARY_CLASS_LIFE = "salary_class_life"
    VARIABLE_WAITING_PERIODS = "variable_waiting_periods"


# "Noyo does not support groups with: - Dental HMO plans - Medical plans with HSA/HRA/FSA
# options - Salary- and class-based life coverage - Variable waiting periods (class- or
# subgroup-based)"
UNSUPPORTED_FEATURES: dict[UnsupportedFeature, str] = {
    UnsupportedFeature.DENTAL_HMO: "Dental HMO plans",
    UnsupportedFeature.MEDICAL_SAVINGS_OPTIONS: "Medical plans with HSA/HRA/FSA options",
    UnsupportedFeature.SALARY_CLASS_LIFE: "Salary- and class-based life coverage",
    UnsupportedFeature.VARIABLE_WAITING_PERIODS: "Variable waiting periods (class- or subgroup-based)",
}


def unsupported_reasons(features: Iterable[str]) -> list[str]:
    """Seed 004: "Noyo does not support groups with: …" — one reason per feature the group has."""
    chosen = set(features)
    return [
        f"Noyo does not support groups with: {label}."
        for feature, label in UNSUPPORTED_FEATURES.items()
        if feature.value in chosen
    ]


PREREQUISITES_RULE = (
    "New groups can be connected to Noyo after the initial enrollment has been provided to "
    "Humana via census file and the group number has been issued by their underwriting team in "
    "the welcome letter."
)


def missing_prerequisites(*, census_file_sent: bool, group_number_issued: bool) -> list[str]:
    """Seed 004, Getting groups connected: both prerequisites must hold before a request."""
    missing = []
    if not census_file_sent:
        missing.append("The initial enrollment has not been provided to Humana via census file.")
    if not group_number_issued:
        missing.append("The group number has not been issued by Humana's underwriting team in "
                       "the welcome letter.")
    return missing


PREVIOUS_TRANSFERS_ADVICE = (
    "To expedite the connection process for groups with existing Humana coverage, please ensure "
    "that any previous data transfer methods are deactivated prior to requesting a connection "
    "through Noyo."
)


def previous_transfers_advice(*, existing_coverage: bool, transfers_deactivated: bool) -> str | None:
    """Seed 004: advice, not a refusal ("to expedite"), so it is shown and the request goes on."""
    return PREVIOUS_TRANSFERS_ADVICE if existing_coverage and not transfers_deactivated else None


# "Groups with 300+ people will be manually reviewed by Humana, which can extend the processing
# time of a connection request." The seed says "people" without saying who counts; we ask for
# the group's size as the employer reports it (eligible employees) and flag 300 or more.
MANUAL_REVIEW_PEOPLE = 300
MANUAL_REVIEW_NOTE = (
    "Groups with 300+ people will be manually reviewed by Humana, which can extend the "
    "processing time of a connection request."
)


def needs_manual_carrier_review(people: int) -> bool:
    return people >= MANUAL_REVIEW_PEOPLE


# --- The local sandbox ----------------------------------------------------------------------

# "Test group connections with these IDs will asynchronously update with the corresponding
# status within 10 seconds of submission. Only the first three characters are evaluated."
SANDBOX_SETTLE_LIMIT_SECONDS = 10
SANDBOX_PREFIXES: dict[str, str] = {
    "989": "noyo_review",
    "767": "waiting_on_carrier",
    "545": "action_required",
    "323": "unable_to_connect",
    "212": "move_to_carrier_authorization",
}


def sandbox_resulting_status(carrier_group_id: str) -> ConnectionStatus:
    """The status a sandbox connection settles on. The seed lists five prefixes; it does not say
    what any other ID does, so we let every other ID complete (so the whole path can be tried),
    and a retried connection completes too."""
    raw = SANDBOX_PREFIXES.get(carrier_group_id[:3])
    if not raw:
        return ConnectionStatus.COMPLETED
    status = noyo_status(raw)
    if status is None:
        raise ValueError(f"SANDBOX_PREFIXES names {raw!r}, which is not a Noyo status.")
    return status
