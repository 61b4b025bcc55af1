"""Seed 004, Open enrollment: Humana's OE window for a renewal date, and when OE elections can go."""

from __future__ import annotations

import datetime as dt

from supportdesk.dates import date_text

from .findings import Finding, Verdict

OE_WINDOW_TEXT = (
    "Humana's OE window goes from 60 days before the first day of the OE month to 30 days after "
    "it. For example, for a 10/10 renewal, the OE window would be 8/2 to 10/31. Any enrollments "
    "outside of the OE window need to be sent to Humana directly. There are no blackout periods."
)
OE_DAYS_BEFORE = 60
OE_DAYS_AFTER = 30


def oe_window(renewal_date: dt.date) -> tuple[dt.date, dt.date]:
    """Seed 004, Open enrollment, both ends included: a 10/10 renewal → 8/2 to 10/31."""
    first_of_month = renewal_date.replace(day=1)
    return (first_of_month - dt.timedelta(days=OE_DAYS_BEFORE),
            first_of_month + dt.timedelta(days=OE_DAYS_AFTER))


def in_oe_window(renewal_date: dt.date, on: dt.date) -> bool:
    start, end = oe_window(renewal_date)
    return start <= on <= end


def oe_findings(renewal_date: dt.date, submitted_on: dt.date, renewal_ready: bool) -> list[Finding]:
    findings = []
    if not renewal_ready:
        findings.append(Finding(
            "renewal_not_ready", Verdict.INVALID,
            "When the plans in Humana's system match the expectations you submitted, the renewal "
            "decision status will move to “ready” and you will be able to send member requests "
            "with each member's open enrollment elections for the new plan year.",
            what_to_do="Wait until the group's renewal decision status is “ready”.",
        ))
    if not in_oe_window(renewal_date, submitted_on):
        start, end = oe_window(renewal_date)
        findings.append(Finding(
            "outside_oe_window", Verdict.SEND_DIRECTLY, OE_WINDOW_TEXT,
            detail=f"For a {date_text(renewal_date)} renewal the OE window is {date_text(start)} to "
            f"{date_text(end)}; this change is sent {date_text(submitted_on)}.",
            what_to_do="Send this enrollment to Humana directly.",
        ))
    return findings
