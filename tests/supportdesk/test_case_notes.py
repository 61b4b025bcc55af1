"""A note box on every case page: appended to the transcript, refused (kept in the box, nothing
saved) when it looks like member data or is too long; only the case's own specialist adds one."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from supportdesk import services
from supportdesk.models import AuditEntry, Case, CaseEvent
from supportdesk.services import CASE_NOTE_MAX_LENGTH
from tests.factories import make_case
from tests.pages import HTMX, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(specialist):
    return make_case(specialist, "arsos-routing")


def note_url(case: Case) -> str:
    return reverse("case_note_add", args=[case.reference])


def notes(case: Case) -> list[str]:
    return list(case.events.filter(kind=CaseEvent.Kind.NOTE).values_list("answer", flat=True))


def test_it_appends_the_note_and_swaps_in_the_side_panel(signed_in, case, specialist):
    text = "Agent called back about group 824751, SL app 5550013; INC0012345, 1-800-448-6262."
    response = signed_in.post(note_url(case), {"note-text": f"  {text}  "}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="case-side"' in page
    assert "<h1" not in page  # the panel alone: the step beside it keeps what was typed
    assert "Note added to the transcript." in page
    assert text in page  # in "So far"
    assert '<textarea name="note-text"' in page and f"{text}</textarea>" not in page  # box emptied
    assert notes(case) == [text]
    event = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert event.user == specialist
    assert AuditEntry.objects.filter(action="case.note", object_id=str(case.pk)).count() == 1
    case.refresh_from_db()
    assert case.news == ""  # one's own note is no news to oneself


def test_it_comes_back_to_the_step_without_javascript(signed_in, case):
    response = signed_in.post(note_url(case), {"note-text": "Caller will ring back after lunch."})
    assert response.status_code == 303 and response["Location"] == step_url(case)
    page = signed_in.get(response["Location"]).content.decode()
    assert "Note added to the transcript." in page
    assert "Caller will ring back after lunch." in page


def test_the_note_is_in_the_supervisors_transcript(client, case, specialist, supervisor):
    client.force_login(specialist)
    client.post(note_url(case), {"note-text": "Employer asked for the report by Friday."})
    client.force_login(supervisor)
    page = client.get(reverse("supervisor_case", args=[case.reference])).content.decode()
    assert "Employer asked for the report by Friday." in page


def test_the_page_says_never_to_type_member_data(signed_in, case):
    page = signed_in.get(step_url(case)).content.decode()
    assert "Never a member&#x27;s name, ID or date of birth." in page
    assert 'maxlength' not in page.split('id="case-side"')[1].split("</form>")[0]  # never cut
    assert f'data-max-length="{CASE_NOTE_MAX_LENGTH}"' in page


@pytest.mark.parametrize(("text", "kind"), [
    ("Member ID H55501234 cannot log in", "a member ID"),
    ("DOB 02/19/1958", "a date of birth"),
    ("Caller's mother, born Feb 19, 1958, is on the plan", "a date of birth"),
    ("Member name: Zebedeea Quillfeather", "a member&#x27;s name"),
    ("HUSKY client ID 111111111 missing from the panel", "a member ID"),
])
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_it_refuses_member_data_keeps_the_text_and_saves_nothing(signed_in, case, text, kind,
                                                                 htmx):
    audited = AuditEntry.objects.count()
    response = signed_in.post(note_url(case), {"note-text": text}, **(HTMX if htmx else {}))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"This note holds what looks like {kind}" in page
    assert "Nothing was saved." in page
    assert 'aria-invalid="true"' in page
    # Kept in the box to fix, escaped as the widget's template escapes it (&#39; or &#x27;).
    assert f">\n{text}</textarea>" in html.unescape(page)
    assert ("<h1" in page) is not htmx  # without JavaScript, the whole page comes back
    assert notes(case) == []
    assert AuditEntry.objects.count() == audited


def test_the_service_refuses_member_data_too_without_quoting_it(case, specialist):
    with pytest.raises(services.StepRefused) as refused:
        services.case_note_add(case=case, user=specialist, text="member id H55501234")
    assert "a member ID" in str(refused.value) and "H55501234" not in str(refused.value)
    assert notes(case) == []


def test_it_refuses_a_note_over_the_limit_with_its_count_and_never_cuts_it(signed_in, case):
    text = "x" * (CASE_NOTE_MAX_LENGTH + 1)
    page = signed_in.post(note_url(case), {"note-text": text}, **HTMX).content.decode()
    assert "This note is 1,001 characters; a note holds at most 1,000." in page
    assert f">\n{text}</textarea>" in page
    assert notes(case) == []
    # At the limit it is kept, whole; a line break counts once, as the box's counter counts it
    # (the browser sends it as CR LF: 1,009 characters sent, 1,000 kept).
    at_limit = "\r\n".join(["y" * 99] * 10) + "z"
    assert len(at_limit) > CASE_NOTE_MAX_LENGTH
    page = signed_in.post(note_url(case), {"note-text": at_limit}, **HTMX).content.decode()
    assert "Note added to the transcript." in page
    assert notes(case) == ["\n".join(["y" * 99] * 10) + "z"]
    assert len(notes(case)[0]) == CASE_NOTE_MAX_LENGTH


def test_it_refuses_an_empty_note(signed_in, case):
    page = signed_in.post(note_url(case), {"note-text": "   "}, **HTMX).content.decode()
    assert "Type the note first." in page
    assert notes(case) == []


def test_a_closed_case_takes_a_follow_up_note(signed_in, specialist):
    case = make_case(specialist, "arsos-routing", [
        ("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "commission"}),
    ])
    assert case.status == Case.Status.CLOSED
    signed_in.post(note_url(case), {"note-text": "Agent confirmed Agent Support replied."}, **HTMX)
    assert notes(case) == ["Agent confirmed Agent Support replied."]
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_another_specialist_gets_a_404_and_writes_nothing(client, case, other_specialist):
    client.force_login(other_specialist)
    assert client.post(note_url(case), {"note-text": "Not my case."}).status_code == 404
    assert notes(case) == []


def test_it_sends_anonymous_requests_to_the_login_page(client, case):
    response = client.post(note_url(case), {"note-text": "Who am I?"})
    assert response.status_code == 302
    assert response["Location"] == redirect_to_login(note_url(case))["Location"]
    assert notes(case) == []


def test_it_refuses_get(signed_in, case):
    assert signed_in.get(note_url(case)).status_code == 405


@pytest.mark.parametrize("role", ["supervisor", "access_user"])
def test_other_roles_are_refused(request, client, case, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(note_url(case), {"note-text": "A note."}).status_code == 403
    assert notes(case) == []
