"""Enterprise Customer (EC) reporting rules, from seed 000 ("Enterprise Customer (EC) Reporting
– Go365 Reports"). Plain functions over plain values: dates are passed in, nothing is read
from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from supportdesk.business_days import is_business_day

EMPLOYER_GROUP_MAILBOX = "EmployerGroup@humana.com"
CUSTOMER_REPORTING = "CRC@humana.com"
BF_REPORT_PATH = ("Home", "13070", "Customer Reporting Self-Serv Reports", "Business Function Report")
GRANT_SENTENCE = "Please grant the PAA’s access as outlined in the attached report."
SRE_WEB_PORTALS = "SRE_WebPortals (Web Portal Support)"

GO365_MEMBER_ENGAGEMENT = "7125"
GO365_ACTIVITY = "7126"
HSI = "6869"
MEMBERSHIP_SNAPSHOT = "8581"
BUSINESS_FUNCTIONS = {
    GO365_MEMBER_ENGAGEMENT: "Go365 reports",
    GO365_ACTIVITY: "Go365 reports",
    HSI: "Humana Smart Insights (HSI)",
    MEMBERSHIP_SNAPSHOT: "Group Medical Membership Snapshot",
}


@dataclass(frozen=True)
class Report:
    name: str
    business_functions: tuple[str, ...]
    employer: bool
    agent: bool
    paa_only: bool = False


# Seed 000, "Business function access must be granted for the employer group PAA ... to access
# the following reports" (* only available for the employer group PAA), "Employers have access to
# the below EC reports" and "Agents are authorized to the following reports".
REPORTS = (
    Report("Go365 Member Engagement Report", ("7125", "7126"), employer=True, agent=True),
    Report("Go365 Activity Report", ("7125", "7126"), employer=True, agent=False),
    Report("Go365 Taxable Redemption Report", ("7125", "7126"), employer=True, agent=False,
           paa_only=True),
    Report("Go365 NCQA Report", ("7125", "7126"), employer=True, agent=True),
    Report("Humana Smart Insights (HSI)", ("6869",), employer=True, agent=True),
    Report("Group Medical Membership Snapshot", ("8581",), employer=True, agent=False,
           paa_only=True),
    # "The Go365 Summary Report is only available for internal self-service via go/CRExcellence.
    # Groups do not have direct access to this report." Agents are authorized to it.
    Report("Go365 Summary Report", (), employer=False, agent=True),
)

# Seed 000, Troubleshooting: what a Secondary user needs from the PAA for EC reporting.
SECONDARY_USER_FUNCTIONS = (
    "Activity Report Vitality",
    "Contribution Manager Report Vitality",
    "Grp Medical Membership Snapshot",
    "Wellness",
)

HSI_EMPLOYEE_THRESHOLD = 100
HSI_THRESHOLD_NOTE = (
    "The EC reporting document says HSI is “only available for groups over 100 Employees” and "
    "also that a group with “less than 100 employees enrolled” will not see it, which leaves a "
    "group of exactly 100 undecided. SupportDesk counts it as not over 100: a group needs 101 or "
    "more employees enrolled."
)

REPORTING_BLACKOUT_LAST_DAY = 5


def reports_for(audience: str) -> list[Report]:
    """Employers and agents see different EC reports (seed 000, Employer Access / Agent Access)."""
    if audience not in {"employer", "agent"}:
        raise ValueError("audience is 'employer' or 'agent'")
    return [r for r in REPORTS if getattr(r, audience)]


def paa_only_reports() -> list[Report]:
    """ "*only available for the employer group PAA": Taxable Redemption and Membership Snapshot."""
    return [r for r in REPORTS if r.paa_only]


@dataclass(frozen=True)
class ProductFacts:
    product_type: str  # "medical", "go365", "dental", ...
    active_from: dt.date
    active_to: dt.date | None = None
    includes_go365: bool = True

    def active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


def active_products(products: Iterable[ProductFacts], today: dt.date) -> list[ProductFacts]:
    return [p for p in products if p.active_on(today)]


def has_active_medical(products: Iterable[ProductFacts], today: dt.date) -> bool:
    return any(p.product_type == "medical" for p in active_products(products, today))


def has_active_go365(products: Iterable[ProductFacts], today: dt.date) -> bool:
    """Go365 coverage: a stand-alone Go365 (NIM) product, or a medical plan that carries Go365."""
    return any(
        p.product_type == "go365" or (p.product_type == "medical" and p.includes_go365)
        for p in active_products(products, today)
    )


def eligible_for_ec_reporting(products: Iterable[ProductFacts], today: dt.date) -> bool:
    """Seed 000, Verifying EC Access for Employers: "first we need to verify the group has an
    active Medical or Stand Alone GO365 (NIM) product in MTV or CAS"."""
    products = list(products)
    return has_active_medical(products, today) or any(
        p.product_type == "go365" for p in active_products(products, today)
    )


def business_functions_for(
    products: Iterable[ProductFacts], employees_enrolled: int, today: dt.date
) -> list[str]:
    """Which business functions the BF report gives a group, from its active products.

    Seed 000: Go365 reports (7125, 7126); HSI (6869); Group Medical Membership Snapshot (8581).
    "Business Functions will not display if: The group has no active Go365 coverage; The group
    has no active medical coverage." Our reading: 7125 and 7126 need Go365 coverage; 8581 needs
    medical; 6869 needs medical and, per the HSI note, a group over 100 employees. The seed's
    sample (824751 FUSION CONTROLS INC: 7125, 7126, 8581) is a medical group with Go365 and no HSI.
    """
    products = list(products)
    codes = []
    if has_active_go365(products, today):
        codes += [GO365_MEMBER_ENGAGEMENT, GO365_ACTIVITY]
    if has_active_medical(products, today):
        if hsi_available(employees_enrolled):
            codes.append(HSI)
        codes.append(MEMBERSHIP_SNAPSHOT)
    return codes


def blank_report_reasons(products: Iterable[ProductFacts], today: dt.date) -> list[str]:
    """Why a BF report is blank, in the seed's words, and what to do (seed 000)."""
    products = list(products)
    reasons = []
    if not has_active_go365(products, today):
        reasons.append("The group has no active Go365 coverage.")
    if not has_active_medical(products, today):
        reasons.append("The group has no active medical coverage.")
    if not reasons:
        reasons.append(
            "The group has medical and the report is blank: data may be incorrect on customer "
            f"reporting end. Contact customer reporting at {CUSTOMER_REPORTING}."
        )
    return reasons


def functions_not_on_report(products: Iterable[ProductFacts], today: dt.date) -> list[str]:
    """What a BF report that does show business functions lacks, and why (seed 000).

    Seed 000 (line 241): "If the report does not display any numbers under the business functions
    section, there are no identifiers or business functions to be added": a report that shows
    8581 is not blank. The same passage (lines 243-246): "Business Functions will not display
    if: The group has no active Go365 coverage; The group has no active medical coverage". So a
    medical group without Go365 gets a report with 8581 and without the Go365 functions.
    Empty when nothing is missing for want of coverage, or when the report is blank (then
    ``blank_report_reasons`` says why).
    """
    products = list(products)
    has_go365, has_medical = has_active_go365(products, today), has_active_medical(products, today)
    if not (has_go365 or has_medical):
        return []
    lacks = []
    if not has_go365:
        lacks.append(
            f"No Go365 reports ({GO365_MEMBER_ENGAGEMENT}, {GO365_ACTIVITY}): the group has no "
            "active Go365 coverage."
        )
    if not has_medical:
        lacks.append(
            f"No {BUSINESS_FUNCTIONS[MEMBERSHIP_SNAPSHOT]} ({MEMBERSHIP_SNAPSHOT}) or "
            f"{BUSINESS_FUNCTIONS[HSI]} ({HSI}): the group has no active medical coverage."
        )
    return lacks


def hsi_available(employees_enrolled: int) -> bool:
    """Seed 000: "Humana Smart Insights (HSI) report is only available for groups over 100
    Employees". See HSI_THRESHOLD_NOTE for the seed's other wording."""
    return employees_enrolled > HSI_EMPLOYEE_THRESHOLD


def in_reporting_blackout(today: dt.date) -> bool:
    """Seed 000: "Reporting is down from the 1st-5th of every month for updates"."""
    return today.day <= REPORTING_BLACKOUT_LAST_DAY


def bf_report_available_on(today: dt.date) -> dt.date:
    """The first day the BF report can be run: today, or the 6th during the blackout ("you will
    not be able to run any business function reports until the 6th of every month")."""
    if in_reporting_blackout(today):
        return today.replace(day=REPORTING_BLACKOUT_LAST_DAY + 1)
    return today


def blackout_follow_up_on(today: dt.date) -> dt.date:
    """When a case stopped by the blackout is followed up: the first business day from the day
    the report can be run (seed 000: "until the 6th of every month"). The 6th may be a Saturday,
    a Sunday or a holiday (Labor Day falls on the 6th or 7th in some years); nobody runs the
    report then, so the follow-up moves to the next weekday that is not a US federal holiday."""
    day = bf_report_available_on(today)
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def ec_reporting_available_on(enrolled_on: dt.date) -> dt.date:
    """Seed 000: "If a group was enrolled after the 5th of the month they will need to wait until
    the following month for EC reporting to be available." Reporting is down 1st–5th, so the
    date it becomes available is the 6th: of the enrollment month if enrolled on the 1st–5th,
    else of the following month."""
    month = enrolled_on.replace(day=1)
    if enrolled_on.day > REPORTING_BLACKOUT_LAST_DAY:
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return month.replace(day=REPORTING_BLACKOUT_LAST_DAY + 1)


def bf_report_group_number(group_number: str, platform: str, mtv_shell_number: str | None) -> str:
    """Seed 000: "When a CAS group has an MTV shell the EC identifiers are always going to be
    pulled with the MTV group ID" and "Business function reports only have to be run for the MTV
    group number"."""
    if platform == "CAS" and mtv_shell_number:
        return mtv_shell_number
    return group_number


def ec_identifier_allowed(sl_app_kind: str) -> bool:
    """Seed 000: "Do NOT add EC Identifiers to Agent SL applications or pseudo apps, ONLY
    employers." Access management "will not add the EC identifier/business functions to a
    pseudo application to change auto-delegation"."""
    return sl_app_kind == "employer"


def second_ec_refused(current_ec: str, new_ec: str) -> bool:
    """Seed 000: "Only ONE EC per SL application." Removing the EC (new_ec empty) is not a second."""
    return bool(current_ec) and bool(new_ec) and current_ec != new_ec


def needs_independent_logons(group_numbers_with_ec_products: Sequence[str]) -> bool:
    """Seed 000: employers "can only access Enterprise Customer reports for one group in the
    portal"; "If the Employer group has more than one group number, and each group number has a
    medical or Go365 (NIM) product, the group will need to register each group number
    individually"."""
    return len(set(group_numbers_with_ec_products)) > 1


def covered_by_weekly_process(
    registered_on: dt.date | None, is_reregistration: bool, today: dt.date
) -> dt.date | None:
    """If the weekly new-group process will still grant access, the Monday it runs; else None.

    Seed 000: "Access to EC functions are granted for brand new groups registered on the portal
    via an existing weekly process ... (Spreadsheet sent to Access Management for processing on
    Monday)". "Groups that are registered for a second time are not included on the weekly
    report." A group registered in a week is on the next Monday's spreadsheet; once that Monday
    has passed without access, the specialist runs the report ("In the occasional instance a
    group's access has not been granted via the weekly process").
    """
    if registered_on is None or is_reregistration:
        return None
    next_monday = registered_on + dt.timedelta(days=7 - registered_on.weekday())
    return next_monday if today < next_monday else None


def missing_secondary_functions(delegated: Iterable[str]) -> list[str]:
    """What a Secondary user lacks of the access the PAA must give for EC reporting (seed 000)."""
    have = {name.strip().lower() for name in delegated}
    return [name for name in SECONDARY_USER_FUNCTIONS if name.lower() not in have]


def missing_on_sl_app(on_report: Iterable[str], on_sl_app: Iterable[str]) -> list[str]:
    """Business functions on the BF report that Access Management has not added to the SL app."""
    have = set(on_sl_app)
    return [code for code in on_report if code not in have]


def report_business_functions(report_name: str) -> tuple[str, ...]:
    for report in REPORTS:
        if report.name == report_name:
            return report.business_functions
    raise KeyError(report_name)


def email_subject(group_number: str, group_name: str, sl_app_number: str) -> str:
    """Seed 000: "Also include the group number, name, and SL app# in the subject line."""
    return f"EC access request: group {group_number} {group_name}, SL app# {sl_app_number}"
