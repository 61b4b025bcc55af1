"""The escalation pages: the owner fills one in and records its life; supervisors read every
one; other specialists never learn it exists; everyone else is refused; nobody anonymous."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import pytest
from django.urls import reverse
from django.utils import timezone

from agent_rsos.models import Escalation
from supportdesk.models import CaseEvent
from tests.agent_rsos.make import DETAILS, MEMBER, make_draft, make_escalation

pytestmark = pytest.mark.django_db

OK, NOT_FOUND, FORBIDDEN = "ok", 404, 403
GET_VIEWS = ("arsos_escalation", "arsos_escalation_eml")
POST_VIEWS = ("arsos_escalation_save", "arsos_escalation_split", "arsos_escalation_sent",
              "arsos_escalation_acknowledged", "arsos_escalation_follow_up",
              "arsos_escalation_resolved", "arsos_escalation_escalated")
#                    owner      other specialist  access      supervisor  outsider
ESCALATION_ROW = dict(specialist=OK, other_specialist=NOT_FOUND, access_user=FORBIDDEN,
                      supervisor=OK, outsider=FORBIDDEN)
WRITE_ROW = dict(ESCALATION_ROW, supervisor=FORBIDDEN)
LIST_ROWS = {
    "arsos_my_escalations": dict(specialist=OK, other_specialist=OK, access_user=FORBIDDEN,
                                 supervisor=FORBIDDEN, outsider=FORBIDDEN),
    "arsos_escalation_overview": dict(specialist=FORBIDDEN, other_specialist=FORBIDDEN,
                                      access_user=FORBIDDEN, supervisor=OK, outsider=FORBIDDEN),
}
MATRIX = [
    *((name, "get", role, want) for name, row in LIST_ROWS.items() for role, want in row.items()),
    *((name, "get", role, want) for name in GET_VIEWS for role, want in ESCALATION_ROW.items()),
    *((name, "post", role, want) for name in POST_VIEWS for role, want in WRITE_ROW.items()),
]


def url(name: str, escalation: Escalation) -> str:
    return reverse(name) if name in LIST_ROWS else reverse(name, args=[escalation.pk])


def save_data(**changes: str) -> dict[str, str]:
    data = {"medicare": "on", "topic": "billing", **DETAILS, **changes}
    return {name: value for name, value in data.items() if value is not None}


@pytest.mark.parametrize(("name", "method", "role", "expected"), MATRIX, ids=str)
def test_it_grants_each_role_exactly_its_views(request, client, specialist, name, method, role,
                                               expected):
    escalation = make_escalation(specialist, status="sent")
    client.force_login(request.getfixturevalue(role))

    response = getattr(client, method)(url(name, escalation))

    if expected == OK:
        assert response.status_code in {200, 303}, f"{role} {method} {name}"
    else:
        assert response.status_code == expected, f"{role} {method} {name}"


@pytest.mark.parametrize("name", [*LIST_ROWS, *GET_VIEWS, *POST_VIEWS])
def test_it_sends_anonymous_users_to_the_login_page(client, specialist, name):
    escalation = make_escalation(specialist, status="sent")

    for method in ("get", "post"):
        response = getattr(client, method)(url(name, escalation))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    escalation.refresh_from_db()
    assert escalation.status == "sent"


def test_it_shows_the_owner_the_template_form_with_the_seed_wording(client, specialist):
    escalation = make_draft(specialist)
    client.force_login(specialist)

    body = client.get(reverse("arsos_escalation", args=[escalation.pk])).content.decode()

    assert "Fill in the mailbox template" in body
    assert "do NOT send Medicare and Individual concerns in the same email" in body
    assert "(If applicable)" in body and "Agent SAN" in body
    assert 'data-copy=' not in body  # no e-mail until the details are there


def test_it_saves_the_details_and_renders_the_email_with_copy_and_download(client, specialist):
    escalation = make_draft(specialist)
    client.force_login(specialist)

    response = client.post(reverse("arsos_escalation_save", args=[escalation.pk]), save_data(),
                           follow=True)

    body = response.content.decode()
    assert "Details saved" in body
    assert "Okonkwo-Smith, Janine Medicare" in body
    # To, Subject and Body are copied apart; the body carries no To:/Subject: lines.
    assert 'data-copy="AgentRSOS@humana.com">Copy To</button>' in body
    assert 'data-copy="Okonkwo-Smith, Janine Medicare">Copy Subject</button>' in body
    assert 'data-copy="Agent Name: Robin Agent\nAgent SAN: 1234567\n' in body
    assert 'data-copy="To:' not in body
    assert reverse("arsos_escalation_eml", args=[escalation.pk]) in body
    assert "Mark as sent" in body
    # The member's data stays on the escalation: not in the case, its transcript, or the URL.
    case = escalation.case
    case.refresh_from_db()
    transcript = " ".join(f"{e.shown} {e.answer} {e.value} {e.artifact}"
                          for e in CaseEvent.objects.filter(case=case))
    for value in MEMBER.values():
        assert value not in transcript and value not in str(case.answers)
        assert value not in response.redirect_chain[-1][0]


def test_it_refuses_both_lines_and_offers_to_split(client, specialist):
    escalation = make_draft(specialist)
    client.force_login(specialist)

    response = client.post(reverse("arsos_escalation_save", args=[escalation.pk]),
                           save_data(individual="on"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Send Medicare and Individual (HumanaOne) concerns in separate e-mails" in body
    assert "Split: start a second escalation for HumanaOne" in body
    assert reverse("arsos_escalation_split", args=[escalation.pk]) in body
    escalation.refresh_from_db()
    assert escalation.agent_name == "" and escalation.events.count() == 1

    response = client.post(reverse("arsos_escalation_split", args=[escalation.pk]), follow=True)

    second = Escalation.objects.get(case=escalation.case, line_of_business="HumanaOne")
    assert f"ARSOS escalation #{second.pk} (HumanaOne) is a separate draft" in \
        response.content.decode()
    assert second.owner == specialist and second.status == "draft"


def test_it_refuses_an_out_of_scope_request_with_where_it_goes(client, specialist):
    escalation = make_draft(specialist)
    client.force_login(specialist)

    response = client.post(reverse("arsos_escalation_save", args=[escalation.pk]),
                           save_data(topic="commission"))

    assert response.status_code == 200
    assert "is out of scope for the ARSOS mailbox: send it to Agent Support: " \
        "agentsupport@humana.com" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.agent_name == ""


def test_it_refuses_a_long_summary_visibly_and_keeps_what_was_typed(client, specialist):
    escalation = make_draft(specialist)
    client.force_login(specialist)
    long_summary = ("Billing is wrong. " * 250).strip()  # 4499 characters

    response = client.post(reverse("arsos_escalation_save", args=[escalation.pk]),
                           save_data(summary=long_summary))

    page = response.content.decode()
    assert response.status_code == 200
    assert "The summary is 4499 characters; the mailbox template takes at most 4000." in page
    assert "Details saved" not in page
    assert long_summary in page
    escalation.refresh_from_db()
    assert escalation.summary == ""


def test_it_marks_sent_and_shows_the_clock_with_the_business_hours_note(client, specialist):
    escalation = make_draft(specialist)
    client.force_login(specialist)
    client.post(reverse("arsos_escalation_save", args=[escalation.pk]), save_data())
    sent = timezone.localtime() - dt.timedelta(hours=2)

    response = client.post(reverse("arsos_escalation_sent", args=[escalation.pk]),
                           {"sent-occurred_at": sent.strftime("%Y-%m-%dT%H:%M")}, follow=True)

    body = response.content.decode()
    assert "the 72-hour response clock is running" in body
    assert "Response within 72 hours" in body
    assert "within 72 business hours" in body and "three business days" in body
    assert "Record the acknowledgement" in body
    escalation.refresh_from_db()
    assert escalation.status == "sent"
    assert escalation.sent_at == sent.replace(second=0, microsecond=0)


def test_it_answers_a_bad_time_with_a_form_error_not_a_500(client, specialist):
    escalation = make_escalation(specialist, status="sent")
    client.force_login(specialist)

    for value in ("yesterday-ish", (timezone.localtime() + dt.timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M")):
        response = client.post(reverse("arsos_escalation_acknowledged", args=[escalation.pk]),
                               {"ack-occurred_at": value})
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == "sent"


def test_it_shows_a_service_refusal_on_the_form(client, specialist):
    escalation = make_escalation(specialist, status="sent")
    client.force_login(specialist)
    before = timezone.localtime(escalation.sent_at) - dt.timedelta(hours=3)

    response = client.post(reverse("arsos_escalation_acknowledged", args=[escalation.pk]),
                           {"ack-occurred_at": before.strftime("%Y-%m-%dT%H:%M")})

    assert response.status_code == 200
    assert "It cannot have happened before the e-mail was sent" in response.content.decode()


def test_it_escalates_to_the_brm_with_the_seed_wording(client, specialist):
    escalation = make_escalation(specialist, status="acknowledged")
    client.force_login(specialist)
    page = client.get(reverse("arsos_escalation", args=[escalation.pk])).content.decode()
    assert "If Agents have exhausted all options" in page

    client.post(reverse("arsos_escalation_escalated", args=[escalation.pk]), {
        "escalate-escalated_to": "brm",
        "escalate-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    })

    escalation.refresh_from_db()
    assert (escalation.status, escalation.escalated_to) == ("escalated", "brm")


def test_it_downloads_the_eml_named_without_member_data(client, specialist):
    escalation = make_escalation(specialist, status="sent")
    client.force_login(specialist)

    response = client.get(reverse("arsos_escalation_eml", args=[escalation.pk]))

    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == \
        f'attachment; filename="arsos-escalation-{escalation.pk}.eml"'
    parsed = message_from_bytes(response.content, policy=policy.default)
    assert parsed["Subject"] == "Okonkwo-Smith, Janine Medicare"
    assert "no-store" in response["Cache-Control"]


def test_it_sends_the_eml_of_an_incomplete_draft_back_to_the_form(client, specialist):
    escalation = make_draft(specialist)
    client.force_login(specialist)

    response = client.get(reverse("arsos_escalation_eml", args=[escalation.pk]), follow=True)

    assert "Fill in every required field before downloading" in response.content.decode()


def test_it_shows_a_supervisor_the_escalation_but_no_forms(client, specialist, supervisor):
    escalation = make_escalation(specialist, status="sent")
    client.force_login(supervisor)

    body = client.get(reverse("arsos_escalation", args=[escalation.pk])).content.decode()

    assert "Okonkwo-Smith, Janine Medicare" in body
    assert "History" in body and "Sent to the mailbox" in body
    assert "Record the acknowledgement" not in body and "<form method=\"post\"" not in body.split(
        "</header>")[1]


def test_it_lists_only_my_own_escalations(client, specialist, other_specialist):
    mine = make_escalation(specialist, status="sent")
    theirs = make_escalation(other_specialist, status="sent")
    client.force_login(specialist)

    response = client.get(reverse("arsos_my_escalations"))

    assert list(response.context["active"]) == [mine]
    assert f"#{theirs.pk}<" not in response.content.decode()


@pytest.mark.parametrize(("status", "owner_sees", "supervisor_sees"), [
    ("draft", "Fill in the mailbox template", "Drafted"),
    ("sent", "Record the acknowledgement", "Response within 72 hours"),
    ("acknowledged", "Record a follow-up received", "Next follow-up (5 business days)"),
    ("resolved", "nothing more to record", "Resolved"),
])
def test_it_shows_each_state_to_the_owner_and_a_supervisor(client, specialist, supervisor,
                                                           status, owner_sees, supervisor_sees):
    escalation = make_escalation(specialist, status=status)

    client.force_login(specialist)
    owner_page = client.get(reverse("arsos_escalation", args=[escalation.pk])).content.decode()
    client.force_login(supervisor)
    supervisor_page = client.get(reverse("arsos_escalation", args=[escalation.pk])).content.decode()

    assert owner_sees in owner_page
    assert supervisor_sees in supervisor_page
    assert "Record what happens" not in supervisor_page
