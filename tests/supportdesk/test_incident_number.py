"""An outcome that raised a ServiceNow incident asks for its number: saved on the case with a
transcript line and an audit entry, shown to the supervisor and in the case export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from supportdesk import services
from supportdesk.engine import (
    Action,
    Artifact,
    Choice,
    Disposition,
    Outcome,
    Question,
    registry,
)
from supportdesk.models import AuditEntry, Case, CaseEvent
from tests.ec_access.make import make_eligible_group
from tests.factories import make_case
from tests.pages import HTMX
from tests.supportdesk.flows_for_tests import tiny_flow

pytestmark = pytest.mark.django_db

FIELD = "ServiceNow incident number"


def incident_flow():
    return tiny_flow(key="tiny-incident", start="ask", steps=(
        Question(key="ask", title="Broken?", choices=(
            Choice("yes", "Yes", next="ticket"), Choice("no", "No", next="fine"),
        )),
        Action(key="ticket", title="Raise the incident", next="raised",
               produce=lambda s: Artifact(kind=Artifact.SERVICENOW, title="Incident text", body="B")),
        Outcome(key="raised", title="Incident raised", disposition=Disposition.ESCALATED),
        Outcome(key="fine", title="Nothing to do", disposition=Disposition.ANSWERED),
    ))


@pytest.fixture
def flows(monkeypatch):
    monkeypatch.setattr(registry, "_flows", [*registry.all(), incident_flow()])


def raised(user) -> Case:
    return make_case(user, "tiny-incident", [("ask", {"choice": "yes"}), ("ticket", {})])


def page_of(client, case) -> str:
    return client.get(reverse("case_step", args=[case.reference, case.current_step])).content.decode()


def incident_url(case) -> str:
    return reverse("case_incident", args=[case.reference])


def test_it_asks_for_the_number_where_the_outcome_raised_an_incident(flows, signed_in, specialist):
    case = raised(specialist)
    assert case.status == Case.Status.CLOSED
    assert FIELD in page_of(signed_in, case)
    fine = make_case(specialist, "tiny-incident", [("ask", {"choice": "no"})])
    assert FIELD not in page_of(signed_in, fine)
    open_case = make_case(specialist, "tiny-incident")
    assert FIELD not in page_of(signed_in, open_case)  # not before the outcome


def test_an_ec_outcome_that_says_incident_asks_for_it(signed_in, specialist, on_day):
    group, sl_app = make_eligible_group()
    sl_app.ec_identifier = group.ec_number
    sl_app.save()
    sl_app.business_functions.set(sl_app.business_functions.model.objects.filter(code__in=["7125"]))
    case = make_case(specialist, "ec-employer-cannot-see", [
        ("group", {"group-group_number": group.group_number}), ("verify_incident", {}),
    ])
    assert (case.outcome_key, case.disposition) == ("out_verify_incident", "incident")
    assert FIELD in page_of(signed_in, case)


def test_it_records_the_number_with_a_transcript_line_and_an_audit_entry(flows, signed_in,
                                                                         specialist):
    case = raised(specialist)
    response = signed_in.post(incident_url(case), {"incident-number": " inc 0012345 "}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"ServiceNow incident INC0012345 recorded on {case.reference}." in page
    assert "Recorded on this case: <strong>INC0012345</strong>" in page
    case.refresh_from_db()
    assert case.incident_number == "INC0012345"
    note = case.events.filter(kind=CaseEvent.Kind.NOTE).get()
    assert (note.answer, note.user) == ("ServiceNow incident INC0012345 recorded.", specialist)
    entry = AuditEntry.objects.get(action="case.incident")
    assert entry.user == specialist and "INC0012345" in entry.summary


def test_a_second_number_replaces_the_first_and_the_transcript_keeps_both(flows, specialist):
    case = raised(specialist)
    services.case_incident_record(case=case, user=specialist, number="INC0012345")
    services.case_incident_record(case=case, user=specialist, number="INC0012345")  # no change
    services.case_incident_record(case=case, user=specialist, number="INC0012399")
    assert list(case.events.filter(kind="note").values_list("answer", flat=True)) == [
        "ServiceNow incident INC0012345 recorded.",
        "ServiceNow incident INC0012399 recorded (it replaces INC0012345).",
    ]
    assert AuditEntry.objects.filter(action="case.incident").count() == 2


@pytest.mark.parametrize("number", ["12345", "INC12345", "INC0012345X", "REQ0012345", ""])
def test_it_refuses_what_is_not_an_incident_number(flows, signed_in, specialist, number):
    case = raised(specialist)
    response = signed_in.post(incident_url(case), {"incident-number": number}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert ("A ServiceNow incident number is INC and 7 digits, for example INC0012345." in page
            or "Type the incident number, for example INC0012345." in page)
    assert 'aria-invalid="true"' in page
    case.refresh_from_db()
    assert case.incident_number == "" and not case.events.filter(kind="note").exists()
    with pytest.raises(services.StepRefused):
        services.case_incident_record(case=case, user=specialist, number=number)


def test_it_refuses_a_number_for_a_case_whose_outcome_raised_none(flows, signed_in, specialist):
    case = make_case(specialist, "tiny-incident", [("ask", {"choice": "no"})])
    response = signed_in.post(incident_url(case), {"incident-number": "INC0012345"})
    assert response.status_code == 303
    assert "raised no ServiceNow incident" in signed_in.get(response["Location"]).content.decode()
    case.refresh_from_db()
    assert case.incident_number == ""


def test_another_specialist_gets_a_404(flows, client, specialist, other_specialist):
    case = raised(specialist)
    client.force_login(other_specialist)
    assert client.post(incident_url(case), {"incident-number": "INC0012345"}).status_code == 404
    case.refresh_from_db()
    assert case.incident_number == ""


def test_the_supervisor_sees_it_on_the_case_and_in_the_export(flows, client, specialist,
                                                              supervisor):
    case = raised(specialist)
    services.case_incident_record(case=case, user=specialist, number="INC0012345")
    client.force_login(supervisor)
    page = client.get(reverse("supervisor_case", args=[case.reference])).content.decode()
    assert "<dt>ServiceNow incident</dt><dd>INC0012345</dd>" in page
    export = client.get(reverse("supervisor_cases_export", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert [row["ServiceNow incident"] for row in rows] == ["INC0012345"]
