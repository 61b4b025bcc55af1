"""A case's subject fields are declared by the apps (EC access: the group and its SL app), kept
in Case.subject, checked by their own form fields, and found by the supervisor's search; the
core's Case model names no domain app's fields or permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supportdesk import subjects
from supportdesk.models import Case
from tests.factories import make_case


def test_the_ec_app_declares_the_group_and_its_sl_app_in_that_order():
    assert [(f.name, f.short, f.listed) for f in subjects.subject_fields()] == [
        ("group_number", "Group", True), ("sl_app_number", "SL app", False)]


def test_the_core_case_model_holds_no_ec_field_or_permission():
    names = {field.name for field in Case._meta.get_fields()}
    assert not names & {"group_number", "sl_app_number"} and "subject" in names
    assert "work_ec_queue" not in {codename for codename, _ in Case._meta.permissions}


def test_it_keeps_what_was_typed_stripped_and_leaves_empty_fields_out():
    assert subjects.clean_subject({"group_number": " 824751 ", "sl_app_number": ""}) == {
        "group_number": "824751"}


def test_it_refuses_a_value_by_its_fields_rules_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        subjects.clean_subject({"group_number": "12ab", "sl_app_number": "55500130000000"})
    assert refused.value.message_dict == {
        "group_number": ["A group number is 6 to 8 digits, for example 824751."],
        "sl_app_number": ["An SL application number is 4 to 12 digits.",
                          "Ensure this value has at most 12 characters (it has 14)."],
    }


def test_a_name_no_app_declared_is_a_programming_error():
    with pytest.raises(ValueError, match="Not subject fields: member_id"):
        subjects.clean_subject({"member_id": "H123"})


def test_it_describes_the_subject_in_a_sentence():
    subject = {"sl_app_number": "5550013", "group_number": "824751"}
    assert subjects.described(subject) == "group 824751, SL app 5550013"
    assert subjects.described(subject, listed_only=True) == "group 824751"
    assert subjects.described({}) == ""


@pytest.mark.django_db
def test_the_supervisor_finds_cases_by_the_group_they_name(specialist):
    wanted = make_case(specialist, "ec-employer-access", group_number="824751")
    make_case(specialist, "ec-employer-access", group_number="824752")
    make_case(specialist, "ec-employer-access", sl_app_number="824751")  # not a listed field
    found = Case.objects.filter(subjects.matching("group_number", "824751"))
    assert list(found) == [wanted]


@pytest.mark.django_db
def test_the_case_pages_show_the_subject_the_case_holds(specialist, client):
    case = make_case(specialist, "ec-employer-cannot-see", group_number="999999",
                     sl_app_number="5550013")
    client.force_login(specialist)
    page = client.get(reverse("my_cases")).content.decode()
    assert '<th scope="col">Group</th>' in page and '<td data-label="Group">999999</td>' in page
    assert case.subject_all[1][1] == "5550013" and case.subject_text == "group 999999"
