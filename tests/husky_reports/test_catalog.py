"""The report catalog: loaded from the seed by a migration, editable in admin, searchable from a
specialist's question."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from husky_reports.models import Report, ReportFamily
from husky_reports.rules import ReportKey

pytestmark = pytest.mark.django_db


def test_it_loads_every_report_the_seed_lists_by_family():
    families = {f.name: [r.name for r in f.reports.all()] for f in ReportFamily.objects.all()}
    assert families == {
        "Gaps in Care Reports": [
            "Adult Diabetes Screening Tests", "Adult Preventive Visits Age 21-49",
            "Adult Preventive Visits Age 50-64", "Cancer Screenings",
            "Child Diabetes Screening Tests", "Child Well-Care Visits",
            "Colorectal Cancer Screening - Gaps in Care",
        ],
        "Utilization Reports": ["Daily Admission and Discharge Report", "ED Utilization Report",
                                "Inpatient Claims Report"],
        "Panel Reports": ["Patient Panel Report"],
    }
    assert {r.rule_key for r in Report.objects.all()} == {key.value for key in ReportKey}
    assert list(Report.objects.filter(coming_soon=True).values_list("rule_key", flat=True)) == [
        "colorectal"]


def test_it_keeps_the_seeds_look_back_windows_and_exclusions():
    diabetes = Report.objects.get(rule_key="adult_diabetes")
    assert [str(w) for w in diabetes.look_back_windows.all()] == [
        "Diabetes diagnosis or diabetic prescription: reported within the last two years"]
    assert diabetes.exclusions == "Dual Eligible and Opt-Out Members"
    assert Report.objects.get(rule_key="patient_panel").exclusions == ""
    inpatient = Report.objects.get(rule_key="inpatient_claims")
    assert [w.window for w in inpatient.look_back_windows.all()] == [
        "within 1 year", "paid in the last three months"]


@pytest.mark.parametrize(("question", "first"), [
    ("which report shows ED visits?", "ED Utilization Report"),
    ("where do I see emergency room trips", "ED Utilization Report"),
    ("mammogram", "Cancer Screenings"),
    ("members discharged from the hospital", "Daily Admission and Discharge Report"),
    ("who is attributed to my practice", "Patient Panel Report"),
    ("A1c", "Adult Diabetes Screening Tests"),
    ("colonoscopy", "Colorectal Cancer Screening - Gaps in Care"),
])
def test_it_finds_the_right_report_from_a_question(client, specialist, question, first):
    client.force_login(specialist)
    response = client.post(reverse("husky_catalog"), {"q": question})
    assert response.status_code == 200
    assert response.context["matches"][0].name == first


def test_it_says_when_nothing_matches(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse("husky_catalog"), {"q": "zebra"})
    assert response.context["matches"] == []
    assert "No report matches" in response.content.decode()


def test_it_searches_by_post_with_csrf_and_ignores_a_question_in_the_url(client, specialist):
    client.force_login(specialist)
    body = client.get(reverse("husky_catalog")).content.decode()
    assert '<form method="post" class="filters card" role="search"' in body
    assert "csrfmiddlewaretoken" in body
    response = client.get(reverse("husky_catalog"), {"q": "mammogram"})
    assert response.context["question"] == "" and response.context["matches"] == []
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(specialist)
    assert strict.post(reverse("husky_catalog"), {"q": "mammogram"}).status_code == 403


@pytest.mark.parametrize("question", [
    "Janine Okonkwo-Smith", "okonkwo-smith, Janine", "H12345678", "member 1234567",
    "02/19/1958",
])
def test_it_refuses_what_looks_like_a_member_name_or_id(client, specialist, question):
    client.force_login(specialist)
    response = client.post(reverse("husky_catalog"), {"q": question})
    assert response.status_code == 200
    assert response.context["matches"] == []
    assert "That looks like a member&#x27;s name or ID." in response.content.decode()


def test_it_shows_the_catalog_the_rules_and_the_key_contacts(client, specialist):
    client.force_login(specialist)
    body = client.get(reverse("husky_catalog")).content.decode()
    for text in (
        "Gaps in Care Reports", "Members ages 18 to 75 with a diabetes diagnosis",
        "Ages 50-74 (Breast Cancer)", "52 to 74", "Coming soon",
        "Attribution by claims history based on: 15 months of claims history",
        "1.877.606.5172 - prompt 1", "WebSupport@chnct.org", "1.800.440.5071, extension 2024",
        "Sharing_Sensitive_PHI_Consent_Form.pdf", "You must scroll down to the bottom",
    ):
        assert text in body, text


def test_it_shows_a_corrected_catalog_entry(client, specialist):
    Report.objects.filter(rule_key="ed_utilization").update(population="Edited in admin")
    client.force_login(specialist)
    assert "Edited in admin" in client.get(reverse("husky_catalog")).content.decode()


def test_it_lets_supervisors_read_the_catalog(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("husky_catalog"))
    assert response.status_code == 200
    assert "Member checker" not in response.content.decode()


@pytest.mark.parametrize("role", ["access_user", "outsider"])
def test_it_refuses_other_roles(request, client, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("husky_catalog")).status_code == 403


def test_it_sends_anonymous_users_to_login(client):
    response = client.get(reverse("husky_catalog"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_edits_the_catalog_in_admin(admin_client):
    report = Report.objects.get(rule_key="cancer_screenings")
    response = admin_client.get(reverse("admin:husky_reports_report_change", args=[report.pk]))
    assert response.status_code == 200
    assert "Breast: ‘Due’" in response.content.decode()
    assert admin_client.get(reverse("admin:husky_reports_report_changelist")).status_code == 200
