"""Feedback from the floor (issue 21): a specialist reports a problem with a step, the flow's
authors answer and close it, the specialist reads the answer; never member data, every change
of status in the audit trail, only the case's own specialist reports on it."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk import feedback
from supportdesk.feedback import FeedbackRefused
from supportdesk.models import AuditEntry, Case, StepFeedback
from tests.factories import make_case
from tests.pages import HTMX, step_url

pytestmark = pytest.mark.django_db

FLOW = "arsos-routing"
STEP = "sale_stage"
STEP_TITLE = "Is this a pre-sale or a post-sale question?"
PROBLEM = "The post-sale choice should say which phone line to use: 1-800-448-6262?"


@pytest.fixture
def case(specialist) -> Case:
    return make_case(specialist, FLOW)


@pytest.fixture
def author_client(author) -> Client:
    client = Client()
    client.force_login(author)
    return client


def report_url(case: Case, step_key: str = STEP) -> str:
    return reverse("step_feedback", args=[case.reference, step_key])


def report(case: Case, user, text: str = PROBLEM) -> StepFeedback:
    return feedback.feedback_report(case=case, user=user, step_key=STEP, text=text)


def actions() -> list[str]:
    return list(AuditEntry.objects.filter(action__startswith="flow.feedback")
                .order_by("pk").values_list("action", flat=True))


def test_the_round_trip(signed_in, case, specialist, author, author_client):
    # The step's page offers the box, under the step.
    page = signed_in.get(step_url(case)).content.decode()
    assert "Report a problem with this step" in page and report_url(case) in page

    # Reported with htmx: only the box comes back, with the thanks; the step stays as it is.
    response = signed_in.post(report_url(case), {"feedback-text": PROBLEM}, **HTMX)
    assert response.status_code == 200
    box = response.content.decode()
    assert 'id="step-feedback"' in box and "<h1" not in box and 'id="case"' not in box
    assert "Thanks: the flow's authors will see it." in box
    assert f"{PROBLEM}</textarea>" not in box  # the box is emptied for the next one
    sent = StepFeedback.objects.get()
    assert (sent.flow_key, sent.version, sent.step_key, sent.step_title) == (
        FLOW, case.flow_version, STEP, STEP_TITLE)
    assert (sent.case, sent.reported_by, sent.status, sent.text) == (
        case, specialist, StepFeedback.Status.OPEN, PROBLEM)
    assert feedback.open_counts() == {FLOW: 1}

    # The authors' overview and the flow's list show it, by titles (never a key).
    overview = author_client.get(reverse("feedback_overview")).content.decode()
    assert "Agent RSOS" in overview or "RSOS" in overview
    listing = author_client.get(reverse("flow_feedback", args=[FLOW]))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert STEP_TITLE in page and "1-800-448-6262" in page
    assert f"Version {case.flow_version}" in page and "Sam Rivera" in page
    assert STEP not in page.replace(report_url(case), "")  # no step key on the page

    # Answered with htmx: the card alone comes back, answered.
    answer_url = reverse("flow_feedback_answer", args=[FLOW, sent.pk])
    answer = "Yes: the Customer Service SOS line. Version 3 will say so."
    card = author_client.post(answer_url, {f"answer-{sent.pk}-text": answer}, **HTMX)
    assert card.status_code == 200
    assert f'id="feedback-{sent.pk}"' in card.content.decode()
    assert "Answer sent" in card.content.decode()
    sent.refresh_from_db()
    assert (sent.status, sent.answer, sent.answered_by) == ("answered", answer, author)
    assert feedback.open_counts() == {}

    # The specialist's home page tells of it until they open My reports, which shows it.
    home = signed_in.get(reverse("home")).content.decode()
    assert "1 of your reports was answered" in home
    mine = signed_in.get(reverse("feedback_mine")).content.decode()
    assert answer in mine and STEP_TITLE in mine and "New answer" in mine
    sent.refresh_from_db()
    assert sent.answer_seen_at is not None
    assert "of your reports" not in signed_in.get(reverse("home")).content.decode()
    assert "New answer" not in signed_in.get(reverse("feedback_mine")).content.decode()

    # Closed without JavaScript: back to the list (open and answered: it is gone from it).
    close_url = reverse("flow_feedback_close", args=[FLOW, sent.pk])
    response = author_client.post(close_url, {"back": "status=answered"})
    assert response.status_code == 303
    assert response["Location"] == reverse("flow_feedback", args=[FLOW]) + "?status=answered"
    sent.refresh_from_db()
    assert sent.status == "closed" and sent.closed_at is not None
    assert PROBLEM not in author_client.get(reverse("flow_feedback", args=[FLOW])).content.decode()
    closed = author_client.get(reverse("flow_feedback", args=[FLOW]), {"status": "closed"})
    assert "1-800-448-6262" in closed.content.decode()
    # The specialist still reads the answer of a closed report.
    assert answer in signed_in.get(reverse("feedback_mine")).content.decode()

    assert actions() == ["flow.feedback_report", "flow.feedback_answer", "flow.feedback_close"]


def test_it_reports_without_javascript_and_comes_back_to_the_step(signed_in, case):
    response = signed_in.post(report_url(case), {"feedback-text": PROBLEM})
    assert response.status_code == 303 and response["Location"] == step_url(case)
    page = signed_in.get(response["Location"]).content.decode()
    assert "Thanks: the flow&#x27;s authors will see it." in page
    assert STEP_TITLE in page  # the step is still there
    assert StepFeedback.objects.count() == 1


MEMBER_DATA = [
    ("The ID H55501234 did not work here", "a member ID"),
    ("Member ID: 123456789 was refused", "a member ID"),
    ("Caller born 2/19/1958 could not be found", "a date of birth"),
    ("member name: Alice Smith is not in the list", "a member's name"),
]


@pytest.mark.parametrize(("text", "kind"), MEMBER_DATA)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_it_refuses_member_data_keeps_the_text_and_saves_nothing(signed_in, case, text, kind,
                                                                 htmx):
    audited = AuditEntry.objects.count()
    response = signed_in.post(report_url(case), {"feedback-text": text},
                              **(HTMX if htmx else {}))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"This report holds what looks like {kind.replace(chr(39), '&#x27;')}" in page
    assert "Nothing was saved." in page
    # Kept in the box to fix, escaped as the widget's template escapes it (&#39; or &#x27;).
    assert f">\n{text}</textarea>" in html.unescape(page)
    assert ("<h1" in page) is not htmx  # without JavaScript, a page of its own
    assert ("<details open>" in page) is htmx  # with htmx, the box opened to fix it
    assert StepFeedback.objects.count() == 0
    assert AuditEntry.objects.count() == audited


def test_the_services_refuse_member_data_without_quoting_it(case, specialist, author):
    with pytest.raises(FeedbackRefused) as refused:
        report(case, specialist, "member id H55501234 again")
    assert "a member ID" in str(refused.value) and "H55501234" not in str(refused.value)
    sent = report(case, specialist)
    with pytest.raises(FeedbackRefused) as refused:
        feedback.feedback_answer(feedback=sent, user=author, text="Her DOB 1958-02-19 is fine")
    assert "This answer holds what looks like a date of birth" in str(refused.value)
    assert "1958" not in str(refused.value)
    sent.refresh_from_db()
    assert sent.status == "open" and sent.answer == ""
    assert actions() == ["flow.feedback_report"]


def test_an_author_answer_with_member_data_is_refused_and_kept(author_client, case, specialist):
    sent = report(case, specialist)
    text = "Patient's name is Jordan: use the other line"
    url = reverse("flow_feedback_answer", args=[FLOW, sent.pk])
    for extra in (HTMX, {}):
        page = author_client.post(url, {f"answer-{sent.pk}-text": text}, **extra).content.decode()
        assert "This answer holds what looks like a member&#x27;s name" in page
        assert "Jordan: use the other line</textarea>" in page
    sent.refresh_from_db()
    assert sent.status == "open" and sent.answer == ""
    assert actions() == ["flow.feedback_report"]


def test_it_refuses_a_report_over_the_limit_with_its_count_and_keeps_the_text(signed_in, case):
    text = "x" * (feedback.REPORT_MAX_LENGTH + 1)
    page = signed_in.post(report_url(case), {"feedback-text": text}, **HTMX).content.decode()
    assert "This report is 501 characters; a report holds at most 500." in page
    assert f">\n{text}</textarea>" in page
    assert StepFeedback.objects.count() == 0
    # At the limit it is kept whole, a line break counted once (the browser sends CR LF).
    at_limit = "\r\n".join(["y" * 49] * 10) + "z"
    assert len(at_limit) > feedback.REPORT_MAX_LENGTH
    page = signed_in.post(report_url(case), {"feedback-text": at_limit}, **HTMX).content.decode()
    assert "Thanks" in page
    assert len(StepFeedback.objects.get().text) == feedback.REPORT_MAX_LENGTH


def test_it_refuses_an_empty_report(signed_in, case):
    page = signed_in.post(report_url(case), {"feedback-text": "  "}, **HTMX).content.decode()
    assert "Say what is wrong with this step first." in page
    assert StepFeedback.objects.count() == 0


def test_a_closed_report_can_be_neither_answered_nor_closed_again(author_client, case,
                                                                  specialist, author):
    sent = feedback.feedback_close(feedback=report(case, specialist), user=author)
    with pytest.raises(FeedbackRefused, match="This report is closed: it can no longer be "
                                              "answered."):
        feedback.feedback_answer(feedback=sent, user=author, text="Fixed in version 2.")
    with pytest.raises(FeedbackRefused, match="can no longer be closed"):
        feedback.feedback_close(feedback=sent, user=author)
    # The page says so too, with or without JavaScript.
    url = reverse("flow_feedback_answer", args=[FLOW, sent.pk])
    card = author_client.post(url, {f"answer-{sent.pk}-text": "Fixed."}, **HTMX).content.decode()
    assert "it can no longer be answered" in card
    response = author_client.post(url, {f"answer-{sent.pk}-text": "Fixed."}, follow=True)
    assert "it can no longer be answered" in response.content.decode()
    sent.refresh_from_db()
    assert sent.answer == "" and sent.status == "closed"
    assert actions() == ["flow.feedback_report", "flow.feedback_close"]


def test_a_changed_answer_is_news_again(case, specialist, author):
    sent = report(case, specialist)
    feedback.feedback_answer(feedback=sent, user=author, text="First answer.")
    assert feedback.feedback_answer_seen(user=specialist) == [sent.pk]
    assert feedback.unseen_answer_count(specialist) == 0
    feedback.feedback_answer(feedback=sent, user=author, text="A better answer.")
    assert feedback.unseen_answer_count(specialist) == 1
    summaries = list(AuditEntry.objects.filter(action="flow.feedback_answer")
                     .order_by("pk").values_list("summary", flat=True))
    assert [s.rsplit(": ", 1)[1] for s in summaries] == ["answered.", "answer changed."]


def test_another_specialist_cannot_report_on_someones_case(client, case, other_specialist):
    client.force_login(other_specialist)
    for extra in (HTMX, {}):
        assert client.post(report_url(case), {"feedback-text": PROBLEM}, **extra).status_code == 404
        assert client.get(report_url(case)).status_code == 404
    with pytest.raises(FeedbackRefused):
        report(case, other_specialist)
    assert StepFeedback.objects.count() == 0
    assert actions() == []


def test_a_step_not_in_the_flow_is_not_found(signed_in, case):
    assert signed_in.post(report_url(case, "no_such_step"), {"feedback-text": PROBLEM}
                          ).status_code == 404


def test_each_change_writes_the_audit_trail_without_the_text(case, specialist, author):
    sent = report(case, specialist, "The menu path Vantage > Inquiries is out of date")
    feedback.feedback_answer(feedback=sent, user=author, text="Thanks: fixed in the next version")
    feedback.feedback_close(feedback=sent, user=author)
    entries = list(AuditEntry.objects.filter(action__startswith="flow.feedback").order_by("pk"))
    assert [(e.action, e.user, e.object_type, e.object_id) for e in entries] == [
        ("flow.feedback_report", specialist, "supportdesk.stepfeedback", str(sent.pk)),
        ("flow.feedback_answer", author, "supportdesk.stepfeedback", str(sent.pk)),
        ("flow.feedback_close", author, "supportdesk.stepfeedback", str(sent.pk)),
    ]
    for entry in entries:
        assert STEP_TITLE in entry.summary and STEP not in entry.summary
        assert "Vantage" not in entry.summary and "fixed" not in entry.summary
    assert case.reference in entries[0].summary


def test_the_authors_list_filters_by_version_and_status(author_client, case, specialist, author):
    first = report(case, specialist, "Older wording is unclear")
    StepFeedback.objects.filter(pk=first.pk).update(version=7)
    second = report(case, specialist, "The newer wording is unclear too")
    feedback.feedback_answer(feedback=second, user=author, text="Noted.")
    url = reverse("flow_feedback", args=[FLOW])
    page = author_client.get(url).content.decode()
    assert "Older wording" in page and "newer wording" in page
    page = author_client.get(url, {"version": "7"}).content.decode()
    assert "Older wording" in page and "newer wording" not in page
    page = author_client.get(url, {"status": "open"}).content.decode()
    assert "Older wording" in page and "newer wording" not in page
    page = author_client.get(url, {"version": "99"}).content.decode()  # no such choice: all
    assert 'aria-invalid="true"' in page or "Select a valid choice" in page


def test_the_specialist_sees_only_their_own_reports(client, case, specialist, other_specialist):
    report(case, specialist, "Only mine to read")
    client.force_login(other_specialist)
    page = client.get(reverse("feedback_mine")).content.decode()
    assert "Only mine to read" not in page and "You have reported no problems yet." in page


def test_the_navigation_has_the_feedback_links(signed_in, author_client):
    assert reverse("feedback_overview") in author_client.get(reverse("home")).content.decode()
    assert reverse("feedback_mine") in signed_in.get(reverse("home")).content.decode()
