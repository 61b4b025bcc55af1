"""HUSKY provider-portal report rules, from seed 003 (Using Provider Portal Reports to Manage
HUSKY Members, a DSS PCMH presentation by CHNCT). Plain functions over plain values: dates are
passed in, nothing reads the database or the clock.

Who appears on each report, the breast and cervical screening status, attribution and the
monthly refresh, and what is shared with the PCP. ``check_report`` puts them together for the
member checker and the provider flow.

How ages, bands and "within the last N years" are counted is decided once, in ``dates.py``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from .dates import AgeBand, add_months, first_of_month, within_months

SEED = "Seed 003, Using Provider Portal Reports to Manage HUSKY Members"
EXCLUSION_TEXT = "Excludes Dual Eligible and Opt-Out Members"


class Sex(enum.StrEnum):
    FEMALE = "F"
    MALE = "M"


class Diabetes(enum.StrEnum):
    NONE = "none"
    TYPE_1 = "type_1"
    TYPE_2 = "type_2"


class ReportKey(enum.StrEnum):
    ADULT_DIABETES = "adult_diabetes"
    ADULT_PREVENTIVE_21_49 = "adult_preventive_21_49"
    ADULT_PREVENTIVE_50_64 = "adult_preventive_50_64"
    CANCER_SCREENINGS = "cancer_screenings"
    CHILD_DIABETES = "child_diabetes"
    CHILD_WELL_CARE = "child_well_care"
    COLORECTAL = "colorectal"
    DAILY_ADMISSION_DISCHARGE = "daily_admission_discharge"
    ED_UTILIZATION = "ed_utilization"
    INPATIENT_CLAIMS = "inpatient_claims"
    PATIENT_PANEL = "patient_panel"


# "Available Secure Provider Portal Reports", in the seed's order and words.
REPORT_NAMES: dict[ReportKey, str] = {
    ReportKey.ADULT_DIABETES: "Adult Diabetes Screening Tests",
    ReportKey.ADULT_PREVENTIVE_21_49: "Adult Preventive Visits Age 21-49",
    ReportKey.ADULT_PREVENTIVE_50_64: "Adult Preventive Visits Age 50-64",
    ReportKey.CANCER_SCREENINGS: "Cancer Screenings",
    ReportKey.CHILD_DIABETES: "Child Diabetes Screening Tests",
    ReportKey.CHILD_WELL_CARE: "Child Well-Care Visits",
    ReportKey.COLORECTAL: "Colorectal Cancer Screening - Gaps in Care (coming soon)",
    ReportKey.DAILY_ADMISSION_DISCHARGE: "Daily Admission and Discharge Report",
    ReportKey.ED_UTILIZATION: "ED Utilization Report",
    ReportKey.INPATIENT_CLAIMS: "Inpatient Claims Report",
    ReportKey.PATIENT_PANEL: "Patient Panel Report",
}
COMING_SOON = frozenset({ReportKey.COLORECTAL})
AVAILABLE_REPORTS = tuple(key for key in ReportKey if key not in COMING_SOON)


ADULT_DIABETES_AGES = AgeBand(18, 75)  # "Members ages 18 to 75" (header: "Ages 18-75")
CHILD_DIABETES_AGES = AgeBand(4, 17)  # "Members ages 4 to 17" (header: "Ages 04-17")
ADULT_PREVENTIVE_YOUNGER = AgeBand(21, 49)  # "between the ages of 21 and 49"
ADULT_PREVENTIVE_OLDER = AgeBand(50, 64)  # "between the ages of 50 and 64"
CANCER_SCREENING_AGES = AgeBand(24, 74)  # "females between the ages of 24 to 74"
# The seed disagrees with itself: its text says "Breast cancer screening includes females
# between the ages of 52 to 74"; the sample report's header says "Ages 50-74 (Breast Cancer)".
# We compute the text's 52 to 74 (it is the rule as worded) and show the header's band as a note
# wherever the rule is shown (BREAST_BAND_NOTE).
BREAST_AGES = AgeBand(52, 74)
BREAST_AGES_HEADER = AgeBand(50, 74)
BREAST_BAND_NOTE = (
    "The seed's text says breast cancer screening includes females between the ages of 52 to "
    "74; its sample report header says “Ages 50-74 (Breast Cancer)”. SupportDesk uses 52 to 74, "
    "so a woman aged 50 or 51 may still be listed on the portal's report."
)
CERVICAL_AGES = AgeBand(24, 64)  # "females between the ages of 24 to 64"
CHILD_WELL_CARE_AGES = AgeBand(0, 21)  # "between the ages 0 and 21"
# "Developmental screenings for children ages up to 18": vague. We read "children up to 18" as
# under 18 (0 to 17), the same cut as the child/adult diabetes reports (4-17 / 18-75).
DEVELOPMENTAL_SCREENING_AGES = AgeBand(0, 17)
COLORECTAL_AGES = AgeBand(50, 75)  # "between the ages of 50 and 75" (coming soon)

DIABETES_LOOK_BACK_MONTHS = 24  # "reported within the last two years"
DISCHARGE_LOOK_BACK_DAYS = 30  # "received within the last thirty days"
ED_LOOK_BACK_MONTHS = 6  # "during the previous 6 months"
INPATIENT_SERVICE_MONTHS = 12  # "Date of service within 1 year"
INPATIENT_PAID_MONTHS = 3  # "paid in the last three months"
ATTRIBUTION_CLAIMS_MONTHS = 15  # "15 months of claims history"


# --- Measures -----------------------------------------------------------------------------


class Status(enum.StrEnum):
    DUE = "Due"
    NOT_DUE = "Not due"
    ON_RECORD = "On record"
    NOT_APPLICABLE = "Not applicable"


@dataclass(frozen=True)
class Measure:
    name: str
    status: Status
    reason: str
    last_service: dt.date | None = None
    note: str = ""


def _no_later_than(on: dt.date, *dates: dt.date | None) -> None:
    if any(day is not None and day > on for day in dates):
        raise ValueError("A service date is after the check date.")


def breast_screening(*, sex: Sex, age: int, mastectomy: bool, last_mammogram: dt.date | None,
                     on: dt.date) -> Measure:
    """"Breast cancer screening includes females between the ages of 52 to 74 without a history
    of mastectomy. If a member's last test or service was over a year ago, or if there is no
    record of a previous test, the member is considered 'Due'" (seed 003, Cancer Screenings).
    A test exactly one year before ``on`` is not over a year ago."""
    _no_later_than(on, last_mammogram)
    name = "Breast cancer screening"
    if sex != Sex.FEMALE:
        return Measure(name, Status.NOT_APPLICABLE, "Breast cancer screening includes females.")
    note = BREAST_BAND_NOTE if age in BREAST_AGES_HEADER and age not in BREAST_AGES else ""
    if age not in BREAST_AGES:
        return Measure(name, Status.NOT_APPLICABLE, f"Breast cancer screening includes females "
                       f"between the ages of {BREAST_AGES}; the member is {age}.", note=note)
    if mastectomy:
        return Measure(name, Status.NOT_APPLICABLE,
                       "Breast cancer screening includes females without a history of mastectomy.")
    if last_mammogram is None:
        return Measure(name, Status.DUE, "There is no record of a previous test: 'Due'.")
    if last_mammogram < add_months(on, -12):
        return Measure(name, Status.DUE, "The member's last test or service was over a year ago: "
                       "'Due'.", last_mammogram)
    return Measure(name, Status.NOT_DUE, "The last test or service was within the last year.",
                   last_mammogram)


def cervical_screening(*, sex: Sex, age: int, hysterectomy: bool, last_cytology: dt.date | None,
                       last_hpv: dt.date | None, on: dt.date) -> Measure:
    """"Cervical cancer screening includes females between the ages of 24 to 64 without a history
    of hysterectomy. Member is considered 'Due' if last test/service was over 3 years ago or there
    is no record of a previous test. Member is not considered 'Due' if they have a history of HPV
    testing within the last 5 years, and their last cervical cytology test occurred within the
    last 5 years" (seed 003, Cancer Screenings).

    Vague: "last test/service" is read as the last cervical cytology test; an HPV test alone does
    not count, since the seed's exception asks for both. Exactly 3 years is not over 3 years;
    exactly 5 years is within 5 years."""
    _no_later_than(on, last_cytology, last_hpv)
    name = "Cervical cancer screening"
    if sex != Sex.FEMALE:
        return Measure(name, Status.NOT_APPLICABLE, "Cervical cancer screening includes females.")
    if age not in CERVICAL_AGES:
        return Measure(name, Status.NOT_APPLICABLE, f"Cervical cancer screening includes females "
                       f"between the ages of {CERVICAL_AGES}; the member is {age}.")
    if hysterectomy:
        return Measure(name, Status.NOT_APPLICABLE, "Cervical cancer screening includes females "
                       "without a history of hysterectomy.")
    if last_cytology is None:
        return Measure(name, Status.DUE, "There is no record of a previous test: 'Due'.")
    if last_cytology >= add_months(on, -36):
        return Measure(name, Status.NOT_DUE, "The last test/service was within the last 3 years.",
                       last_cytology)
    if within_months(last_hpv, on, 60) and within_months(last_cytology, on, 60):
        return Measure(name, Status.NOT_DUE, "Not considered 'Due': a history of HPV testing "
                       "within the last 5 years, and the last cervical cytology test occurred "
                       "within the last 5 years.", last_cytology)
    return Measure(name, Status.DUE, "The last test/service was over 3 years ago (and there is no "
                   "HPV test and cytology test both within the last 5 years): 'Due'.",
                   last_cytology)


def last_service(name: str, last: dt.date | None, on: dt.date) -> Measure:
    """Reports that "provide last service date" (diabetes tests, preventive and well-child
    visits). Vague: the seed names no interval for these. Its sample rows print 'Due' where no
    date is on record, so no record is 'Due'; a date on record is shown, not judged."""
    _no_later_than(on, last)
    if last is None:
        return Measure(name, Status.DUE, "No service on record: the report shows 'Due'.")
    return Measure(name, Status.ON_RECORD, "The report shows the last service date.", last)


# --- Attribution --------------------------------------------------------------------------


def last_refresh(on: dt.date) -> dt.date:
    """"Attribution is refreshed monthly" (seed 003, Member Attribution). Vague as to the day: the
    Patient Panel sample's "Member's Effective Date with PCP" is always the 1st of a month
    (3/1/2015, 6/1/2015 …), so we refresh on the 1st, counting what happened before that day."""
    return first_of_month(on)


def next_refresh(on: dt.date) -> dt.date:
    return add_months(first_of_month(on), 1)


@dataclass(frozen=True)
class Attribution:
    attributed: bool
    reason: str
    basis: str = ""  # "self selection", "claims history", "Patient Panel Report"
    pending_until: dt.date | None = None  # the refresh that will bring the member in
    drops_at: dt.date | None = None  # claims attribution: the refresh that ends it, no new visit
    next_refresh: dt.date | None = None


def attribution(*, on: dt.date, on_panel: bool = False, self_selected_on: dt.date | None = None,
                last_pcp_visit_on: dt.date | None = None, visit_qualifies: bool = False
                ) -> Attribution:
    """"Members are attributed to a PCP by claims history or self selection. Attribution by claims
    history based on: 15 months of claims history; Preventive and Evaluation & Management (E&M)
    procedure codes; Specific Clinic Revenue Codes; Providers flagged as PCPs in CHNCT's system.
    […] Based on members attributed to the PCP's TIN. Attribution is refreshed monthly"
    (seed 003, Member Attribution).

    Vague: the claims conditions are read together: a claim in the 15 months before a refresh,
    billed with a preventive or E&M procedure code or a specific clinic revenue code, by a
    provider flagged as a PCP. Anything after the last refresh counts from the next one."""
    _no_later_than(on, self_selected_on, last_pcp_visit_on)
    refreshed, upcoming = last_refresh(on), next_refresh(on)
    if on_panel:
        return Attribution(True, "The member is on the practice's Patient Panel Report: "
                           "attributed to the PCP's TIN.", "Patient Panel Report",
                           next_refresh=upcoming)
    if self_selected_on is not None and self_selected_on < refreshed:
        return Attribution(True, "Attributed by self selection.", "self selection",
                           next_refresh=upcoming)
    window_start = add_months(refreshed, -ATTRIBUTION_CLAIMS_MONTHS)
    claim = last_pcp_visit_on if visit_qualifies else None
    if claim is not None and window_start <= claim < refreshed:
        # A visit counts at each refresh r with r - 15 months <= visit: the last such refresh is
        # the 1st of the visit's month + 15 months, so the one after it drops the member.
        drops = add_months(first_of_month(claim), ATTRIBUTION_CLAIMS_MONTHS + 1)
        return Attribution(True, "Attributed by claims history: a qualifying visit within the 15 "
                           "months of claims history.", "claims history", drops_at=drops,
                           next_refresh=upcoming)
    if (self_selected_on is not None) or (claim is not None and claim >= refreshed):
        what = "self selection" if self_selected_on is not None else "visit"
        return Attribution(False, f"The {what} came after the last monthly refresh "
                           f"({refreshed:%m/%d/%Y}). Attribution is refreshed monthly: the member "
                           f"should be attributed from the next refresh ({upcoming:%m/%d/%Y}).",
                           pending_until=upcoming, next_refresh=upcoming)
    if last_pcp_visit_on is not None and not visit_qualifies:
        reason = ("The visit does not count for attribution: claims history counts preventive "
                  "and Evaluation & Management (E&M) procedure codes or specific clinic revenue "
                  "codes, by providers flagged as PCPs in CHNCT's system.")
    elif claim is not None:
        reason = (f"The last qualifying visit ({claim:%m/%d/%Y}) is older than the 15 months of "
                  "claims history, and the member has not selected this PCP.")
    else:
        reason = ("No self selection and no qualifying visit in the 15 months of claims history: "
                  "members are attributed to a PCP by claims history or self selection.")
    return Attribution(False, reason, next_refresh=upcoming)


# --- Sharing medical and sensitive information --------------------------------------------


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


# --- Who appears on each report -----------------------------------------------------------


class Why(enum.StrEnum):
    """The first reason a member is (or is not) on a report, in the order they are checked."""

    APPEARS = "appears"
    NOT_ATTRIBUTED = "not_attributed"
    ATTRIBUTION_PENDING = "attribution_pending"
    EXCLUDED = "excluded"
    POPULATION = "population"
    LOOK_BACK = "look_back"
    COMING_SOON = "coming_soon"


@dataclass(frozen=True)
class MemberFacts:
    """Only what the rules need: never a name, an ID or a date of birth."""

    on: dt.date
    age: int
    sex: Sex
    dual_eligible: bool = False
    opted_out: bool = False
    on_panel: bool = False
    self_selected_on: dt.date | None = None
    last_pcp_visit_on: dt.date | None = None
    visit_by_flagged_pcp: bool = False
    diabetes: Diabetes = Diabetes.NONE
    diabetes_reported_on: dt.date | None = None
    last_hba1c: dt.date | None = None
    last_ldl_c: dt.date | None = None
    last_nephropathy: dt.date | None = None
    last_retinal_exam: dt.date | None = None
    mastectomy: bool = False
    hysterectomy: bool = False
    last_mammogram: dt.date | None = None
    last_cytology: dt.date | None = None
    last_hpv: dt.date | None = None
    last_preventive_visit: dt.date | None = None
    last_well_child_visit: dt.date | None = None
    last_developmental_screening: dt.date | None = None
    currently_admitted: bool = False
    discharge_received_on: dt.date | None = None
    last_ed_visit: dt.date | None = None
    ed_paid_on: dt.date | None = None
    inpatient_service_on: dt.date | None = None
    inpatient_paid_on: dt.date | None = None


@dataclass(frozen=True)
class ReportCheck:
    report: ReportKey
    why: Why
    reasons: tuple[str, ...]
    measures: tuple[Measure, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def appears(self) -> bool:
        return self.why == Why.APPEARS

    @property
    def name(self) -> str:
        return REPORT_NAMES[self.report]


def excluded(report: ReportKey, *, dual_eligible: bool, opted_out: bool) -> tuple[str, ...]:
    """Every sample report header but the Patient Panel's reads "Excludes Dual Eligible and
    Opt-Out Members" (seed 003). The Panel header has no such line and the Panel lists "Member
    dual eligibility status for Medicare and Medicaid", so it excludes nobody. Vague: the ED
    Utilization Report has no sample page; it is given the same exclusion as its siblings."""
    if report == ReportKey.PATIENT_PANEL:
        return ()
    reasons = []
    if dual_eligible:
        reasons.append(f"{EXCLUSION_TEXT}: the member is dual eligible (Medicare and Medicaid).")
    if opted_out:
        reasons.append(f"{EXCLUSION_TEXT}: the member opted out of sharing medical information "
                       "electronically.")
    return tuple(reasons)


def _age_reason(band: AgeBand, age: int, words: str) -> tuple[str, ...]:
    return () if age in band else (f"{words} {band}; the member is {age} on the check date.",)


def _diabetes(facts: MemberFacts, band: AgeBand) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """"Members ages 18 to 75 [4 to 17] with a diabetes diagnosis or diabetic prescription
    reported within the last two years and considered a Type 1 or Type 2 diabetic"."""
    population = list(_age_reason(band, facts.age, "The report lists members ages"))
    if facts.diabetes == Diabetes.NONE:
        population.append("The report lists members considered a Type 1 or Type 2 diabetic.")
        return tuple(population), ()
    look_back: tuple[str, ...] = ()
    if not within_months(facts.diabetes_reported_on, facts.on, DIABETES_LOOK_BACK_MONTHS):
        look_back = ("The report needs a diabetes diagnosis or diabetic prescription reported "
                     "within the last two years.",)
    return tuple(population), look_back


def _population(facts: MemberFacts, report: ReportKey
                ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Measure, ...]]:
    """(population reasons, look-back reasons, measures) for one report."""
    on, age = facts.on, facts.age
    if report == ReportKey.ADULT_DIABETES:
        population, look_back = _diabetes(facts, ADULT_DIABETES_AGES)
        measures = tuple(last_service(name, last, on) for name, last in (
            ("HbA1c", facts.last_hba1c), ("LDL-C", facts.last_ldl_c),
            ("Nephropathy testing", facts.last_nephropathy),
            ("Retinal eye exam", facts.last_retinal_exam)))
        return population, look_back, measures
    if report == ReportKey.CHILD_DIABETES:
        population, look_back = _diabetes(facts, CHILD_DIABETES_AGES)
        measures = (last_service("Nephropathy testing", facts.last_nephropathy, on),
                    last_service("Retinal eye exam", facts.last_retinal_exam, on))
        return population, look_back, measures
    if report in (ReportKey.ADULT_PREVENTIVE_21_49, ReportKey.ADULT_PREVENTIVE_50_64):
        band = (ADULT_PREVENTIVE_YOUNGER if report == ReportKey.ADULT_PREVENTIVE_21_49
                else ADULT_PREVENTIVE_OLDER)
        return (_age_reason(band, age, "The report lists members ages"), (),
                (last_service("Preventive visit", facts.last_preventive_visit, on),))
    if report == ReportKey.CANCER_SCREENINGS:
        population = _age_reason(CANCER_SCREENING_AGES, age, "The report lists females between "
                                 "the ages of")
        if facts.sex != Sex.FEMALE:
            population = ("The report provides screening status for females.", *population)
        return population, (), (
            breast_screening(sex=facts.sex, age=age, mastectomy=facts.mastectomy,
                             last_mammogram=facts.last_mammogram, on=on),
            cervical_screening(sex=facts.sex, age=age, hysterectomy=facts.hysterectomy,
                               last_cytology=facts.last_cytology, last_hpv=facts.last_hpv, on=on))
    if report == ReportKey.CHILD_WELL_CARE:
        measures = [last_service("Well-child visit", facts.last_well_child_visit, on)]
        if age in DEVELOPMENTAL_SCREENING_AGES:
            measures.append(last_service("Developmental screening",
                                         facts.last_developmental_screening, on))
        return (_age_reason(CHILD_WELL_CARE_AGES, age, "The report lists members ages"),
                (), tuple(measures))
    if report == ReportKey.DAILY_ADMISSION_DISCHARGE:
        _no_later_than(on, facts.discharge_received_on)
        recent = facts.discharge_received_on is not None and (
            facts.discharge_received_on >= on - dt.timedelta(days=DISCHARGE_LOOK_BACK_DAYS))
        if facts.currently_admitted or recent:
            return (), (), ()
        if facts.discharge_received_on is None:
            return ("The report lists members currently admitted to a facility, or for whom "
                    "information about a discharge has been received within the last thirty "
                    "days.",), (), ()
        return (), ("The discharge information was received more than thirty days ago: the "
                    "report covers the last thirty days.",), ()
    if report == ReportKey.ED_UTILIZATION:
        return (*_ed_reasons(facts),
                (last_service("Last preventive or office visit", facts.last_preventive_visit, on),))
    if report == ReportKey.INPATIENT_CLAIMS:
        _no_later_than(on, facts.inpatient_service_on, facts.inpatient_paid_on)
        if facts.inpatient_service_on is None:
            return ("The report lists members with inpatient hospital claims.",), (), ()
        look_back = []
        if not within_months(facts.inpatient_service_on, on, INPATIENT_SERVICE_MONTHS):
            look_back.append("The date of service must be within 1 year.")
        if not within_months(facts.inpatient_paid_on, on, INPATIENT_PAID_MONTHS):
            look_back.append("The claim must be paid in the last three months.")
        return (), tuple(look_back), ()
    return (), (), ()  # the Patient Panel: every attributed member


def _ed_reasons(facts: MemberFacts) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """"Members with one or more trips to the Emergency Department (ED) during the previous 6
    months for emergent or non-emergent care paid in the prior month". Vague: "previous 6 months"
    counts back from the check date; "the prior month" is the calendar month before it."""
    on = facts.on
    _no_later_than(on, facts.last_ed_visit, facts.ed_paid_on)
    if facts.last_ed_visit is None:
        return ("The report lists members with one or more trips to the Emergency Department "
                "(ED).",), ()
    look_back = []
    if not within_months(facts.last_ed_visit, on, ED_LOOK_BACK_MONTHS):
        look_back.append("The ED visit must be during the previous 6 months.")
    prior = add_months(first_of_month(on), -1)
    paid = facts.ed_paid_on
    if paid is None or first_of_month(paid) != prior:
        when = f" (it was paid {paid:%m/%d/%Y})" if paid else " (no paid date given)"
        look_back.append(f"The ED claim must be paid in the prior month, {prior:%B %Y}{when}.")
    return (), tuple(look_back)


def check_report(report: ReportKey, facts: MemberFacts) -> ReportCheck:
    """Would the member appear on ``report`` on ``facts.on``, and why (seed 003)?

    Checked in this order: attribution ("Based on members attributed to the PCP's TIN"), the
    exclusions, the population (age band, sex, condition), then the look-back windows. Every
    failing reason is listed; ``why`` is the first."""
    if report in COMING_SOON:
        band = ("The member is in its age band." if facts.age in COLORECTAL_AGES
                else f"The member ({facts.age}) is outside its age band.")
        return ReportCheck(report, Why.COMING_SOON, (
            "COMING SOON! An addition to the Cancer Screenings report that will include members "
            f"attributed to PCPs between the ages of {COLORECTAL_AGES} who have had an appropriate "
            f"colorectal cancer screening. {band}",))
    found = attribution(on=facts.on, on_panel=facts.on_panel,
                        self_selected_on=facts.self_selected_on,
                        last_pcp_visit_on=facts.last_pcp_visit_on,
                        visit_qualifies=facts.visit_by_flagged_pcp)
    exclusions = excluded(report, dual_eligible=facts.dual_eligible, opted_out=facts.opted_out)
    population, look_back, measures = _population(facts, report)
    notes = tuple(dict.fromkeys(m.note for m in measures if m.note))
    if report == ReportKey.CANCER_SCREENINGS and BREAST_BAND_NOTE not in notes:
        notes = (*notes, BREAST_BAND_NOTE)  # shown wherever the breast rule is shown
    if report == ReportKey.PATIENT_PANEL:
        notes = (*notes, "The Panel lists the member's dual eligibility status and ICM status.")
    if found.drops_at:
        notes = (*notes, f"Claims attribution lapses at the {found.drops_at:%m/%d/%Y} refresh "
                 "unless the member has another qualifying visit.")
    checks = (
        (Why.ATTRIBUTION_PENDING if found.pending_until else Why.NOT_ATTRIBUTED,
         () if found.attributed else (found.reason,)),
        (Why.EXCLUDED, exclusions),
        (Why.POPULATION, population),
        (Why.LOOK_BACK, look_back),
    )
    reasons = tuple(reason for _, listed in checks for reason in listed)
    why = next((kind for kind, listed in checks if listed), Why.APPEARS)
    if why == Why.APPEARS:
        reasons = (found.reason,)
    if exclusions or population or look_back:
        measures = ()  # not on the report: it shows no status for the member
    return ReportCheck(report, why, reasons, measures, notes)


def check_all(facts: MemberFacts) -> list[ReportCheck]:
    return [check_report(report, facts) for report in ReportKey]
