"""Breast and cervical screening status, exactly as seed 003 words it (Cancer Screenings)."""

from __future__ import annotations

import datetime as dt

import pytest

from husky_reports.rules import (
    BREAST_BAND_NOTE,
    Sex,
    Status,
    breast_screening,
    cervical_screening,
)

ON = dt.date(2025, 8, 15)
F, M = Sex.FEMALE, Sex.MALE


def breast(age=60, sex=F, mastectomy=False, last=None):
    return breast_screening(sex=sex, age=age, mastectomy=mastectomy, last_mammogram=last, on=ON)


def cervical(age=40, sex=F, hysterectomy=False, cytology=None, hpv=None):
    return cervical_screening(sex=sex, age=age, hysterectomy=hysterectomy, last_cytology=cytology,
                              last_hpv=hpv, on=ON)


def test_it_marks_breast_due_without_a_record_of_a_previous_test():
    result = breast(last=None)
    assert result.status == Status.DUE
    assert "no record of a previous test" in result.reason


@pytest.mark.parametrize(("last", "status"), [
    (dt.date(2024, 8, 15), Status.NOT_DUE),  # exactly one year ago is not over a year ago
    (dt.date(2024, 8, 14), Status.DUE),  # one day more is
    (dt.date(2025, 8, 15), Status.NOT_DUE),
])
def test_it_marks_breast_due_when_the_last_test_was_over_a_year_ago(last, status):
    assert breast(last=last).status == status


@pytest.mark.parametrize(("age", "applies"), [(51, False), (52, True), (74, True), (75, False)])
def test_it_applies_breast_screening_to_females_52_to_74(age, applies):
    assert (breast(age=age).status != Status.NOT_APPLICABLE) is applies


@pytest.mark.parametrize("age", [50, 51])
def test_it_notes_the_headers_50_to_74_band_for_ages_50_and_51(age):
    result = breast(age=age)
    assert result.status == Status.NOT_APPLICABLE
    assert result.note == BREAST_BAND_NOTE and "Ages 50-74" in result.note


def test_it_leaves_out_mastectomy_history_and_males():
    assert breast(mastectomy=True).status == Status.NOT_APPLICABLE
    assert "mastectomy" in breast(mastectomy=True).reason
    assert breast(sex=M).status == Status.NOT_APPLICABLE
    assert breast(sex=M, age=50).note == ""


@pytest.mark.parametrize(("age", "applies"), [(23, False), (24, True), (64, True), (65, False)])
def test_it_applies_cervical_screening_to_females_24_to_64(age, applies):
    assert (cervical(age=age).status != Status.NOT_APPLICABLE) is applies


def test_it_leaves_out_hysterectomy_history_and_males():
    assert "hysterectomy" in cervical(hysterectomy=True).reason
    assert cervical(hysterectomy=True).status == Status.NOT_APPLICABLE
    assert cervical(sex=M).status == Status.NOT_APPLICABLE


@pytest.mark.parametrize(("cytology", "status"), [
    (None, Status.DUE),
    (dt.date(2022, 8, 15), Status.NOT_DUE),  # exactly three years ago: not over 3 years
    (dt.date(2022, 8, 14), Status.DUE),
])
def test_it_marks_cervical_due_over_three_years_or_without_a_record(cytology, status):
    assert cervical(cytology=cytology).status == status


@pytest.mark.parametrize(("cytology", "hpv", "status"), [
    (dt.date(2020, 8, 15), dt.date(2020, 8, 15), Status.NOT_DUE),  # both exactly five years
    (dt.date(2020, 8, 14), dt.date(2021, 1, 1), Status.DUE),  # cytology one day too old
    (dt.date(2021, 1, 1), dt.date(2020, 8, 14), Status.DUE),  # HPV one day too old
    (dt.date(2021, 1, 1), None, Status.DUE),  # no HPV test
    (None, dt.date(2024, 1, 1), Status.DUE),  # an HPV test alone is no cytology test
])
def test_it_keeps_cervical_not_due_with_hpv_and_cytology_within_five_years(cytology, hpv, status):
    result = cervical(cytology=cytology, hpv=hpv)
    assert result.status == status
    if status == Status.NOT_DUE:
        assert "HPV testing within the last 5 years" in result.reason


def test_it_refuses_a_test_after_the_check_date():
    with pytest.raises(ValueError):
        breast(last=dt.date(2025, 8, 16))
