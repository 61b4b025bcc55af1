"""What is shared with the PCP: seed 003, Member Choices for Sharing Medical and Sensitive
Health Information."""

from __future__ import annotations

import enum


class Information(enum.StrEnum):
    MEDICAL = "medical"
    HIV = "hiv"
    SUBSTANCE_ABUSE = "substance_abuse"
    BEHAVIORAL_HEALTH = "behavioral_health"


INFORMATION_LABELS = {
    Information.MEDICAL: "Medical information",
    Information.HIV: "HIV",
    Information.SUBSTANCE_ABUSE: "Substance Abuse",
    Information.BEHAVIORAL_HEALTH: "Behavioral Health",
}
SENSITIVE = frozenset({Information.HIV, Information.SUBSTANCE_ABUSE,
                       Information.BEHAVIORAL_HEALTH})


class Sharing(enum.StrEnum):
    SHARED = "shared"
    OPTED_OUT = "opted_out"
    CONSENT_NEEDED = "consent_needed"


def sharing(information: Information, *, opted_out: bool, consent_on_file: bool) -> Sharing:
    """"Member medical information is automatically shared. Members may 'Opt Out' of sharing
    medical information electronically. Sensitive health information is not automatically shared
    and requires member consent for disclosure which includes: HIV, Substance Abuse, Behavioral
    Health" (seed 003, Member Choices for Sharing Medical and Sensitive Health Information).
    Vague: the consent form governs sensitive information on its own; the opt-out is about
    medical information."""
    if information in SENSITIVE:
        return Sharing.SHARED if consent_on_file else Sharing.CONSENT_NEEDED
    return Sharing.OPTED_OUT if opted_out else Sharing.SHARED
