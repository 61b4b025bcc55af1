"""Seed 004's member-change rules: what Humana rejects or handles differently, and the OE window.

``check_member_change()`` takes a proposed change as plain values and returns every rule it
breaks (or that changes what happens to it), each with the seed's own words. Retro limits count
days from an anchor date (the coverage start, the term date, the QLE event), so the caller passes
the number of days and never the event date itself: a Birth QLE's event date is a date of birth.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Literal

from supportdesk.dates import date_text

from .findings import HUMANA_DIRECTLY, REJECTING, Finding, Verdict
from .open_enrollment import oe_findings


class Transaction(enum.StrEnum):
    NEW_HIRE = "new_hire"
    TERMINATION = "termination"
    MARRIAGE = "qle_marriage"
    LOSS_OF_COVERAGE = "qle_loss_of_coverage"
    BIRTH = "qle_birth"
    DEATH = "death"
    PLAN_SWITCH = "plan_switch"
    OPEN_ENROLLMENT = "open_enrollment"
    COVERAGE_CHANGE = "coverage_change"
    DATE_OF_HIRE_CHANGE = "date_of_hire_change"
    END_DATE_CHANGE = "end_date_change"
    DEMOGRAPHIC_CHANGE = "demographic_change"
    SSN_CHANGE = "ssn_change"
    REINSTATEMENT = "reinstatement"


TRANSACTION_LABELS: dict[Transaction, str] = {
    Transaction.NEW_HIRE: "New hire",
    Transaction.TERMINATION: "Termination",
    Transaction.MARRIAGE: "Marriage QLE: adding the spouse or children",
    Transaction.LOSS_OF_COVERAGE: "Loss of Coverage QLE: adding the subscriber or dependents",
    Transaction.BIRTH: "Birth QLE: adding the child",
    Transaction.DEATH: "Death (event reason “death”)",
    Transaction.PLAN_SWITCH: "Switching a medical, dental, vision or life plan (QLE or OE)",
    Transaction.OPEN_ENROLLMENT: "Open enrollment elections",
    Transaction.COVERAGE_CHANGE: "Another change adding or modifying coverage (e.g. basic Life)",
    Transaction.DATE_OF_HIRE_CHANGE: "Date of hire change",
    Transaction.END_DATE_CHANGE: "Changing the effective end date of a terminated member",
    Transaction.DEMOGRAPHIC_CHANGE: "Demographic change (address)",
    Transaction.SSN_CHANGE: "Adding or changing an SSN",
    Transaction.REINSTATEMENT: "Reinstating a terminated member",
}


class Line(enum.StrEnum):
    MEDICAL = "medical"
    DENTAL = "dental"
    VISION = "vision"
    LIFE = "life"


class CoverageAction(enum.StrEnum):
    ADDING = "adding"
    REMOVING = "removing"
    MODIFYING = "modifying"


COVERAGE_ACTION_LABELS = {
    CoverageAction.ADDING: "“Adding” coverage",
    CoverageAction.REMOVING: "“Removing” coverage",
    CoverageAction.MODIFYING: "“Modifying coverage”",
}


@dataclass(frozen=True)
class MemberChange:
    """A proposed member change, without a name, member ID or date of birth."""

    transaction: Transaction
    days_after_anchor: int | None = None  # days from the rule's anchor date to the submission
    coverage_start: dt.date | None = None
    term_date: dt.date | None = None
    submitted_on: dt.date | None = None
    group_state: str = ""  # two-letter state of the group's policy (situs)
    group_has_medical: bool = False
    line: Line | None = None
    actions: frozenset[CoverageAction] = field(default_factory=frozenset)
    adds_basic_life: bool = False
    basic_life_volume_included: bool = False
    sub_group_identifier: str = ""
    group_sub_groups: frozenset[str] = field(default_factory=frozenset)
    plans: frozenset[str] = field(default_factory=frozenset)
    plans_for_sub_group: frozenset[str] = field(default_factory=frozenset)
    renewal_date: dt.date | None = None
    renewal_ready: bool = True


# --- Retroactive changes ----------------------------------------------------------------------

RETRO_EXCEPTION = "Please reach out to the Humana billing team to request an exception to retro rules."
RETRO_INTRO = ("Humana applies the following rules to retroactive transactions; violations will be "
               "rejected and marked as “failed” in the Noyo system.")
BIRTH_EXCEPTION_STATES = frozenset({"AR", "FL", "WA", "WI"})


@dataclass(frozen=True)
class RetroLimit:
    days: int
    anchor: str  # what the days count from, for the sentence shown
    seed_text: str


RETRO_LIMITS: dict[Transaction, RetroLimit] = {
    Transaction.NEW_HIRE: RetroLimit(31, "the effective start date of the coverage",
        "New hires must be submitted within 31 days of the effective start date of their coverage."),
    Transaction.TERMINATION: RetroLimit(60, "the term date",
        "Terminations must be submitted within 60 days of the term date."),
    # The seed gives deaths no limit of their own. A death is a termination whose end date is
    # the QLE event date, so we apply the termination limit counted from that date.
    Transaction.DEATH: RetroLimit(60, "the QLE event date (the effective end date)",
        "Terminations must be submitted within 60 days of the term date."),
    Transaction.MARRIAGE: RetroLimit(31, "the marriage",
        "For a Marriage QLE, dependents (spouse/children) must be added within 31 days of marriage."),
    Transaction.LOSS_OF_COVERAGE: RetroLimit(31, "the loss of coverage",
        "For a Loss of Coverage QLE, subscribers or dependents can be added within 31 days of the "
        "loss of coverage."),
    Transaction.BIRTH: RetroLimit(31, "the birth",
        "For a Birth QLE, the child must be added to the plan within 31 days of birth (except in "
        "AR, FL, WA, and WI)."),
}


def days_between(anchor: dt.date, submitted_on: dt.date) -> int:
    """Days from the anchor date to the submission (negative when sent ahead of it)."""
    return (submitted_on - anchor).days


def retro_finding(transaction: Transaction, days_after: int, group_state: str = "") -> Finding | None:
    """Seed 004, Retroactive changes: "within N days" includes day N; day N+1 is rejected.

    The Birth QLE exception names states without saying whose state: we read it as the state of
    the group's policy (where the state rule applies), and the seed gives no other limit there."""
    limit = RETRO_LIMITS.get(transaction)
    if limit is None or days_after <= limit.days:
        return None
    detail = f"Submitted {days_after} days after {limit.anchor}; the limit is {limit.days} days."
    if transaction == Transaction.BIRTH and group_state.upper() in BIRTH_EXCEPTION_STATES:
        return Finding(
            "retro_birth_exception", Verdict.NOTE, limit.seed_text,
            detail=f"{detail} The group is in {group_state.upper()}, one of the exception states, "
            "so the 31-day limit does not apply.",
        )
    return Finding(f"retro_{transaction.value}", Verdict.FAILED, f"{RETRO_INTRO} {limit.seed_text}",
                   detail=detail, what_to_do=RETRO_EXCEPTION)


# --- Transactions that fail or are handled outside Noyo ----------------------------------------

SWITCH_LINES = frozenset({Line.MEDICAL, Line.DENTAL, Line.VISION})
PLAN_SWITCH_TEXT = (
    "Humana cannot switch members' dental, vision, or medical plans through the Noyo “modifying "
    "coverage” action alone on QLE or OE transactions; plan switches must include an “adding” "
    "action and a “removing” action."
)
END_DATE_TEXT = (
    "To update the effective end date for a member who has been terminated, you must contact "
    "Humana directly. (Member requests that attempt to change these end dates will be completed "
    "without the change being made in the Humana system.)"
)


def plan_switch_finding(line: Line | None, actions: frozenset[CoverageAction]) -> Finding | None:
    """Seed 004, Carrier-specific behavior and Failed transactions: "Transactions to switch
    medical, dental, or vision plans that only include a “modifying coverage” action" fail."""
    if line not in SWITCH_LINES or {CoverageAction.ADDING, CoverageAction.REMOVING} <= actions:
        return None
    sent = ", ".join(COVERAGE_ACTION_LABELS[a] for a in CoverageAction if a in actions) or "no action"
    return Finding(
        "plan_switch_actions", Verdict.FAILED,
        f"{PLAN_SWITCH_TEXT} The following changes cannot be completed through Noyo and will be "
        "marked as “failed” in our system: Transactions to switch medical, dental, or vision plans "
        "that only include a “modifying coverage” action.",
        detail=f"This {line.value} plan switch sends {sent}.",
        what_to_do="Send the switch again with an “adding” action for the new plan and a "
        "“removing” action for the old one.",
    )


def date_of_hire_finding() -> Finding:
    """Seed 004, Failed transactions: "Date of hire changes" cannot be completed through Noyo.
    The seed does not say where they go instead; we point to Humana directly, as for end dates."""
    return Finding(
        "date_of_hire_change", Verdict.FAILED,
        "The following changes cannot be completed through Noyo and will be marked as “failed” "
        "in our system: Date of hire changes.",
        what_to_do="Contact Humana directly for a date of hire change.",
    )


def end_date_finding() -> Finding:
    """Seed 004, Carrier-specific behavior and Other scenarios (said twice, the same way)."""
    return Finding("end_date_change", Verdict.NOT_MADE, END_DATE_TEXT,
                   what_to_do="Contact Humana directly to change the effective end date.")


# --- Other scenarios: the change goes through, differently ------------------------------------


def one_month_of_coverage_end(coverage_start: dt.date) -> dt.date:
    """Seed 004: "A member being terminated before their effective start date will automatically
    be enrolled in one month of coverage by default" (coverage 9/1/2024 → end 9/30/2024).

    The seed's example starts on the 1st. For a start on any other day we read "one month" as
    ending the day before the same day of the next month (1/15 → 2/14), or on the last day of
    the next month when it has no such day (1/31 → 2/28)."""
    year, month = ((coverage_start.year + 1, 1) if coverage_start.month == 12
                   else (coverage_start.year, coverage_start.month + 1))
    if coverage_start.day == 1:
        return dt.date(year, month, 1) - dt.timedelta(days=1)
    days_next = calendar.monthrange(year, month)[1]
    if coverage_start.day > days_next:
        return dt.date(year, month, days_next)
    return dt.date(year, month, coverage_start.day) - dt.timedelta(days=1)


def termination_before_start_finding(coverage_start: dt.date, term_date: dt.date) -> Finding | None:
    if term_date >= coverage_start:
        return None
    end = one_month_of_coverage_end(coverage_start)
    return Finding(
        "termination_before_start", Verdict.NOTE,
        "A member being terminated before their effective start date will automatically be "
        "enrolled in one month of coverage by default. For example: An employee was hired on "
        "7/15/2024 and elected coverage effective 9/1/2024. The employee was terminated on "
        "8/15/2024. Humana will automatically enroll the employee in one month of coverage and "
        "set the effective end date as 9/30/2024.",
        detail=f"Coverage starts {date_text(coverage_start)} and the term date is "
        f"{date_text(term_date)}: Humana will set the effective end date as {date_text(end)}.",
    )


def death_finding() -> Finding:
    return Finding(
        "death", Verdict.NOTE,
        "A transaction with an event reason of “death” will not follow a group's termination "
        "provisions. Humana's policy for deaths is to terminate all coverages immediately, with "
        "the QLE event date as the effective end date for the employee.",
    )


def texas_sb51_finding(*, group_state: str, group_has_medical: bool, days_after: int | None) -> Finding | None:
    """Seed 004: "For Texas groups with medical coverage, state regulations (Texas SB51) prohibit
    retroactive coverage terminations. This can cause longer processing timelines, though Humana
    will honor the signature date sent from the platform even if the date is in the past."

    The two sentences pull apart (prohibited, yet a past date is honored). We implement the
    second as the outcome (it goes through, slower, with the signature date) and show the first
    reading to the specialist."""
    if group_state.upper() != "TX" or not group_has_medical or days_after is None or days_after <= 0:
        return None
    return Finding(
        "texas_sb51", Verdict.NOTE,
        "For Texas groups with medical coverage, state regulations (Texas SB51) prohibit "
        "retroactive coverage terminations. This can cause longer processing timelines, though "
        "Humana will honor the signature date sent from the platform even if the date is in the past.",
        detail=f"The term date is {days_after} days before the submission: a retroactive "
        "termination for a Texas group with medical coverage. Expect a longer processing time.",
        other_reading="Read strictly, the first sentence prohibits retroactive terminations for "
        "Texas medical groups outright: if Humana refused this one, that is why.",
    )


MANAGED_TEXT = (
    "Our goal is to confirm all member changes within 4 business days. However, some transactions "
    "cannot be confirmed automatically after being submitted through our API because special "
    "handling is required. We call these “managed” transactions and they may have longer "
    "confirmation timelines."
)


def managed_finding(transaction: Transaction) -> Finding | None:
    kinds = {Transaction.SSN_CHANGE: "SSN changes: Adding an SSN or changing an existing one.",
             Transaction.REINSTATEMENT: "Reinstatements: Reinstating previously terminated "
             "members or members that have removed all coverage."}
    if transaction not in kinds:
        return None
    return Finding("managed_change", Verdict.NOTE, f"{MANAGED_TEXT} Types of managed changes: "
                   f"{kinds[transaction]}")


def address_finding() -> Finding:
    return Finding("usps_validation", Verdict.NOTE,
                   "Humana applies USPS validation to all addresses submitted in demographic changes.",
                   what_to_do="Check the address against USPS (spelling, ZIP+4) before sending it again.")


# --- Carrier-specific validations ---------------------------------------------------------------


def basic_life_finding(adds_basic_life: bool, volume_included: bool) -> Finding | None:
    if not adds_basic_life or volume_included:
        return None
    return Finding("basic_life_volume", Verdict.INVALID,
                   "Noyo validates that all member requests adding basic Life coverage have "
                   "volume amounts included.",
                   what_to_do="Send the request again with the basic Life volume amount.")


def sub_group_findings(sub_group: str, group_sub_groups: frozenset[str]) -> list[Finding]:
    """Seed 004: the sub_group_identifier must be valid for the group; when it is omitted Noyo
    resolves it only where one option is available for the employee."""
    if sub_group and group_sub_groups and sub_group not in group_sub_groups:
        return [Finding(
            "sub_group_invalid", Verdict.INVALID,
            "Noyo validates that each sub_group_identifier specified in the carrier_config is "
            "valid for the group.",
            detail=f"“{sub_group}” is not one of the group's sub groups "
            f"({', '.join(sorted(group_sub_groups))}).",
            what_to_do="Use a sub group identifier from the group carrier configuration.",
        )]
    if not sub_group and len(group_sub_groups) > 1:
        return [Finding(
            "sub_group_omitted", Verdict.NOTE,
            "You may include a sub_group_identifier matching the corresponding value in the group "
            "carrier configuration. If the call omits this value, Noyo will attempt to resolve the "
            "correct sub group in cases where only one option is available for the employee.",
            detail=f"The group has {len(group_sub_groups)} sub groups: unless only one is open to "
            "this employee, send the sub group identifier.",
        )]
    return []


def plan_availability_finding(actions: frozenset[CoverageAction], plans: frozenset[str],
                              available: frozenset[str]) -> Finding | None:
    if not actions & {CoverageAction.ADDING, CoverageAction.MODIFYING} or not plans or not available:
        return None
    missing = sorted(plans - available)
    if not missing:
        return None
    return Finding(
        "plan_not_available", Verdict.INVALID,
        "Noyo validates that all member requests adding or modifying coverage contain plans "
        "that are available to the sub group specified in the carrier_config.",
        detail=f"Not available to the sub group: {', '.join(missing)}.",
        what_to_do="Choose plans linked to the member's sub group in the plan configuration.",
    )


# --- The checker -------------------------------------------------------------------------------

RETRO_TYPES = frozenset(RETRO_LIMITS)


def check_member_change(change: MemberChange) -> list[Finding]:
    """Every seed rule the change breaks or triggers, worst verdict first."""
    t = change.transaction
    findings: list[Finding | None] = []
    if t in RETRO_TYPES and change.days_after_anchor is not None:
        findings.append(retro_finding(t, change.days_after_anchor, change.group_state))
    if t in {Transaction.TERMINATION, Transaction.DEATH}:
        findings.append(texas_sb51_finding(group_state=change.group_state,
                                           group_has_medical=change.group_has_medical,
                                           days_after=change.days_after_anchor))
    if t == Transaction.TERMINATION and change.coverage_start and change.term_date:
        findings.append(termination_before_start_finding(change.coverage_start, change.term_date))
    if t == Transaction.DEATH:
        findings.append(death_finding())
    if t == Transaction.PLAN_SWITCH:
        findings.append(plan_switch_finding(change.line, change.actions))
    if t == Transaction.DATE_OF_HIRE_CHANGE:
        findings.append(date_of_hire_finding())
    if t == Transaction.END_DATE_CHANGE:
        findings.append(end_date_finding())
    if t == Transaction.DEMOGRAPHIC_CHANGE:
        findings.append(address_finding())
    findings.append(managed_finding(t))
    if t == Transaction.OPEN_ENROLLMENT and change.renewal_date and change.submitted_on:
        findings.extend(oe_findings(change.renewal_date, change.submitted_on, change.renewal_ready))
    findings.append(basic_life_finding(change.adds_basic_life, change.basic_life_volume_included))
    findings.extend(sub_group_findings(change.sub_group_identifier, change.group_sub_groups))
    findings.append(plan_availability_finding(change.actions, change.plans, change.plans_for_sub_group))
    order = list(Verdict)
    return sorted((f for f in findings if f is not None), key=lambda f: order.index(f.verdict))


OverallVerdict = Literal["rejected", "humana_directly", "no_rule_broken"]


def overall_verdict(findings: list[Finding]) -> OverallVerdict:
    """For the flow: "rejected", "humana_directly" or "no_rule_broken"."""
    verdicts = {finding.verdict for finding in findings}
    if verdicts & REJECTING:
        return "rejected"
    if verdicts & HUMANA_DIRECTLY:
        return "humana_directly"
    return "no_rule_broken"
