"""The checker's form keeps only what the rules need: a date of birth becomes an age."""

from __future__ import annotations

import datetime as dt

from husky_reports.forms import MemberCheckForm, facts_from, member_form_for
from husky_reports.rules import Diabetes, ReportKey, Sex


def form(**data: str) -> MemberCheckForm:
    return MemberCheckForm(data={"check_date": "2025-08-15", "sex": "F", **data})


def test_it_turns_the_date_of_birth_into_the_age_and_drops_it():
    checked = form(date_of_birth="1950-08-15")
    assert checked.is_valid(), checked.errors
    assert checked.cleaned_data["age"] == 75
    assert "date_of_birth" not in checked.cleaned_data
    assert "1950" not in repr(checked.cleaned_data)


def test_it_counts_the_birthday_on_the_day():
    before = form(date_of_birth="1950-08-16")
    assert before.is_valid() and before.cleaned_data["age"] == 74


def test_it_accepts_an_age_instead():
    checked = form(age="24")
    assert checked.is_valid() and checked.cleaned_data["age"] == 24


def test_it_asks_for_an_age_or_a_date_of_birth():
    checked = form()
    assert not checked.is_valid()
    assert checked.errors["age"] == ["Type the age on the check date, or a date of birth."]


def test_it_refuses_an_age_that_disagrees_with_the_date_of_birth():
    checked = form(date_of_birth="1950-08-15", age="74")
    assert not checked.is_valid()
    assert "makes the member 75" in checked.errors["age"][0]


def test_it_refuses_dates_after_the_check_date():
    checked = form(age="40", date_of_birth="2025-08-16", last_mammogram="2025-09-01")
    assert not checked.is_valid()
    assert checked.errors["last_mammogram"] == ["This date is after the check date."]
    assert checked.errors["date_of_birth"] == ["This date is after the check date."]


def test_it_refuses_a_claim_paid_before_its_date_of_service():
    checked = form(age="40", last_ed_visit="2025-07-10", ed_paid_on="2025-07-01")
    assert not checked.is_valid()
    assert "paid before the date of service" in checked.errors["ed_paid_on"][0]


def test_it_refuses_nonsense_without_raising():
    checked = MemberCheckForm(data={"check_date": "yesterday", "sex": "X", "age": "-3"})
    assert not checked.is_valid()
    assert set(checked.errors) >= {"check_date", "sex", "age"}


def test_it_reports_every_error_of_an_empty_form_in_one_round():
    checked = MemberCheckForm(data={})
    assert not checked.is_valid()
    assert set(checked.errors) == {"check_date", "sex", "age"}
    assert checked.errors["age"] == ["Type the age on the check date, or a date of birth."]


def test_it_keeps_the_date_of_birth_out_of_cleaned_data_without_a_check_date():
    checked = MemberCheckForm(data={"date_of_birth": "1950-08-15", "sex": "F"})
    assert not checked.is_valid()
    assert "date_of_birth" not in checked.cleaned_data
    assert "age" not in checked.errors  # the date of birth will give it


def test_it_does_not_ask_whether_a_member_missing_from_the_patient_panel_is_on_it():
    panel = set(member_form_for(ReportKey.PATIENT_PANEL).base_fields)
    assert "on_panel" not in panel
    assert {"self_selected_on", "last_pcp_visit_on", "visit_by_flagged_pcp"} <= panel
    assert "on_panel" in member_form_for(ReportKey.ADULT_DIABETES).base_fields


def test_it_reads_facts_back_from_stored_json_answers():
    facts = facts_from({"check_date": "2025-08-15", "age": 60, "sex": "F", "diabetes": "type_2",
                        "last_mammogram": "2024-08-15", "opted_out": True, "last_hpv": None})
    assert facts.on == dt.date(2025, 8, 15) and facts.sex == Sex.FEMALE
    assert facts.diabetes == Diabetes.TYPE_2 and facts.opted_out
    assert facts.last_mammogram == dt.date(2024, 8, 15) and facts.last_hpv is None


def test_it_cuts_the_form_down_to_one_reports_fields():
    fields = set(member_form_for(ReportKey.INPATIENT_CLAIMS).base_fields)
    assert {"age", "date_of_birth", "sex", "dual_eligible", "on_panel", "inpatient_paid_on"} <= fields
    assert "last_mammogram" not in fields and "last_ed_visit" not in fields
    assert "last_mammogram" in MemberCheckForm.base_fields


def test_it_asks_for_no_name_and_no_id():
    for name, field in MemberCheckForm.base_fields.items():
        assert "name" not in name and "id" not in name.split("_"), name
        assert "client id" not in str(field.label).lower()
