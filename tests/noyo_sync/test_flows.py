"""The two Noyo flows walked through the real services, one test per outcome."""

from __future__ import annotations

import json

import pytest

from noyo_sync.models import GroupConnection, SandboxGroupConnection
from supportdesk import services
from supportdesk.engine import Outcome, registry
from supportdesk.models import CaseEvent
from tests.factories import make_case
from tests.noyo_sync.make import make_group, request_connection

CONNECT = "noyo-connect-group"
REJECTED = "noyo-member-change-rejected"


def ready(**more: str) -> tuple[str, dict]:
    return ("prerequisites", {"prerequisites-census_file_sent": "on",
                              "prerequisites-group_number_issued": "on", **more})


def plans(*unsupported: str) -> tuple[str, dict]:
    return ("plans", {"plans-unsupported": list(unsupported)})


def details(group_number: str, carrier_group_id: str = "989101", people: int = 40) -> tuple[str, dict]:
    return ("connection", {"connection-group_number": group_number,
                           "connection-carrier_group_id": carrier_group_id,
                           "connection-people": str(people)})


def outcome_of(case) -> str:
    case.refresh_from_db()
    return case.outcome_key


@pytest.mark.django_db
def test_it_stops_a_group_that_is_not_ready(specialist):
    case = make_case(specialist, CONNECT, [("prerequisites", {"prerequisites-census_file_sent": "on"})])
    assert case.current_step == "not_ready"
    case = services.case_answer(case=case, user=specialist, step_key="not_ready", data={}).case
    assert outcome_of(case) == "out_not_ready" and case.disposition == "not_eligible"


@pytest.mark.django_db
def test_it_stops_a_group_noyo_does_not_support_with_the_reasons(specialist):
    case = make_case(specialist, CONNECT, [ready(), plans("dental_hmo", "variable_waiting_periods")])
    assert outcome_of(case) == "out_unsupported"
    shown = case.events.get(kind=CaseEvent.Kind.OUTCOME).shown
    assert "Dental HMO plans" in shown and "Variable waiting periods (class- or subgroup-based)" in shown


@pytest.mark.django_db
def test_it_shows_an_existing_connection_instead_of_requesting_again(specialist, settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"
    existing = request_connection(specialist, "767101", send=False)
    case = make_case(specialist, CONNECT, [ready(), plans(), details(existing.group.group_number, "767101")])
    assert case.current_step == "already_connected"
    assert GroupConnection.objects.count() == 1


@pytest.mark.django_db
def test_it_requests_the_connection_and_explains_the_statuses(specialist, settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"
    group = make_group("824751")
    case = make_case(specialist, CONNECT, [ready(), plans(), details("824751", "212101", people=320)],
                     group_number="824751")
    assert case.current_step == "create"
    connection = GroupConnection.objects.get()
    assert connection.group == group and connection.requested_by == specialist
    artifact = case.artifacts["create"]
    assert artifact["kind"] == "request" and artifact["url"].endswith(f"/connections/{connection.pk}/")
    assert "Groups with 300+ people will be manually reviewed by Humana" in artifact["body"]
    case = services.case_answer(case=case, user=specialist, step_key="create", data={}).case
    assert (case.current_step, case.status) == ("connection_wait", "waiting")
    watch = registry.get(CONNECT).step("connection_wait").render_text(services.flow_state(case))
    assert "Now: Carrier group ID 212101 (group 824751): Not yet sent to Noyo since" in watch
    assert "Groups with 300+ people will be manually reviewed by Humana" in case.waiting_reason


@pytest.mark.django_db
def test_it_refuses_the_form_for_an_unknown_group_or_a_bad_id(specialist):
    case = make_case(specialist, CONNECT, [ready(), plans()])
    result = services.case_answer(case=case, user=specialist, step_key="connection",
                                  data=dict([details("999999", "98910")[1]][0]))
    assert not result.ok
    assert "group_number" in result.form.errors and "carrier_group_id" in result.form.errors


@pytest.mark.django_db(transaction=True)
def test_it_sends_the_flows_request_to_noyo_after_the_case_step_commits(noyo, specialist):
    make_group("824751")
    make_case(specialist, CONNECT, [ready(), plans(), details("824751", "989101")])
    connection = GroupConnection.objects.get()
    assert connection.status == "created" and connection.noyo_id == str(SandboxGroupConnection.objects.get().id)


# --- Why was this member change rejected? ------------------------------------------------------


def change(**fields: str | list[str]) -> tuple[str, dict]:
    return ("change", {f"change-{name}": value for name, value in fields.items()})


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "step", "outcome"), [
    ({"transaction": "new_hire", "submitted_on": "2025-02-02", "coverage_start": "2025-01-01"},
     "explain_rejected", "out_explained"),
    ({"transaction": "end_date_change"}, "explain_humana", "out_humana"),
    ({"transaction": "open_enrollment", "submitted_on": "2025-07-01", "renewal_date": "2025-10-10",
      "renewal_ready": "on"}, "explain_humana", "out_humana"),
    ({"transaction": "new_hire", "submitted_on": "2025-02-01", "coverage_start": "2025-01-01"},
     "explain_none", "out_explained"),
])
def test_it_explains_each_kind_of_rejection(specialist, fields, step, outcome):
    case = make_case(specialist, REJECTED, [change(**fields)])
    assert case.current_step == step
    case = services.case_answer(case=case, user=specialist, step_key=step, data={}).case
    assert outcome_of(case) == outcome


@pytest.mark.django_db
def test_it_quotes_the_seed_in_the_explanation(specialist):
    case = make_case(specialist, REJECTED, [change(transaction="plan_switch", line="dental",
                                                   actions=["modifying"])])
    text = registry.get(REJECTED).step("explain_rejected").render_text(services.flow_state(case))
    assert "plan switches must include an “adding” action and a “removing” action" in text
    assert "What to do:" in text


@pytest.mark.django_db
def test_it_keeps_no_event_date_on_the_case_or_its_transcript(specialist):
    case = make_case(specialist, REJECTED, [change(transaction="qle_birth", submitted_on="2025-03-10",
                                                   event_date="2025-01-07", group_state="TX")])
    assert case.current_step == "explain_rejected"
    stored = json.dumps(case.answers) + "".join(
        f"{e.shown}{e.answer}{json.dumps(e.value)}" for e in case.events.all())
    assert "2025-01-07" not in stored and "01/07/2025" not in stored
    assert "2025-03-10" not in stored  # the date sent would give the birth date back
    assert case.answers["change"]["days_after_anchor"] == 62
    text = registry.get(REJECTED).step("explain_rejected").render_text(services.flow_state(case))
    assert "Submitted 62 days after the birth; the limit is 31 days." in text


@pytest.mark.django_db
def test_it_asks_again_for_what_is_missing(specialist):
    case = make_case(specialist, REJECTED)
    result = services.case_answer(case=case, user=specialist, step_key="change",
                                  data={"change-transaction": "qle_marriage"})
    assert not result.ok and "event_date" in result.form.errors


def test_every_flow_path_ends_in_an_outcome():
    for key in (CONNECT, REJECTED):
        flow = registry.get(key)
        assert any(isinstance(step, Outcome) for step in flow.steps)
