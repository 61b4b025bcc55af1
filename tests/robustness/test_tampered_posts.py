"""Tampered POSTs: what a stale tab, a double click, an edited form or a hand-made request sends.
Each is refused with a clear message (or a 404 where the record is someone else's) and nothing is
written: not the answer, not a transcript event, not the request's or the escalation's state."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from agent_rsos import services as arsos_services
from agent_rsos.models import Escalation, EscalationEvent
from ec_access import services as ec_services
from ec_access.models import ECRequest, ECRequestEvent, SLApplication
from supportdesk.models import Case, CaseEvent
from supportdesk.roles import Role
from tests.agent_rsos.make import DETAILS, TO_MAILBOX_LINE, details, make_escalation
from tests.ec_access.make import make_request
from tests.factories import make_case, make_user
from tests.pages import HTMX
from tests.robustness.web import web
from tests.robustness.writes import captured_writes

pytestmark = pytest.mark.django_db


def state(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.current_step, case.status, case.answers, case.path,
            CaseEvent.objects.filter(case=case).count())


def page_after(client, response) -> str:
    """What the specialist sees: the redirect's page, or the htmx partial itself."""
    if response.status_code in (302, 303):
        response = client.get(response["Location"])
    assert response.status_code == 200
    return response.content.decode()


# --- The flow engine -----------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_it_refuses_an_answer_to_a_step_that_is_not_the_current_one(specialist, headers):
    case = make_case(specialist, "arsos-routing", [("sale_stage", {"choice": "post_sale"})])
    client = web(specialist)
    before = state(case)
    with captured_writes() as writes:  # the earlier step again, as from a stale tab
        response = client.post(reverse("case_step", args=[case.reference, "sale_stage"]),
                               {"choice": "pre_sale"}, **headers)
    assert writes == [] and state(case) == before
    assert "That step is no longer the current one" in page_after(client, response)


@pytest.mark.parametrize("step_key", ["no-such-step", "out_sos_call", "mailbox_email"])
def test_it_refuses_a_step_key_the_case_does_not_stand_on(specialist, step_key):
    case = make_case(specialist, "arsos-routing", [("sale_stage", {"choice": "post_sale"})])
    client = web(specialist)
    before = state(case)
    with captured_writes() as writes:
        response = client.post(reverse("case_step", args=[case.reference, step_key]), {})
    assert writes == [] and state(case) == before
    assert "That step is no longer the current one" in page_after(client, response)


@pytest.mark.parametrize("choice", ["", "bogus", "pre_sale ", "POST_SALE", "post_sale\x00",
                                    "out_sos_call"])
def test_it_refuses_a_choice_the_question_does_not_offer(specialist, choice):
    case = make_case(specialist, "arsos-routing")
    client = web(specialist)
    before = state(case)
    with captured_writes() as writes:
        response = client.post(reverse("case_step", args=[case.reference, "sale_stage"]),
                               {"choice": choice}, **HTMX)
    assert writes == [] and state(case) == before
    assert "Choose one of the answers offered for this step." in page_after(client, response)


def test_it_refuses_a_form_step_posted_to_a_question_step(specialist):
    case = make_case(specialist, "arsos-routing")
    client = web(specialist)
    before = state(case)
    with captured_writes() as writes:  # the mailbox line form's fields, sent to a question
        response = client.post(reverse("case_step", args=[case.reference, "sale_stage"]),
                               {"mailbox_line-medicare": "on", "sale_stage-medicare": "on"})
    assert writes == [] and state(case) == before
    assert "Choose one of the answers offered for this step." in page_after(client, response)


def test_it_refuses_a_question_choice_posted_to_a_form_step_that_needs_fields(specialist):
    case = make_case(specialist, "arsos-routing", TO_MAILBOX_LINE)
    client = web(specialist)
    before = state(case)
    with captured_writes() as writes:  # one line of business is required: a choice is not one
        response = client.post(reverse("case_step", args=[case.reference, "mailbox_line"]),
                               {"choice": "mailbox"}, **HTMX)
    assert writes == [] and state(case) == before
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def test_it_recomputes_a_tampered_hidden_field_instead_of_trusting_it(specialist):
    # MemberChangeFlowForm carries days_after_anchor as a hidden input; the case must keep the
    # count worked out from the dates, never what the browser sent.
    case = make_case(specialist, "noyo-member-change-rejected")
    web(specialist).post(reverse("case_step", args=[case.reference, "change"]), {
        "change-transaction": "new_hire", "change-coverage_start": "2025-01-01",
        "change-submitted_on": "2025-01-11", "change-days_after_anchor": "-99999",
    })
    case.refresh_from_db()
    assert case.answers["change"]["days_after_anchor"] == 10


def test_it_refuses_an_answer_to_a_closed_case(specialist):
    case = make_case(specialist, "arsos-routing", [("sale_stage", {"choice": "pre_sale"})])
    client = web(specialist)
    before = state(case)
    assert before[1] == "closed"
    with captured_writes() as writes:
        response = client.post(reverse("case_step", args=[case.reference, case.current_step]), {})
    assert writes == [] and state(case) == before
    assert "is closed. Go back to change the last answer" in page_after(client, response)


@pytest.mark.parametrize("action", ["case_step", "case_back", "case_restart", "case_resume"])
def test_it_treats_another_specialists_case_as_missing(specialist, other_specialist, action):
    case = make_case(specialist, "arsos-routing", [("sale_stage", {"choice": "post_sale"})])
    before = state(case)
    args = [case.reference, "topic"] if action == "case_step" else [case.reference]
    client = web(other_specialist)
    with captured_writes() as writes:
        if action == "case_resume":
            response = client.get(reverse(action, args=args))
        else:
            response = client.post(reverse(action, args=args), {"choice": "billing"})
    assert response.status_code == 404
    assert writes == [] and state(case) == before


# --- The EC queue ---------------------------------------------------------------------------


@pytest.fixture
def other_clerk(db):
    return make_user("access2", Role.ACCESS_MANAGEMENT, first_name="Robin", last_name="Lee")


def request_state(ec_request: ECRequest) -> tuple:
    ec_request.refresh_from_db()
    sl_app = SLApplication.objects.get(pk=ec_request.sl_app_id)
    return (ec_request.state, ec_request.claimed_by_id, ec_request.reject_reason,
            ECRequestEvent.objects.filter(request=ec_request).count(), sl_app.ec_identifier,
            sorted(sl_app.business_functions.values_list("code", flat=True)))


@pytest.mark.parametrize("action,data", [
    ("ec_request_grant", {}),
    ("ec_request_release", {}),
    ("ec_request_reject", {"reason": "other", "note": "Looks wrong to me."}),
    ("ec_request_claim", {}),
])
def test_it_refuses_to_work_a_request_another_clerk_claimed(access_user, other_clerk, action, data):
    ec_request = make_request(state="claimed", claimed_by=other_clerk, claimed_at=timezone.now())
    before = request_state(ec_request)
    client = web(access_user)
    response = client.post(reverse(action, args=[ec_request.pk]), data)
    assert request_state(ec_request) == before  # (a claim's conditional UPDATE matched no row)
    page = page_after(client, response)
    assert f"EC request #{ec_request.pk}" in page and "Robin Lee" in page


@pytest.mark.parametrize("action", ["ec_request_grant", "ec_request_release", "ec_request_claim"])
def test_it_refuses_a_request_id_that_does_not_exist(access_user, action):
    client = web(access_user)
    events = ECRequestEvent.objects.count()
    response = client.post(reverse(action, args=[987654]))
    assert ECRequestEvent.objects.count() == events and not ECRequest.objects.exists()
    # Refused, and sent to that request's page, which does not exist either.
    assert response.status_code == 303 and client.get(response["Location"]).status_code == 404


def test_it_refuses_a_reject_reason_that_is_not_offered(access_user):
    ec_request = make_request(state="claimed", claimed_by=access_user, claimed_at=timezone.now())
    before = request_state(ec_request)
    client = web(access_user)
    response = client.post(reverse("ec_request_reject", args=[ec_request.pk]),
                           {"reason": "because", "note": ""})
    assert request_state(ec_request) == before
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    with pytest.raises(ec_services.QueueRefused, match="Choose a reason from the list"):
        ec_services.ec_request_reject(request_id=ec_request.pk, user=access_user, reason="because",
                                      note="")
    assert request_state(ec_request) == before


# --- ARSOS escalations ----------------------------------------------------------------------


ESCALATION_POSTS = [
    ("arsos_escalation_save", {**DETAILS, "topic": "billing", "medicare": "on"}),
    ("arsos_escalation_split", {}),
    ("arsos_escalation_sent", {"sent-occurred_at": "2025-01-10T10:00"}),
    ("arsos_escalation_acknowledged", {"ack-occurred_at": "2025-01-10T10:00"}),
    ("arsos_escalation_resolved", {"resolve-occurred_at": "2025-01-10T10:00"}),
    ("arsos_escalation_escalated", {"escalate-escalated_to": "brm",
                                    "escalate-occurred_at": "2025-01-10T10:00"}),
]


def escalation_state(escalation: Escalation) -> tuple:
    return (Escalation.objects.filter(pk=escalation.pk).values().get(),
            EscalationEvent.objects.filter(escalation=escalation).count(),
            Escalation.objects.count(), CaseEvent.objects.filter(case=escalation.case).count())


@pytest.mark.parametrize("action,data", ESCALATION_POSTS, ids=[a for a, _ in ESCALATION_POSTS])
def test_it_treats_another_specialists_escalation_as_missing(specialist, other_specialist, action,
                                                            data):
    escalation = make_escalation(specialist, status="sent")
    before = escalation_state(escalation)
    client = web(other_specialist)
    with captured_writes() as writes:
        response = client.post(reverse(action, args=[escalation.pk]), data)
    assert response.status_code == 404
    assert writes == [] and escalation_state(escalation) == before


def test_it_refuses_another_specialists_escalation_in_the_service_too(specialist, other_specialist):
    escalation = make_escalation(specialist)
    before = escalation_state(escalation)
    with pytest.raises(arsos_services.EscalationRefused, match="only they can work it"):
        arsos_services.escalation_save_details(escalation_id=escalation.pk, user=other_specialist,
                                               details=details())
    with pytest.raises(arsos_services.EscalationRefused, match="only they can work it"):
        arsos_services.escalation_escalate(escalation_id=escalation.pk, user=other_specialist,
                                           escalated_to="brm")
    assert escalation_state(escalation) == before


@pytest.mark.parametrize("action,data,message", [
    ("arsos_escalation_sent", {"sent-occurred_at": "2025-01-10T10:00"}, "that step is not open now"),
    ("arsos_escalation_escalated", {"escalate-escalated_to": "brm",
                                    "escalate-occurred_at": "2025-01-10T10:00"},
     "that step is not open now"),
])
def test_it_says_why_a_lifecycle_step_the_page_no_longer_offers_is_refused(specialist, action, data,
                                                                           message):
    # Found by tests/robustness: a second "Mark as sent" (another tab, a double click) was refused
    # but the page had no sent form left to show the reason on, so it said nothing.
    escalation = make_escalation(specialist, status="resolved")
    before = escalation_state(escalation)
    client = web(specialist)
    response = client.post(reverse(action, args=[escalation.pk]), data)
    assert escalation_state(escalation) == before
    assert message in page_after(client, response)


def test_it_refuses_to_send_an_incomplete_draft_and_says_so(specialist):
    escalation = make_escalation(specialist)  # a draft without the template's fields
    before = escalation_state(escalation)
    client = web(specialist)
    response = client.post(reverse("arsos_escalation_sent", args=[escalation.pk]),
                           {"sent-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert escalation_state(escalation) == before
    assert "Fill in every required field of the mailbox template" in page_after(client, response)


def test_it_refuses_an_escalation_target_that_is_not_offered(specialist):
    escalation = make_escalation(specialist, status="acknowledged")
    before = escalation_state(escalation)
    client = web(specialist)
    response = client.post(reverse("arsos_escalation_escalated", args=[escalation.pk]),
                           {"escalate-escalated_to": "ceo",
                            "escalate-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert escalation_state(escalation) == before
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    with pytest.raises(arsos_services.EscalationRefused, match="Choose the Sales Manager"):
        arsos_services.escalation_escalate(escalation_id=escalation.pk, user=specialist,
                                           escalated_to="ceo")
    assert escalation_state(escalation) == before
