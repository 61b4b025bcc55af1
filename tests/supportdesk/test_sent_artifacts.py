"""Sent is sent (issue 18): an artifact SupportDesk already sent says so, to whom, when and under
which request, with copying as a secondary action; one the specialist sends has To, Subject and
Body copied apart, the body without To:/Subject: lines. Artifacts stored before these fields
existed still render."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from ec_access.models import ECRequest
from supportdesk.engine import Artifact
from tests.ec_access.make import make_eligible_group
from tests.factories import make_case

SENT_AT = dt.datetime(2026, 12, 1, 18, 49, tzinfo=dt.UTC)  # 13:49 in New York

EMAIL = {
    "kind": Artifact.EMAIL,
    "title": "E-mail to EmployerGroup@humana.com with the Business Function report",
    "to": "EmployerGroup@humana.com",
    "subject": "Group 824751 FUSION CONTROLS INC, SL app# 5550001",
    "body": "Please grant the PAA’s access as outlined in the attached report.\n\nEC request #12",
    "url": "/ec/reports/824751.pdf",
}


def render(artifact: dict[str, str]) -> str:
    return render_to_string("cases/artifact.html", {"artifact": artifact})


def copies(html: str) -> dict[str, str]:
    """Each copy button's label and what it puts on the clipboard."""
    return {label: value for value, label in
            re.findall(r'<button type="button" class="button copy[^"]*" data-copy="([^"]*)">([^<]+)</button>',
                       html)}


def sent_email() -> dict[str, str]:
    return Artifact.sent(at=SENT_AT, sent_to="EmployerGroup@humana.com", reference="EC request #12",
                         **EMAIL).as_json()


def test_a_sent_artifact_says_to_whom_when_and_which_request(settings):
    settings.TIME_ZONE = "America/New_York"
    html = render(sent_email())

    assert ("Sent to <strong>EmployerGroup@humana.com</strong> at "
            '<time datetime="2026-12-01T13:49:00-05:00">Tue Dec 1, 2026, 13:49</time>, '
            "EC request #12. Nothing for you to send.") in html
    assert '<span class="badge badge-sent">Sent</span>' in html
    assert "Ready to send" not in html


def test_a_sent_artifact_has_no_button_to_send_or_download_only_secondary_copies(settings):
    html = render(sent_email())

    assert copies(html) == {
        "Copy To": "EmployerGroup@humana.com",
        "Copy Subject": "Group 824751 FUSION CONTROLS INC, SL app# 5550001",
        "Copy Body": "Please grant the PAA’s access as outlined in the attached report.\n\nEC request #12",
    }
    assert re.findall(r'class="button copy([^"]*)"', html) == [" small"] * 3  # all secondary
    assert '<a class="button"' not in html  # the attached report is a plain link, not an action
    assert '<a href="/ec/reports/824751.pdf">The report that was attached (PDF)</a>' in html


def test_an_artifact_to_send_copies_to_subject_and_body_apart():
    html = render(Artifact(**EMAIL).as_json())

    assert '<span class="badge badge-to-send">Ready to send</span>' in html
    assert "Sent to" not in html
    found = copies(html)
    assert found["Copy To"] == "EmployerGroup@humana.com"
    assert found["Copy Subject"] == EMAIL["subject"]
    assert found["Copy Body"] == EMAIL["body"]
    assert "To:" not in found["Copy Body"] and "Subject:" not in found["Copy Body"]
    # The body is the main copy action; To and Subject are the small ones.
    assert 'class="button copy" data-copy="Please grant' in html
    assert '<a class="button" href="/ec/reports/824751.pdf">Download the report (PDF)</a>' in html


def test_an_artifacts_address_is_a_mailto_link():
    html = render(Artifact(**EMAIL).as_json())

    assert ('<span>To</span> <code><a href="mailto:EmployerGroup@humana.com">'
            "EmployerGroup@humana.com</a></code>") in html


def test_a_servicenow_text_is_copied_as_one_text():
    html = render(Artifact(kind=Artifact.SERVICENOW, title="ServiceNow incident",
                           body="SL App ID: 5550001").as_json())

    assert copies(html) == {"Copy the text": "SL App ID: 5550001"}
    assert "To enter in ServiceNow" in html


@pytest.mark.parametrize("stored", [
    # As cases stored artifacts before issue 18: no sent_to, sent_at or reference keys.
    {"kind": "email", "title": "E-mail to AgentRSOS@humana.com", "to": "AgentRSOS@humana.com",
     "subject": "[Member Last Name Here]", "body": "Agent Name: (Required)", "url": "",
     "url_label": ""},
    # Older still, without url_label, and a key this version does not know.
    {"kind": "servicenow", "title": "ServiceNow incident", "to": "", "subject": "",
     "body": "Group ID: 824751", "url": "", "retired_key": "x"},
])
def test_an_artifact_stored_before_the_sent_fields_still_renders(stored):
    html = render(stored)

    assert stored["title"] in html and stored["body"] in html
    assert "Sent to" not in html and "badge-to-send" in html
    assert copies(html)  # still copyable
    assert not Artifact.from_json(stored).is_sent


def test_it_round_trips_through_json_and_keeps_old_keys_only_when_set():
    plain = Artifact(kind=Artifact.EMAIL, title="t", body="b")
    assert set(plain.as_json()) == {"kind", "title", "to", "subject", "body", "url", "url_label"}
    sent = Artifact.from_json(sent_email())
    assert sent.is_sent and sent.reference == "EC request #12"
    assert sent.sent_moment == SENT_AT
    assert Artifact.from_json({"kind": "email", "title": "t", "body": "b", "sent_to": "x",
                               "sent_at": "not a date"}).sent_moment is None


@pytest.mark.django_db
def test_the_ec_request_e_mail_shows_as_sent_on_the_case_page(client, specialist, on_day, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    on_day(dt.date(2026, 12, 9))  # 10:00, outside the 1st-5th blackout
    group, _ = make_eligible_group(group_number="824751")
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(specialist, "ec-employer-access", [
            ("group", {"group-group_number": "824751"}), ("run_report", {}),
            ("expedite", {"choice": "standard"})])
    request = ECRequest.objects.get()
    client.force_login(specialist)

    body = client.get(reverse("case_step", args=[case.reference, case.current_step])).content.decode()

    [email] = mailoutbox
    assert re.search(r'Sent to <strong>EmployerGroup@humana.com</strong> at <time datetime='
                     r'"2026-12-09T10:00:[\d.]+-05:00">Wed Dec 9, 2026, 10:00</time>, '
                     rf"EC request #{request.pk}\. Nothing for you to send\.", body)
    assert copies(body)["Copy Body"] == email.body
    assert "Ready to send" not in body
