"""Flows 2 to 4: employer and agent troubleshooting, and the questions that are not EC at all."""

from __future__ import annotations

import pytest

from ec_access.models import ECRequest
from supportdesk import services
from supportdesk.engine import registry
from tests.ec_access.make import make_eligible_group, make_group, make_product
from tests.factories import make_case

pytestmark = pytest.mark.django_db

EMPLOYER, AGENT, QUESTIONS = "ec-employer-cannot-see", "ec-agent-cannot-see", "ec-questions"
ALL_ON_APP = ("7125", "7126", "8581")
INCIDENT = {
    "incident_details-paa_name": "Jo Paa", "incident_details-aka_name": "jsmith",
    "incident_details-description": "Reports tab is empty",
    "incident_details-url": "https://employer.humana.com/reports",
    "incident_details-screenshots": "on",
}


def group_answer(group):
    return ("group", {"group-group_number": group.group_number})


def granted_group(functions=ALL_ON_APP, **fields):
    group, sl_app = make_eligible_group(**fields)
    sl_app.ec_identifier = group.ec_number
    sl_app.save()
    sl_app.business_functions.set(sl_app.business_functions.model.objects.filter(code__in=functions))
    return group, sl_app


def closed(case, key):
    case.refresh_from_db()
    assert (case.status, case.outcome_key) == ("closed", key)
    return case.events.get(kind="outcome").shown


# Flow 2: the employer cannot see EC reports.

def test_it_offers_the_two_options_for_several_group_numbers(specialist, on_day):
    group, sl_app = make_eligible_group()
    second = make_group("620002", name="FUSION WEST")
    make_product(second, "go365")
    sl_app.other_groups.add(second)
    case = make_case(specialist, EMPLOYER, [group_answer(group)])
    assert case.current_step == "multi_group_options"
    text = registry.get(EMPLOYER).step("multi_group_options").render_text(services.flow_state(case))
    assert "can only access Enterprise Customer reports for one group" in text
    shown = closed(make_case(specialist, EMPLOYER, [group_answer(group), ("multi_group_options", {"choice": "independent"})]),
                   "out_independent_logons")
    assert "Registration Reserve" in shown
    cec = make_case(specialist, EMPLOYER, [group_answer(group), ("multi_group_options", {"choice": "cec"})])
    assert "620002 FUSION WEST" in cec.artifacts["cec_email"]["body"]
    assert cec.artifacts["cec_email"]["to"] == "crc@humana.com"
    cec = services.case_answer(case=cec, user=specialist, step_key="cec_email", data={}).case
    assert "group contact/user information" in closed(cec, "out_cec")


def test_it_sends_a_group_without_the_ec_to_the_request_flow(specialist, on_day):
    group, _ = make_eligible_group()
    closed(make_case(specialist, EMPLOYER, [group_answer(group)]), "out_no_ec")


def test_it_has_access_management_verify_missing_functions(specialist, on_day):
    group, sl_app = granted_group(functions=("7125", "7126"))
    case = make_case(specialist, EMPLOYER, [group_answer(group)])
    body = case.artifacts["verify_incident"]["body"]
    assert "not on the SL app: 8581" in body and f"SL App ID: {sl_app.sl_app_number}" in body
    case = services.case_answer(case=case, user=specialist, step_key="verify_incident", data={}).case
    assert "verify all business functions" in closed(case, "out_verify_incident")
    assert case.disposition == "incident"


def test_it_sends_a_function_missing_from_the_report_to_customer_reporting(specialist, on_day):
    group, _ = granted_group()  # 45 employees: no HSI on the report
    case = make_case(specialist, EMPLOYER, [group_answer(group),
                                            ("missing_report", {"choice": "Humana Smart Insights (HSI)"})])
    assert "CRC@humana.com" in closed(case, "out_bf_not_on_report")
    assert "Access Management will not be able to add it" in closed(case, "out_bf_not_on_report")


MEMBER_ENGAGEMENT = ("missing_report", {"choice": "Go365 Member Engagement Report"})


def test_it_lists_the_delegations_a_secondary_user_lacks(specialist, on_day):
    group, _ = granted_group()
    case = make_case(specialist, EMPLOYER, [
        group_answer(group), MEMBER_ENGAGEMENT, ("user_role", {"choice": "secondary"}),
        ("delegations", {"delegations-delegated": ["Activity Report Vitality", "Wellness"]}),
    ])
    shown = closed(case, "out_delegation")
    assert "Missing: Contribution Manager Report Vitality, Grp Medical Membership Snapshot" in shown
    assert "Assign Web Access Rights" in shown


def test_it_tells_a_secondary_user_a_report_is_paa_only(specialist, on_day):
    group, _ = granted_group()
    case = make_case(specialist, EMPLOYER, [
        group_answer(group), ("missing_report", {"choice": "Group Medical Membership Snapshot"}),
        ("user_role", {"choice": "secondary"}), ("delegations", {}),
    ])
    closed(case, "out_paa_only")


def test_it_walks_zoom_emulation_and_writes_the_sre_incident(specialist, on_day):
    group, _ = granted_group()
    case = make_case(specialist, EMPLOYER, [
        group_answer(group), MEMBER_ENGAGEMENT, ("user_role", {"choice": "paa"}),
        ("zoom", {}), ("zoom_result", {"choice": "not_fixed"}), ("emulation", {"choice": "displaying"}),
        ("recreate", {"choice": "confirmed"}), ("incident_details", INCIDENT),
    ])
    body = case.artifacts["incident"]["body"]
    for line in ("SRE_WebPortals", f"Group Name and Number: {group.name} {group.group_number}",
                 "Employer PAA Name: Jo Paa", "AKA Name of effected user: jsmith",
                 "URL for page on which the error is occurring: https://employer.humana.com/reports",
                 "Detailed description of error or issue that is occurring: Reports tab is empty",
                 "Screen shots attached and documented in description: yes"):
        assert line in body
    case = services.case_answer(case=case, user=specialist, step_key="incident", data={}).case
    assert "Keep your case open" in closed(case, "out_incident")


def test_it_requires_the_screenshots_before_the_incident(specialist, on_day):
    group, _ = granted_group()
    case = make_case(specialist, EMPLOYER, [
        group_answer(group), MEMBER_ENGAGEMENT, ("user_role", {"choice": "paa"}), ("zoom", {}),
        ("zoom_result", {"choice": "not_fixed"}), ("emulation", {"choice": "not_displaying"}),
    ])
    result = services.case_answer(case=case, user=specialist, step_key="incident_details",
                                  data={**INCIDENT, "incident_details-screenshots": ""})
    assert "Attach the screen shots" in result.form.errors["screenshots"][0]


def test_it_closes_when_the_zoom_fixes_it(specialist, on_day):
    group, _ = granted_group()
    case = make_case(specialist, EMPLOYER, [group_answer(group), MEMBER_ENGAGEMENT,
                                            ("user_role", {"choice": "paa"}), ("zoom", {}),
                                            ("zoom_result", {"choice": "fixed"})])
    assert "Reports tab" in closed(case, "out_fixed")


# Flow 3: the agent cannot see EC reports.

def agent_case(user, group, *answers):
    return make_case(user, AGENT, [group_answer(group), *answers])


def test_it_tells_a_writing_agent_they_are_not_in_scope(specialist, on_day):
    group, _ = make_eligible_group()
    assert "not in scope" in closed(agent_case(specialist, group, ("agent_role", {"choice": "wa"})), "out_wa")


def test_it_loops_back_after_verifying_the_username(specialist, on_day):
    group, _ = make_eligible_group()
    case = agent_case(specialist, group, ("agent_role", {"choice": "unsure"}), ("verify_username", {}))
    assert case.current_step == "agent_role"


def test_it_needs_the_aor_paa_to_delegate(specialist, on_day):
    group, _ = make_eligible_group()
    closed(agent_case(specialist, group, ("agent_role", {"choice": "secondary"}),
                      ("secondary_access", {"choice": "no"})), "out_aor_delegate")


def test_it_redirects_an_agent_from_employer_self_service(specialist, on_day):
    group, _ = make_eligible_group()
    shown = closed(agent_case(specialist, group, ("agent_role", {"choice": "aor_paa"}),
                              ("portal", {"choice": "employer_portal"})), "out_wrong_portal")
    assert "Agents DO NOT access these reports through Employer Self-Service" in shown
    assert "Quote, Enroll & Manage > Manage Active Groups" in shown


def test_it_asks_identity_access_management_to_remove_an_ec_from_a_pseudo_app(specialist, on_day):
    group, _ = make_eligible_group()
    case = agent_case(specialist, group, ("agent_role", {"choice": "aor_paa"}),
                      ("portal", {"choice": "links_in_employer_portal"}), ("pseudo_incident", {}))
    closed(case, "out_pseudo_incident")
    assert "remove the EC business functions from the pseudo application" in case.artifacts["pseudo_incident"]["body"]


@pytest.mark.parametrize(("employees", "step"), [(100, "out_hsi_threshold"), (101, "zoom")])
def test_it_applies_the_hsi_threshold(specialist, on_day, employees, step):
    group, _ = make_eligible_group(employees_enrolled=employees)
    case = agent_case(specialist, group, ("agent_role", {"choice": "aor_paa"}),
                      ("portal", {"choice": "agent_portal"}),
                      ("which_report", {"choice": "Humana Smart Insights (HSI)"}))
    case.refresh_from_db()
    assert case.current_step == step
    if step == "out_hsi_threshold":
        assert "over 100" in closed(case, step) and "less than 100" in closed(case, step)


def test_it_raises_an_incident_for_the_mer_dropdown(specialist, on_day):
    group, _ = make_eligible_group()
    case = agent_case(specialist, group, ("agent_role", {"choice": "aor_paa"}),
                      ("portal", {"choice": "agent_portal"}), ("which_report", {"choice": "dropdown"}),
                      ("dropdown_incident", {}))
    closed(case, "out_dropdown_incident")


def test_it_writes_the_agent_incident_with_the_agent_fields(specialist, on_day):
    group, _ = make_eligible_group()
    case = agent_case(specialist, group, ("agent_role", {"choice": "aor_paa"}),
                      ("portal", {"choice": "agent_portal"}),
                      ("which_report", {"choice": "Go365 NCQA Report"}), ("zoom", {}),
                      ("zoom_result", {"choice": "not_fixed"}), ("recreate", {"choice": "confirmed"}),
                      ("incident_details", {**INCIDENT, "incident_details-agent_san": "AB1234"}),
                      ("incident", {}))
    closed(case, "out_incident")
    assert "Agent SAN ID: AB1234" in case.artifacts["incident"]["body"]
    assert "Agent PAA Name: Jo Paa" in case.artifacts["incident"]["body"]


def test_it_closes_when_the_agent_sees_the_reports(specialist, on_day):
    group, _ = make_eligible_group()
    closed(agent_case(specialist, group, ("agent_role", {"choice": "aor_paa"}),
                      ("portal", {"choice": "agent_portal"}),
                      ("which_report", {"choice": "Go365 Summary Report"}), ("zoom", {}),
                      ("zoom_result", {"choice": "fixed"})), "out_fixed")


# Flow 4: not EC at all.

@pytest.mark.parametrize(("choice", "key", "quote"), [
    ("wei", "out_wei", "WEI is a default function available to small medical groups"),
    ("summary", "out_summary", "only available for internal self-service via go/CRExcellence"),
])
def test_it_answers_questions_that_need_no_request(specialist, choice, key, quote):
    case = make_case(specialist, QUESTIONS, [("question", {"choice": choice})])
    assert quote in closed(case, key)
    assert not ECRequest.objects.exists()


def test_it_names_the_business_function_of_a_report(specialist):
    case = make_case(specialist, QUESTIONS, [("question", {"choice": "which_bf"}),
                                             ("which_report", {"choice": "Go365 Taxable Redemption Report"})])
    shown = closed(case, "out_report")
    assert "7125, 7126" in shown and "Only available for the employer group PAA" in shown


@pytest.mark.parametrize("flow_key", [EMPLOYER, AGENT, QUESTIONS])
def test_every_outcome_has_a_test(flow_key):
    outcomes = {s.key for s in registry.get(flow_key).steps if s.kind == "outcome"}
    source = open(__file__).read()
    assert {key for key in outcomes if f'"{key}"' not in source} == set()
