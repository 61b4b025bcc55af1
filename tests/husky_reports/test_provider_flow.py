"""The 'husky-provider-portal' flow walked through the real services, one test per outcome;
every outcome quotes seed 003, and a date of birth never reaches the case."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from husky_reports.dates import add_months
from husky_reports.flows import HUSKY_PROVIDER_PORTAL
from supportdesk.engine import Disposition, Outcome
from supportdesk.models import Case, CaseEvent
from tests.factories import make_case

pytestmark = pytest.mark.django_db
FLOW_KEY = "husky-provider-portal"
TODAY = timezone.localdate()


def need(choice: str) -> list[tuple[str, dict]]:
    return [("need", {"choice": choice})]


def member(report: str, **fields: object) -> list[tuple[str, dict]]:
    step = f"member_{report}"
    data = {"check_date": TODAY.isoformat(), "sex": "F", **fields}
    return [*need("missing_member"), ("missing_report", {"choice": report}),
            (step, {f"{step}-{name}": value for name, value in data.items()})]


def years_ago(years: int, days: int = 0) -> str:
    return (add_months(TODAY, -12 * years) - dt.timedelta(days=days)).isoformat()


LOGIN = [*need("login"), ("login", {})]
TO_REPORT_TYPE = [*need("open_report"), ("report_type", {})]

PATHS: dict[str, tuple[list[tuple[str, dict]], Disposition, tuple[str, ...]]] = {
    "out_forgot": ([*LOGIN, ("login_result", {"choice": "forgot"})], Disposition.SELF_SERVICE,
                   ("Forgot your username or password?", "1.877.606.5172 - prompt 1")),
    "out_register": (need("register"), Disposition.SELF_SERVICE,
                     ("New user? Register here", "www.huskyhealthct.org/providers",
                      "huskyhealthct.otg")),
    "out_web_support": ([*need("start"), ("website", {}), ("login", {}),
                         ("login_result", {"choice": "in"}), ("reports_data", {}),
                         ("reports_data_result", {"choice": "alert"})],
                        Disposition.SELF_SERVICE,
                        ("Click on ‘Web Support’ to fill out a brief request access form",
                         "WebSupport@chnct.org")),
    "out_report_found": ([*LOGIN, ("login_result", {"choice": "in"}), ("reports_data", {}),
                          ("reports_data_result", {"choice": "landing"}), ("report_type", {}),
                          ("report_result", {"choice": "found"})], Disposition.ANSWERED,
                         ("You must scroll down to the bottom of the page to see your reports",)),
    "out_help_guides": ([*TO_REPORT_TYPE, ("report_result", {"choice": "help"})],
                        Disposition.SELF_SERVICE,
                        ("‘Report Help Guides’ are located above the actual reports",)),
    "out_portal_support": ([*TO_REPORT_TYPE, ("report_result", {"choice": "not_listed"})],
                           Disposition.REFERRED,
                           ("1.877.606.5172 - prompt 1", "Email: WebSupport@chnct.org")),
    "out_report_info": ([*need("which_report"), ("which_report", {"choice": "ed_utilization"})],
                        Disposition.ANSWERED,
                        ("during the previous 6 months for emergent or non-emergent care paid "
                         "in the prior month", "Reports/Data > Report Type")),
    "out_coming_soon": ([*need("missing_member"), ("missing_report", {"choice": "colorectal"})],
                        Disposition.ANSWERED, ("between the ages of 50 and 75",)),
    "out_not_attributed": (member("patient_panel", age=40), Disposition.ANSWERED,
                           ("Members are attributed to a PCP by claims history or self "
                            "selection", "Attribution is refreshed monthly")),
    "out_attribution_pending": (member("patient_panel", age=40, self_selected_on=TODAY),
                                Disposition.ANSWERED, ("from the next refresh",)),
    "out_excluded": (member("adult_preventive_21_49", age=30, on_panel="on", dual_eligible="on"),
                     Disposition.ANSWERED, ("Excludes Dual Eligible and Opt-Out Members",)),
    "out_population": (member("adult_diabetes", age=17, on_panel="on", diabetes="type_1",
                              diabetes_reported_on=TODAY), Disposition.ANSWERED,
                       ("Members ages 18 to 75 with a diabetes diagnosis",
                        "ages 18 to 75; the member is 17")),
    "out_look_back": (member("adult_diabetes", age=40, on_panel="on", diabetes="type_2",
                             diabetes_reported_on=years_ago(2, days=1)), Disposition.ANSWERED,
                      ("reported within the last two years",)),
    "out_should_appear": (member("cancer_screenings", age=60, on_panel="on",
                                 last_mammogram=years_ago(1, days=1)),
                          Disposition.REFERRED,
                          ("Breast cancer screening: Due", "Ages 50-74 (Breast Cancer)",
                           "1.877.606.5172 - prompt 1", "PCP's TIN")),
    "out_shared": ([*need("sensitive"), ("sharing", {"sharing-information": "hiv",
                                                      "sharing-consent_on_file": "on"})],
                   Disposition.ANSWERED, ("for treatment and care management purposes",)),
    "out_opted_out": ([*need("sensitive"), ("sharing", {"sharing-information": "medical",
                                                         "sharing-opted_out": "on"})],
                      Disposition.ANSWERED, ("Opt Out",)),
    "out_consent_needed": ([*need("sensitive"),
                            ("sharing", {"sharing-information": "behavioral_health"})],
                           Disposition.ANSWERED,
                           ("Consent to Disclose Sensitive Health Information Form",
                            "Sharing_Sensitive_PHI_Consent_Form.pdf",
                            "Send completed forms to HUSKY Health for processing")),
    "out_icm": (need("icm"), Disposition.REFERRED,
                ("1.800.440.5071, extension 2024", "Fax 1.866.361.7242",
                 "voluntary, person-centered program")),
    "out_clear_coverage": ([*need("contact"), ("which_contact", {"choice": "clear_coverage"})],
                           Disposition.REFERRED,
                           ("1.877.606.5172 - prompt 3", "Clearcoveragehelpdesk@chnct.org")),
    "out_careportal": ([*need("contact"), ("which_contact", {"choice": "careportal"})],
                       Disposition.REFERRED,
                       ("1.877.606.5172 - prompt 4", "https://chnct.careportal.com/")),
    "out_careanalyzer": ([*need("contact"), ("which_contact", {"choice": "careanalyzer"})],
                         Disposition.REFERRED,
                         ("CareAnalyzer@chnct.org", "Networkmanagement@chnct.org")),
    "out_call_center": ([*need("contact"), ("which_contact", {"choice": "call_center"})],
                        Disposition.REFERRED, ("1.800.440.5071", "Fax 1.855.755.0855")),
}


@pytest.mark.parametrize("outcome_key", list(PATHS))
def test_it_reaches_each_outcome_quoting_the_seed(specialist, outcome_key):
    answers, disposition, quotes = PATHS[outcome_key]
    case = make_case(specialist, FLOW_KEY, answers)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.outcome_key == outcome_key
    assert case.disposition == disposition
    shown = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.OUTCOME).shown
    for quote in quotes:
        assert quote in shown, f"{quote!r} not in:\n{shown}"


def test_it_walks_to_every_outcome_of_the_flow():
    outcomes = {step.key for step in HUSKY_PROVIDER_PORTAL.steps if isinstance(step, Outcome)}
    assert outcomes == set(PATHS)


def test_it_keeps_the_date_of_birth_out_of_the_case_and_its_transcript(specialist):
    dob = add_months(TODAY, -12 * 70) - dt.timedelta(days=3)
    case = make_case(specialist, FLOW_KEY, member("cancer_screenings", date_of_birth=dob.isoformat(),
                                                   on_panel="on"))
    case.refresh_from_db()
    answers = case.answers["member_cancer_screenings"]
    assert "date_of_birth" not in answers
    assert answers["age"] == 70
    stored = json.dumps(case.answers) + "".join(
        f"{e.shown}{e.answer}{json.dumps(e.value)}" for e in case.events.all())
    for written in (dob.isoformat(), dob.strftime("%m/%d/%Y"), f"{dob:%-m/%-d/%Y}"):
        assert written not in stored


def test_it_refuses_an_invalid_member_form_without_moving_on(specialist):
    from supportdesk import services

    case = make_case(specialist, FLOW_KEY, member("patient_panel", age=41)[:2])
    result = services.case_answer(case=case, user=specialist, step_key="member_patient_panel",
                                  data={"member_patient_panel-check_date": TODAY.isoformat(),
                                        "member_patient_panel-sex": "F"})
    assert not result.ok
    assert "age" in result.form.errors
    case.refresh_from_db()
    assert case.current_step == "member_patient_panel" and "member_patient_panel" not in case.answers


def test_it_draws_the_flow_for_supervisors(client, supervisor):
    from django.urls import reverse

    client.force_login(supervisor)
    response = client.get(reverse("flow_map", args=[FLOW_KEY]))
    assert response.status_code == 200
    assert "member_cancer_screenings" in response.content.decode()


def test_it_passes_the_flow_checks():
    from supportdesk.checks import check_flow

    assert check_flow(HUSKY_PROVIDER_PORTAL) == []
