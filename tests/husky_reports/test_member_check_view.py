"""The member checker page: specialists only, computes every report, saves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.models import Case, CaseEvent

pytestmark = pytest.mark.django_db

URL = "husky_member_check"
DOB = "1965-06-08"


def post_data(**data: str) -> dict[str, str]:
    return {"check_date": "2025-08-15", "sex": "F", "on_panel": "on", **data}


def test_it_checks_every_report_for_a_member(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(URL), post_data(
        date_of_birth=DOB, diabetes="type_2", diabetes_reported_on="2025-01-10",
        last_hba1c="2025-06-01", last_mammogram="2024-08-14", last_cytology="2022-08-15",
    ))
    assert response.status_code == 200
    rows = {check.report.value: check for check, _slug in response.context["rows"]}
    assert len(rows) == 11
    assert rows["adult_diabetes"].appears
    assert rows["cancer_screenings"].appears
    statuses = {m.name: m.status.value for m in rows["cancer_screenings"].measures}
    assert statuses == {"Breast cancer screening": "Due", "Cervical cancer screening": "Not due"}
    assert not rows["child_diabetes"].appears
    body = response.content.decode()
    assert "a 60-year-old F member" in body
    assert "The member&#x27;s last test or service was over a year ago" in body
    assert "Ages 50-74 (Breast Cancer)" in body  # the header's band, shown beside the rule
    assert 'href="/husky/reports/#report-cancer-screenings"' in body


def test_it_saves_nothing_and_keeps_the_date_of_birth_out_of_the_url(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(URL), post_data(date_of_birth=DOB))
    assert response.status_code == 200
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0
    assert DOB not in response.request["PATH_INFO"] + response.request.get("QUERY_STRING", "")


def test_it_renders_only_the_checker_for_htmx(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(URL), post_data(age="30"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="checker">')
    assert "<html" not in body and "Patient Panel Report" in body


def test_it_shows_clear_errors_and_no_results_for_bad_input(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(URL), {"check_date": "2025-13-40", "sex": "Q", "age": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the fields marked below." in body
    assert "Enter a valid date." in body and "Select a valid choice." in body
    assert "rows" not in response.context or not response.context.get("rows")


def test_it_shows_every_required_error_of_an_empty_form_at_once(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(URL), {"check_date": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Type the age on the check date, or a date of birth." in body
    assert set(response.context["form"].errors) == {"check_date", "sex", "age"}


def test_it_shows_the_empty_form_on_get(client, specialist):
    client.force_login(specialist)
    body = client.get(reverse(URL)).content.decode()
    assert 'for="id_date_of_birth"' in body and "Check every report" in body
    assert 'autocomplete="off"' in body


@pytest.mark.parametrize("role", ["supervisor", "access_user", "outsider"])
def test_it_refuses_other_roles(request, client, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse(URL), post_data(age="30")).status_code == 403


def test_it_sends_anonymous_users_to_login(client):
    for method in (client.get, client.post):
        response = method(reverse(URL))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
