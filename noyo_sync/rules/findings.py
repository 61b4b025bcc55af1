"""What the member-change checker reports: a finding per rule, with the seed's words and a verdict."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .connections import SEED


class Verdict(enum.StrEnum):
    """What happens to the change, worst first."""

    FAILED = "failed"  # rejected by Humana and marked "failed" in Noyo
    INVALID = "invalid"  # refused by Noyo's carrier-specific validations
    NOT_MADE = "not_made"  # completed in Noyo without the change being made at Humana
    SEND_DIRECTLY = "send_directly"  # must be sent to Humana directly
    NOTE = "note"  # goes through, but something happens that the caller should know


VERDICT_LABELS: dict[str, str] = {  # by Verdict; a plain string finds its label too
    Verdict.FAILED: "Rejected: marked “failed”",
    Verdict.INVALID: "Refused by Noyo's validation",
    Verdict.NOT_MADE: "Completed without the change",
    Verdict.SEND_DIRECTLY: "Send to Humana directly",
    Verdict.NOTE: "Good to know",
}
REJECTING = frozenset({Verdict.FAILED, Verdict.INVALID})
HUMANA_DIRECTLY = frozenset({Verdict.NOT_MADE, Verdict.SEND_DIRECTLY})


@dataclass(frozen=True)
class Finding:
    rule: str
    verdict: Verdict
    seed_text: str  # the seed's words
    detail: str = ""  # what it means for this change
    what_to_do: str = ""
    other_reading: str = ""  # where the seed can be read two ways: the reading we did not take
    source: str = SEED
