"""The EC flows ask the group once, on the start form, with their group step's own form: an
unknown group is refused there (nothing saved); a known one opens the case past the group step,
with the same transcript and audit as answering the step on its own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk.models import AuditEntry, Case
from tests.ec_access.make import make_eligible_group
from tests.factories import make_case
from tests.pages import HTMX

pytestmark = pytest.mark.django_db

FLOW = "ec-employer-access"
EC_FLOWS = ["ec-employer-access", "ec-employer-cannot-see", "ec-agent-cannot-see"]


@pytest.fixture
def signed_in(client, specialist):
    client.force_login(specialist)
    return client


def open_url(flow_key: str = FLOW) -> str:
    return reverse("case_open", args=[flow_key])


@pytest.mark.parametrize("flow_key", EC_FLOWS)
def test_the_start_form_asks_the_group_steps_own_fields_once(signed_in, flow_key):
    html = signed_in.get(open_url(flow_key)).content.decode()
    assert html.count('name="group-group_number"') == 1
    assert 'name="group-sl_app_number"' in html
    assert 'name="group_number"' not in html and 'name="sl_app_number"' not in html


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_an_unknown_group_is_refused_on_the_start_form_and_nothing_is_saved(signed_in, headers):
    response = signed_in.post(open_url(), {"caller_type": "employer",
                                           "group-group_number": "999999"}, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No employer group 999999 in SupportDesk&#x27;s data." in html
    assert 'value="999999"' in html  # what was typed stays
    assert not Case.objects.exists() and not AuditEntry.objects.exists()


def test_an_empty_start_form_names_every_missing_field_at_once(signed_in):
    response = signed_in.post(open_url(), {})
    html = response.content.decode()
    assert response.status_code == 200 and html.count("This field is required.") == 2
    assert not Case.objects.exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_a_known_group_opens_the_case_past_the_group_step(signed_in, specialist, headers):
    group, _ = make_eligible_group(group_number="824751")
    response = signed_in.post(open_url(), {"caller_type": "employer",
                                           "group-group_number": "824751"}, **headers)
    case = Case.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/cases/{case.reference}/step/run_report/"
    assert (case.subject["group_number"], case.path[0], case.answers["group"]["group_number"]) == (
        "824751", "group", "824751")
    answer = case.events.get(kind="answer")
    assert (answer.step_key, answer.answer) == ("group", "Group number: 824751\nSL app #: —")
    page = signed_in.get(response["Location"]).content.decode()
    assert "Run and save the Business Function report" in page
    assert "Group number: 824751" in page  # the side panel shows the answer


def test_the_transcript_and_audit_match_answering_the_group_step_apart(signed_in, specialist):
    make_eligible_group(group_number="824751")
    signed_in.post(open_url(), {"caller_type": "employer", "group-group_number": "824751"})
    one_step = Case.objects.get()
    apart = make_case(specialist, FLOW, [("group", {"group-group_number": "824751"})],
                      group_number="824751")

    def transcript(case):
        return list(case.events.order_by("seq").values_list("kind", "step_key", "answer", "value"))

    def trail(case):
        return [(a, s.replace(case.reference, "SD-x")) for a, s in AuditEntry.objects.filter(
            object_id=str(case.pk)).order_by("pk").values_list("action", "summary")]

    assert transcript(one_step) == transcript(apart)
    assert trail(one_step) == trail(apart)
    assert [action for action, _ in trail(one_step)] == ["case.open", "case.answer"]


def test_back_from_the_second_step_shows_the_group_step_with_its_answer(signed_in, specialist):
    make_eligible_group(group_number="824751")
    signed_in.post(open_url(), {"caller_type": "employer", "group-group_number": "824751"})
    case = Case.objects.get()
    response = signed_in.post(reverse("case_back", args=[case.reference]), **HTMX)
    html = response.content.decode()
    assert "Which employer group?" in html
    assert 'name="group-group_number"' in html and 'value="824751"' in html
    case.refresh_from_db()
    assert case.current_step == "group"


def test_a_flow_not_starting_on_the_group_keeps_its_start_form(signed_in):
    """The Noyo connection asks its group later, with its carrier group ID: the start form keeps
    its own optional group field."""
    html = signed_in.get(open_url("noyo-connect-group")).content.decode()
    assert 'name="group_number"' in html and "group-group_number" not in html


def test_a_follow_on_case_takes_the_group_its_case_settled_on(signed_in, specialist, on_day):
    group, sl_app = make_eligible_group(group_number="824751")
    sl_app.ec_identifier = "1177334"
    sl_app.save()
    case = make_case(specialist, FLOW, [("group", {"group-group_number": "824751"})])
    assert case.outcome_key == "out_ec_present"  # sends on to "employer cannot see them"
    signed_in.post(reverse("case_follow_on", args=[case.reference]))
    follow_on = Case.objects.exclude(pk=case.pk).get()
    assert follow_on.flow_key == "ec-employer-cannot-see"
    assert follow_on.path[:1] == ["group"] and follow_on.current_step != "group"
    assert follow_on.events.get(kind="answer").answer == "Group number: 824751\nSL app #: —"
