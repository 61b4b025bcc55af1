"""Who appears on each report, and why: seed 003, Available Secure Provider Portal Reports.
``check_report`` puts the rules together for the member checker and the provider flow."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from supportdesk.dates import date_text

from ..dates import AgeBand, add_months, first_of_month, no_later_than, within_months
from .attribution import attribution
from .reports import (
    ADULT_DIABETES_AGES,
    ADULT_PREVENTIVE_OLDER,
    ADULT_PREVENTIVE_YOUNGER,
    BREAST_BAND_NOTE,
    CANCER_SCREENING_AGES,
    CHILD_DIABETES_AGES,
    CHILD_WELL_CARE_AGES,
    COLORECTAL_AGES,
    COMING_SOON,
    DEVELOPMENTAL_SCREENING_AGES,
    DIABETES_LOOK_BACK_MONTHS,
    DISCHARGE_LOOK_BACK_DAYS,
    ED_LOOK_BACK_MONTHS,
    EXCLUSION_TEXT,
    INPATIENT_PAID_MONTHS,
    INPATIENT_SERVICE_MONTHS,
    REPORT_NAMES,
    Diabetes,
    ReportKey,
    Sex,
)
from .screening import Measure, breast_screening, cervical_screening, last_service


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
        visits = [last_service("Well-child visit", facts.last_well_child_visit, on)]
        if age in DEVELOPMENTAL_SCREENING_AGES:
            visits.append(last_service("Developmental screening",
                                       facts.last_developmental_screening, on))
        return (_age_reason(CHILD_WELL_CARE_AGES, age, "The report lists members ages"),
                (), tuple(visits))
    if report == ReportKey.DAILY_ADMISSION_DISCHARGE:
        no_later_than(on, facts.discharge_received_on)
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
        no_later_than(on, facts.inpatient_service_on, facts.inpatient_paid_on)
        if facts.inpatient_service_on is None:
            return ("The report lists members with inpatient hospital claims.",), (), ()
        too_old: list[str] = []
        if not within_months(facts.inpatient_service_on, on, INPATIENT_SERVICE_MONTHS):
            too_old.append("The date of service must be within 1 year.")
        if not within_months(facts.inpatient_paid_on, on, INPATIENT_PAID_MONTHS):
            too_old.append("The claim must be paid in the last three months.")
        return (), tuple(too_old), ()
    return (), (), ()  # the Patient Panel: every attributed member


def _ed_reasons(facts: MemberFacts) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """"Members with one or more trips to the Emergency Department (ED) during the previous 6
    months for emergent or non-emergent care paid in the prior month". Vague: "previous 6 months"
    counts back from the check date; "the prior month" is the calendar month before it."""
    on = facts.on
    no_later_than(on, facts.last_ed_visit, facts.ed_paid_on)
    if facts.last_ed_visit is None:
        return ("The report lists members with one or more trips to the Emergency Department "
                "(ED).",), ()
    look_back = []
    if not within_months(facts.last_ed_visit, on, ED_LOOK_BACK_MONTHS):
        look_back.append("The ED visit must be during the previous 6 months.")
    prior = add_months(first_of_month(on), -1)
    paid = facts.ed_paid_on
    if paid is None or first_of_month(paid) != prior:
        when = f" (it was paid {date_text(paid)})" if paid else " (no paid date given)"
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
        notes = (*notes, f"Claims attribution lapses at the {date_text(found.drops_at)} refresh "
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
