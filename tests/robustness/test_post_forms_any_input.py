"""Every POST form outside the flows, through Django's test client, fed anything HTTP can carry:
open a case, review it, reject an EC request, the escalation's details and each lifecycle step, a
Noyo connection request, the two member checkers. Never a 500. An invalid form comes back with
its messages and writes nothing; a valid one writes its whole change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from agent_rsos import services as arsos_services
from agent_rsos.forms import EscalateForm, EscalationForm, LifecycleForm
from agent_rsos.models import Escalation, EscalationEvent
from ec_access.forms import RejectForm
from ec_access.models import ECRequestEvent
from husky_reports.forms import MemberCheckForm
from noyo_sync.forms import ConnectionRequestForm, MemberChangeForm
from noyo_sync.models import GroupConnection
from supportdesk.engine import registry
from supportdesk.forms import CaseOpenForm, CaseReviewForm
from supportdesk.models import Case, CaseReview
from tests.agent_rsos.make import DETAILS, details, make_escalation
from tests.ec_access.make import make_request
from tests.factories import make_case
from tests.robustness.strategies import FUZZ_FEW, form_data
from tests.robustness.web import ANSWERED, shows_what_is_wrong, web
from tests.robustness.writes import captured_writes

pytestmark = pytest.mark.django_db

# --- POST forms -------------------------------------------------------------------------------


@pytest.mark.parametrize("flow_key", ["arsos-routing", "ec-employer-access"])
@FUZZ_FEW
@given(data=st.data())
def test_it_opens_a_case_or_shows_why_not(specialist, ec_group, flow_key, data):
    flow = registry.get(flow_key)
    first = flow.opening_form()  # the EC flows ask their group step's own fields here
    group = {"group_number": st.just("824751")}
    post = data.draw(form_data(CaseOpenForm, http=True, init_kwargs={
        "asks_subject": flow.asks_subject and first is None}, hints=group), label="POST")
    if first is not None:
        post |= data.draw(form_data(type(first), prefix=first.prefix, http=True, hints=group),
                          label="first step")
    cases = Case.objects.count()
    client = web(specialist)
    with captured_writes() as writes:
        response = client.post(reverse("case_open", args=[flow_key]), post)
    assert response.status_code in ANSWERED
    if response.status_code == 303:
        assert Case.objects.count() == cases + 1
    else:
        assert writes == [] and Case.objects.count() == cases
        assert response.status_code == 400 or shows_what_is_wrong(response)


@FUZZ_FEW
@given(data=st.data())
def test_it_adds_a_review_or_shows_why_not(specialist, supervisor, data):
    case = make_case(specialist, "arsos-routing", [("sale_stage", {"choice": "pre_sale"})])
    post = data.draw(form_data(CaseReviewForm, http=True), label="POST")
    client = web(supervisor)
    with captured_writes() as writes:
        response = client.post(reverse("supervisor_case_review", args=[case.reference]), post)
    assert response.status_code in ANSWERED
    reviews = CaseReview.objects.filter(case=case).count()
    if response.status_code == 303:
        assert reviews == 1
    else:
        assert writes == [] and reviews == 0
        assert response.status_code == 400 or shows_what_is_wrong(response)


@FUZZ_FEW
@given(data=st.data())
def test_it_rejects_an_ec_request_or_shows_why_not(access_user, data):
    ec_request = make_request(state="claimed", claimed_by=access_user, claimed_at=timezone.now())
    post = data.draw(form_data(RejectForm, http=True), label="POST")
    client = web(access_user)
    with captured_writes() as writes:
        response = client.post(reverse("ec_request_reject", args=[ec_request.pk]), post)
    assert response.status_code in ANSWERED
    ec_request.refresh_from_db()
    if response.status_code == 303:
        assert ec_request.state == "rejected" and ec_request.reject_reason
        assert ECRequestEvent.objects.filter(request=ec_request, kind="rejected").count() == 1
    else:
        assert writes == [] and ec_request.state == "claimed"
        assert response.status_code == 400 or shows_what_is_wrong(response)


ESCALATION_HINTS = {name: st.just(value) for name, value in DETAILS.items()}
ESCALATION_HINTS |= {"topic": st.just("billing"), "medicare": st.just("on")}


def escalation_rows(escalation: Escalation) -> tuple:
    return (Escalation.objects.filter(pk=escalation.pk).values().get(),
            EscalationEvent.objects.filter(escalation=escalation).count(),
            Case.objects.get(pk=escalation.case_id).events.count())


@FUZZ_FEW
@given(data=st.data())
def test_it_saves_escalation_details_or_shows_why_not(specialist, data):
    escalation = make_escalation(specialist) if not Escalation.objects.exists() else \
        Escalation.objects.get()
    post = data.draw(form_data(EscalationForm, http=True, hints=ESCALATION_HINTS), label="POST")
    before = escalation_rows(escalation)
    response = web(specialist).post(reverse("arsos_escalation_save", args=[escalation.pk]), post)
    assert response.status_code in ANSWERED
    if response.status_code == 303:
        assert EscalationEvent.objects.filter(escalation=escalation).count() == before[1] + 1
    else:
        assert escalation_rows(escalation) == before
        assert response.status_code == 400 or shows_what_is_wrong(response)


LIFECYCLE = [  # (url name, form prefix, form class, the status the escalation starts in)
    ("arsos_escalation_sent", "sent", LifecycleForm, "draft_complete"),
    ("arsos_escalation_acknowledged", "ack", LifecycleForm, "sent"),
    ("arsos_escalation_follow_up", "follow_up", LifecycleForm, "acknowledged"),
    ("arsos_escalation_resolved", "resolve", LifecycleForm, "acknowledged"),
    ("arsos_escalation_escalated", "escalate", EscalateForm, "acknowledged"),
]


@pytest.mark.parametrize("name,prefix,form_class,status", LIFECYCLE, ids=[p for _, p, _, _ in LIFECYCLE])
@FUZZ_FEW
@given(data=st.data())
def test_it_records_a_lifecycle_step_or_shows_why_not(specialist, name, prefix, form_class, status,
                                                      data):
    escalation = Escalation.objects.first()
    if escalation is None:
        if status == "draft_complete":
            escalation = make_escalation(specialist)
            arsos_services.escalation_save_details(escalation_id=escalation.pk, user=specialist,
                                             details=details())
        else:
            escalation = make_escalation(specialist, status=status,
                                         sent_at=timezone.now() - dt.timedelta(hours=2),
                                         acknowledged_at=timezone.now() - dt.timedelta(hours=1))
    post = data.draw(form_data(form_class, prefix=prefix, http=True,
                               init_kwargs={"now": timezone.now()}), label="POST")
    before = escalation_rows(escalation)
    client = web(specialist)
    response = client.post(reverse(name, args=[escalation.pk]), post)
    assert response.status_code in ANSWERED
    if escalation_rows(escalation) == before:  # refused: nothing written, and the page says why
        page = client.get(response["Location"]) if response.status_code == 303 else response
        assert response.status_code == 400 or shows_what_is_wrong(page)
    else:  # recorded: the step's event and the case note, then back to the escalation's page
        assert response.status_code == 303
        assert EscalationEvent.objects.filter(escalation=escalation).count() == before[1] + 1
        assert Case.objects.get(pk=escalation.case_id).events.count() == before[2] + 1


@FUZZ_FEW
@given(data=st.data())
def test_it_requests_a_noyo_connection_or_shows_why_not(specialist, ec_group, data):
    post = data.draw(form_data(ConnectionRequestForm, http=True, hints={
        "group_number": st.just("824751"), "carrier_group_id": st.sampled_from(["989101", "545101"]),
        "people": st.just("40"), "census_file_sent": st.just("on"),
        "group_number_issued": st.just("on")}), label="POST")
    connections = GroupConnection.objects.count()
    client = web(specialist)
    with captured_writes() as writes:
        response = client.post(reverse("noyo_connection_new"), post)
    assert response.status_code in ANSWERED
    if response.status_code == 303:
        assert GroupConnection.objects.count() == connections + 1
    else:
        assert writes == [] and GroupConnection.objects.count() == connections
        assert response.status_code == 400 or shows_what_is_wrong(response)


CHECKERS = [("noyo_member_change_check", MemberChangeForm), ("husky_member_check", MemberCheckForm)]


@pytest.mark.parametrize("name,form_class", CHECKERS, ids=[name for name, _ in CHECKERS])
@FUZZ_FEW
@given(data=st.data())
def test_it_checks_any_member_facts_without_a_500_or_a_write(specialist, name, form_class, data):
    post = data.draw(form_data(form_class, http=True, hints={
        "check_date": st.sampled_from(["2025-01-15", "0001-01-01", "9999-12-31"]),
        "sex": st.sampled_from(["F", "M"]), "age": st.just("45"),
        "transaction": st.sampled_from(["new_hire", "birth", "open_enrollment"])}), label="POST")
    client = web(specialist)
    with captured_writes() as writes:
        response = client.post(reverse(name), post)
    assert response.status_code in (200, 400)
    assert writes == []  # the checkers keep nothing: a date of birth never reaches the database


@pytest.mark.parametrize("day", ["0001-01-01", "0001-03-31", "9999-12-31"])
def test_it_answers_a_member_check_at_the_edge_of_the_calendar_with_a_message(specialist, day):
    # Found by the tests above: the HUSKY rules count months back from the check date, and year 1
    # minus a year was an error page.
    response = web(specialist).post(reverse("husky_member_check"),
                                    {"check_date": day, "sex": "F", "age": "45"})
    assert response.status_code == 200
    assert b"Enter a date between 1900 and 2199." in response.content
