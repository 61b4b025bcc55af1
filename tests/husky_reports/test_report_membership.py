"""Who appears on each report (seed 003): attribution, exclusions, age bands, look-back windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from husky_reports.rules import (
    AVAILABLE_REPORTS,
    BREAST_BAND_NOTE,
    Diabetes,
    MemberFacts,
    ReportKey,
    Sex,
    Status,
    Why,
    check_all,
    check_report,
)

ON = dt.date(2025, 8, 15)
R = ReportKey


def member(**changes) -> MemberFacts:
    """An attributed adult; each test changes what it is about."""
    base = MemberFacts(on=ON, age=40, sex=Sex.FEMALE, on_panel=True)
    return replace(base, **changes)


def diabetic(**changes) -> MemberFacts:
    return member(**{"diabetes": Diabetes.TYPE_2, "diabetes_reported_on": dt.date(2025, 1, 1),
                     **changes})


@pytest.mark.parametrize(("age", "why"), [
    (17, Why.POPULATION), (18, Why.APPEARS), (75, Why.APPEARS), (76, Why.POPULATION),
])
def test_it_lists_adult_diabetics_ages_18_to_75(age, why):
    result = check_report(R.ADULT_DIABETES, diabetic(age=age))
    assert result.why == why
    if why == Why.POPULATION:
        assert "ages 18 to 75" in result.reasons[0]


@pytest.mark.parametrize(("age", "why"), [
    (3, Why.POPULATION), (4, Why.APPEARS), (17, Why.APPEARS), (18, Why.POPULATION),
])
def test_it_lists_child_diabetics_ages_4_to_17(age, why):
    assert check_report(R.CHILD_DIABETES, diabetic(age=age)).why == why


def test_it_needs_a_type_1_or_type_2_diabetic():
    result = check_report(R.ADULT_DIABETES, member(diabetes=Diabetes.NONE))
    assert result.why == Why.POPULATION
    assert result.reasons == ("The report lists members considered a Type 1 or Type 2 diabetic.",)
    assert check_report(R.ADULT_DIABETES, diabetic(diabetes=Diabetes.TYPE_1)).appears


@pytest.mark.parametrize(("reported", "why"), [
    (dt.date(2023, 8, 15), Why.APPEARS),  # exactly two years ago
    (dt.date(2023, 8, 14), Why.LOOK_BACK),
    (None, Why.LOOK_BACK),
])
def test_it_needs_the_diagnosis_reported_within_the_last_two_years(reported, why):
    assert check_report(R.ADULT_DIABETES, diabetic(diabetes_reported_on=reported)).why == why


def test_it_shows_the_diabetes_tests_last_service_dates_and_due_without_one():
    result = check_report(R.ADULT_DIABETES, diabetic(last_hba1c=dt.date(2025, 6, 1)))
    statuses = {m.name: m.status for m in result.measures}
    assert statuses == {"HbA1c": Status.ON_RECORD, "LDL-C": Status.DUE,
                        "Nephropathy testing": Status.DUE, "Retinal eye exam": Status.DUE}
    child = check_report(R.CHILD_DIABETES, diabetic(age=10))
    assert [m.name for m in child.measures] == ["Nephropathy testing", "Retinal eye exam"]


@pytest.mark.parametrize(("report", "low", "high"), [
    (R.ADULT_PREVENTIVE_21_49, 21, 49),
    (R.ADULT_PREVENTIVE_50_64, 50, 64),
    (R.CHILD_WELL_CARE, 0, 21),
])
def test_it_holds_each_age_band_inclusive(report, low, high):
    assert check_report(report, member(age=low)).appears
    assert check_report(report, member(age=high)).appears
    assert check_report(report, member(age=high + 1)).why == Why.POPULATION
    if low:
        assert check_report(report, member(age=low - 1)).why == Why.POPULATION


@pytest.mark.parametrize(("age", "sex", "why"), [
    (23, Sex.FEMALE, Why.POPULATION), (24, Sex.FEMALE, Why.APPEARS),
    (74, Sex.FEMALE, Why.APPEARS), (75, Sex.FEMALE, Why.POPULATION),
    (40, Sex.MALE, Why.POPULATION),
])
def test_it_lists_females_24_to_74_on_cancer_screenings(age, sex, why):
    assert check_report(R.CANCER_SCREENINGS, member(age=age, sex=sex)).why == why


def test_it_shows_the_breast_band_note_wherever_the_cancer_screenings_are_checked():
    assert BREAST_BAND_NOTE in check_report(R.CANCER_SCREENINGS, member(age=30)).notes
    at_64 = check_report(R.CANCER_SCREENINGS, member(age=64))
    assert [m.status for m in at_64.measures] == [Status.DUE, Status.DUE]


def test_it_lists_developmental_screening_for_children_under_18_only():
    names = lambda age: [m.name for m in check_report(R.CHILD_WELL_CARE, member(age=age)).measures]  # noqa: E731
    assert names(17) == ["Well-child visit", "Developmental screening"]
    assert names(18) == ["Well-child visit"]


@pytest.mark.parametrize("report", [r for r in AVAILABLE_REPORTS if r != R.PATIENT_PANEL])
@pytest.mark.parametrize("flag", ["dual_eligible", "opted_out"])
def test_it_excludes_dual_eligible_and_opt_out_members(report, flag):
    facts = member(**{flag: True}, age=10, currently_admitted=True, last_ed_visit=ON,
                   ed_paid_on=dt.date(2025, 7, 2), inpatient_service_on=ON,
                   inpatient_paid_on=ON, diabetes=Diabetes.TYPE_1, diabetes_reported_on=ON)
    result = check_report(report, facts)
    assert result.why == Why.EXCLUDED
    assert "Excludes Dual Eligible and Opt-Out Members" in result.reasons[0]
    assert result.measures == ()


def test_it_keeps_dual_eligible_and_opt_out_members_on_the_patient_panel():
    result = check_report(R.PATIENT_PANEL, member(dual_eligible=True, opted_out=True))
    assert result.appears
    assert any("dual eligibility status" in note for note in result.notes)


@pytest.mark.parametrize(("admitted", "received", "why"), [
    (True, None, Why.APPEARS),
    (False, dt.date(2025, 7, 16), Why.APPEARS),  # exactly thirty days ago
    (False, dt.date(2025, 7, 15), Why.LOOK_BACK),
    (False, None, Why.POPULATION),
])
def test_it_lists_admissions_and_discharges_within_thirty_days(admitted, received, why):
    facts = member(currently_admitted=admitted, discharge_received_on=received)
    assert check_report(R.DAILY_ADMISSION_DISCHARGE, facts).why == why


@pytest.mark.parametrize(("visit", "paid", "why"), [
    (dt.date(2025, 2, 15), dt.date(2025, 7, 1), Why.APPEARS),  # exactly 6 months; paid July
    (dt.date(2025, 2, 14), dt.date(2025, 7, 31), Why.LOOK_BACK),  # one day over 6 months
    (dt.date(2025, 6, 1), dt.date(2025, 8, 1), Why.LOOK_BACK),  # paid this month, not the prior
    (dt.date(2025, 5, 1), dt.date(2025, 6, 30), Why.LOOK_BACK),  # paid two months ago
    (None, None, Why.POPULATION),
])
def test_it_lists_ed_trips_in_the_previous_6_months_paid_in_the_prior_month(visit, paid, why):
    result = check_report(R.ED_UTILIZATION, member(last_ed_visit=visit, ed_paid_on=paid))
    assert result.why == why
    if why == Why.LOOK_BACK and paid and paid.month != 7:
        assert "prior month, July 2025" in " ".join(result.reasons)


def test_it_counts_the_prior_month_across_new_year():
    facts = member(on=dt.date(2026, 1, 10), last_ed_visit=dt.date(2025, 12, 1),
                   ed_paid_on=dt.date(2025, 12, 31))
    assert check_report(R.ED_UTILIZATION, facts).appears


@pytest.mark.parametrize(("service", "paid", "why"), [
    (dt.date(2024, 8, 15), dt.date(2025, 5, 15), Why.APPEARS),  # exactly 1 year; exactly 3 months
    (dt.date(2024, 8, 14), dt.date(2025, 8, 1), Why.LOOK_BACK),
    (dt.date(2025, 1, 1), dt.date(2025, 5, 14), Why.LOOK_BACK),
    (dt.date(2025, 1, 1), None, Why.LOOK_BACK),
    (None, None, Why.POPULATION),
])
def test_it_lists_inpatient_claims_within_a_year_paid_in_the_last_three_months(service, paid, why):
    facts = member(inpatient_service_on=service, inpatient_paid_on=paid)
    assert check_report(R.INPATIENT_CLAIMS, facts).why == why


def test_it_puts_attribution_before_everything_else_and_lists_every_reason():
    facts = member(on_panel=False, dual_eligible=True, age=80)
    result = check_report(R.ADULT_PREVENTIVE_21_49, facts)
    assert result.why == Why.NOT_ATTRIBUTED
    assert len(result.reasons) == 3
    assert "claims history or self selection" in result.reasons[0]


def test_it_says_the_colorectal_report_is_coming_soon():
    result = check_report(R.COLORECTAL, member(age=50))
    assert result.why == Why.COMING_SOON and not result.appears
    assert "between the ages of 50 to 75" in result.reasons[0]
    assert "in its age band" in result.reasons[0]
    assert "outside its age band" in check_report(R.COLORECTAL, member(age=76)).reasons[0]


def test_it_checks_every_report_at_once():
    assert [c.report for c in check_all(member())] == list(ReportKey)
