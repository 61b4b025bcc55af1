"""Member names, IDs and dates of birth never reach a log record, an error report or a URL.

The test runs, through the pages, every flow and service that takes member data: the ARSOS
routing flow to a mailbox escalation filled in with a member's name and ID (then sent, read by a
supervisor, refused to another specialist, reminded by the SLA task); the HUSKY member checker
and the HUSKY provider flow with a date of birth; the Noyo member-change checker and its flow with
a birth (QLE) date. Every logger listens at DEBUG meanwhile, and every URL the app sent the browser
to (redirects, htmx headers, links and form targets in the pages) is kept. A view that fails
with member data in its POST is also logged and reported to ADMINS as Django does in production.

(The database's own statement log, django.db.backends at DEBUG, would show stored values; it only
exists with DEBUG=True and LOGGING keeps it at WARNING.)
"""

from __future__ import annotations

import datetime as dt
import logging
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.log import AdminEmailHandler
from django.views.debug import get_default_exception_reporter_filter

from agent_rsos import services as arsos
from agent_rsos.models import Escalation
from supportdesk import services as case_services
from supportdesk.middleware import PhiSafeExceptionReporterFilter
from supportdesk.models import AuditEntry, Case, CaseEvent
from tests.agent_rsos.make import TO_MAILBOX_LINE

pytestmark = pytest.mark.django_db

FIRST_NAME, LAST_NAME, MEMBER_ID = "Zebedeea", "Quillfeather", "H55501234"
DATE_OF_BIRTH = dt.date(1958, 2, 19)
BIRTH_EVENT = dt.date(2025, 1, 9)  # a QLE birth: the newborn's date of birth
SUBMITTED = dt.date(2025, 3, 12)  # with the event date, it would give the birth date back


def spellings(day: dt.date) -> list[str]:
    return [day.isoformat(), day.strftime("%m/%d/%Y"), f"{day.month}/{day.day}/{day.year}",
            day.strftime("%d/%m/%Y"), f"{day:%B} {day.day}, {day.year}",
            f"{day:%b}. {day.day}, {day.year}", day.strftime("%Y%m%d")]


PHI = [FIRST_NAME, LAST_NAME, MEMBER_ID, *spellings(DATE_OF_BIRTH), *spellings(BIRTH_EVENT),
       *spellings(SUBMITTED)]

URL_HEADERS = ("Location", "HX-Redirect", "HX-Location", "HX-Push-Url", "HX-Replace-Url")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "hx-put",
                  "hx-delete", "hx-push-url", "hx-replace-url", "data-url"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in URL_ATTRIBUTES and value]


class RecordingClient(Client):
    """A test client that keeps every URL requested, redirected to, pushed or linked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urls: list[str] = []

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        query = request.get("QUERY_STRING", "")
        self.urls.append(request["PATH_INFO"] + (f"?{query}" if query else ""))
        self.urls += [response[header] for header in URL_HEADERS if header in response]
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            links = _Links()
            links.feed(response.content.decode())
            self.urls += links.urls
        return response


@pytest.fixture
def every_log(caplog):
    """caplog at DEBUG on every logger, the non-propagating ones included."""
    caplog.set_level(logging.DEBUG)
    added = []
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(logging.DEBUG, logger=name)
            if not logger.propagate:
                logger.addHandler(caplog.handler)
                added.append(logger)
    yield caplog
    for logger in added:
        logger.removeHandler(caplog.handler)


def log_text(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter()
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        if record.exc_info:
            parts.append(formatter.formatException(record.exc_info))
        if record.stack_info:
            parts.append(record.stack_info)
        request = getattr(record, "request", None)
        if request is not None:
            parts.append(request.get_full_path())
    return "\n".join(parts)


def assert_no_phi(where: str, text: str) -> None:
    leaked = [value for value in PHI if value in text]
    assert not leaked, f"member data in {where}: {leaked}"


def signed_in(user: Any) -> RecordingClient:
    client = RecordingClient()
    client.force_login(user)
    return client


def walk(client: RecordingClient, flow_key: str, answers: list[tuple[str, dict]]) -> Case:
    """Open a case and answer its steps through the pages, as htmx does."""
    opened = client.post(reverse("case_open", args=[flow_key]), {"caller_type": "agent"})
    assert opened.status_code == 303, opened.content[:500]
    case = Case.objects.latest("pk")
    for step_key, data in answers:
        case.refresh_from_db()
        assert case.current_step == step_key, (case.current_step, step_key)
        response = client.post(reverse("case_step", args=[case.reference, step_key]), data,
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    case.refresh_from_db()
    return case


def arsos_escalation_pages(specialist: Any, other_specialist: Any, supervisor: Any) -> list[str]:
    client = signed_in(specialist)
    case = walk(client, "arsos-routing", [*TO_MAILBOX_LINE, ("mailbox_line", {"mailbox_line-medicare": "on"})])
    escalation = Escalation.objects.get(case=case)
    page = reverse("arsos_escalation", args=[escalation.pk])
    details = {"medicare": "on", "topic": "billing", "agent_name": "Robin Agent",
               "agent_san": "1234567", "member_id": MEMBER_ID, "member_first_name": FIRST_NAME,
               "member_last_name": LAST_NAME, "reference_number": "SI-99881",
               "summary": f"{FIRST_NAME} {LAST_NAME} ({MEMBER_ID}, born {DATE_OF_BIRTH:%m/%d/%Y}) "
                          "was billed after the plan change; the SI was closed unresolved."}
    assert client.get(page).status_code == 200
    invalid = client.post(reverse("arsos_escalation_save", args=[escalation.pk]),
                          {**details, "summary": "too short"})
    assert invalid.status_code == 200 and FIRST_NAME in invalid.content.decode()  # shown back
    saved = client.post(reverse("arsos_escalation_save", args=[escalation.pk]), details, follow=True)
    assert saved.status_code == 200 and LAST_NAME in saved.content.decode()
    assert client.get(reverse("arsos_escalation_eml", args=[escalation.pk])).status_code == 200
    sent_at = timezone.localtime() - dt.timedelta(minutes=1)
    sent = client.post(reverse("arsos_escalation_sent", args=[escalation.pk]),
                       {"sent-occurred_at": sent_at.strftime("%Y-%m-%dT%H:%M")}, follow=True)
    assert sent.status_code == 200
    client.get(reverse("arsos_my_escalations"))
    client.get(reverse("case_resume", args=[case.reference]), follow=True)

    other = signed_in(other_specialist)
    assert other.get(page).status_code == 404  # logged by django.request
    reviewer = signed_in(supervisor)
    assert reviewer.get(page).status_code == 200
    reviewer.get(reverse("arsos_escalation_overview"))
    reviewer.get(reverse("supervisor_case", args=[case.reference]))

    assert arsos.sla_reminders_send(now=timezone.now() + dt.timedelta(days=30)) >= 1
    return client.urls + other.urls + reviewer.urls


def husky_pages(specialist: Any) -> list[str]:
    client = signed_in(specialist)
    today = timezone.localdate()
    checker = reverse("husky_member_check")
    member = {"check_date": today.isoformat(), "sex": "F", "on_panel": "on",
              "date_of_birth": DATE_OF_BIRTH.isoformat()}
    assert client.post(checker, member).status_code == 200
    assert client.post(checker, member, HTTP_HX_REQUEST="true").status_code == 200
    assert client.post(checker, {**member, "age": "3"}).status_code == 200  # disagrees: an error
    assert client.post(checker, {**member, "check_date": "1950-01-01"}).status_code == 200
    # The catalog search is a POST and refuses a member's name or ID typed into it.
    catalog = reverse("husky_catalog")
    for question in (f"{FIRST_NAME} {LAST_NAME}", MEMBER_ID):
        response = client.post(catalog, {"q": question})
        assert response.status_code == 200 and response.context["matches"] == []
        assert response.context["form"].errors["q"]
    step = "member_cancer_screenings"
    case = walk(client, "husky-provider-portal", [
        ("need", {"choice": "missing_member"}), ("missing_report", {"choice": "cancer_screenings"}),
        (step, {f"{step}-check_date": today.isoformat(), f"{step}-sex": "F",
                f"{step}-on_panel": "on", f"{step}-date_of_birth": DATE_OF_BIRTH.isoformat()}),
    ])
    assert case.current_step != step and case.answers[step]["age"] >= 66
    return client.urls


def noyo_pages(specialist: Any) -> list[str]:
    client = signed_in(specialist)
    change = {"transaction": "qle_birth", "submitted_on": SUBMITTED.isoformat(),
              "event_date": BIRTH_EVENT.isoformat(), "group_state": "TX"}
    response = client.post(reverse("noyo_member_change_check"), change)
    assert response.status_code == 200 and response.context["findings"] is not None
    client.post(reverse("noyo_member_change_check"), {**change, "event_date": "2025-02-30"})
    case = walk(client, "noyo-member-change-rejected",
                [("change", {f"change-{name}": value for name, value in change.items()})])
    assert case.answers["change"]["days_after_anchor"] == (SUBMITTED - BIRTH_EVENT).days
    return client.urls


def test_it_keeps_member_data_out_of_logs_and_urls(every_log, specialist, other_specialist,
                                                    supervisor):
    specialist.email = "sam.rivera@example.com"
    specialist.save()

    urls = arsos_escalation_pages(specialist, other_specialist, supervisor)
    urls += husky_pages(specialist)
    urls += noyo_pages(specialist)

    records = every_log.records
    assert any(r.levelno == logging.DEBUG for r in records)  # really listening at DEBUG
    assert any(r.name == "django.request" and "Not Found" in r.getMessage() for r in records)
    assert any(r.name == "agent_rsos.services" for r in records)  # the reminder was logged
    assert_no_phi("the logs", log_text(records))
    assert len(urls) > 100 and any("/arsos/escalations/" in url for url in urls)
    assert_no_phi("the URLs", "\n".join(urls))
    # Nor at rest where the rules forbid it: the transcripts, the cases' answers, the audit trail.
    stored = [f"{e.shown} {e.answer} {e.value} {e.artifact}" for e in CaseEvent.objects.all()]
    stored += [str(answers) for answers in Case.objects.values_list("answers", flat=True)]
    stored += list(AuditEntry.objects.values_list("summary", flat=True))
    assert_no_phi("transcripts, answers or the audit trail", "\n".join(stored))


def test_it_keeps_member_data_out_of_a_failing_views_log_and_error_report(
        every_log, specialist, settings, monkeypatch):
    assert isinstance(get_default_exception_reporter_filter(), PhiSafeExceptionReporterFilter)
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = signed_in(specialist)
    case = walk(client, "arsos-routing", [*TO_MAILBOX_LINE, ("mailbox_line", {"mailbox_line-medicare": "on"})])
    escalation = Escalation.objects.get(case=case)

    def explode(**kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(arsos, "escalation_save_details", explode)
    client.raise_request_exception = False
    response = client.post(reverse("arsos_escalation_save", args=[escalation.pk]), {
        "medicare": "on", "topic": "billing", "agent_name": "Robin Agent", "agent_san": "1234567",
        "member_id": MEMBER_ID, "member_first_name": FIRST_NAME, "member_last_name": LAST_NAME,
        "summary": f"{FIRST_NAME} {LAST_NAME}, born {DATE_OF_BIRTH.isoformat()}, was billed twice.",
    })

    assert response.status_code == 500
    errors = [r for r in every_log.records if r.name == "django.request" and r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info
    assert_no_phi("the error log", log_text(every_log.records))

    # What production's mail_admins handler would send for that record.
    mail.outbox.clear()
    AdminEmailHandler().emit(errors[0])
    assert len(mail.outbox) == 1
    report = mail.outbox[0].body
    assert "RuntimeError" in report and "member_first_name" in report  # the report is real...
    assert_no_phi("the error report to ADMINS", report)  # ...and its POST values are starred
    assert_no_phi("the URLs", "\n".join(client.urls))


def test_it_refuses_member_data_in_a_case_note_and_keeps_it_out_of_logs_and_urls(
        every_log, specialist, settings, monkeypatch):
    """The note box on a case page refuses a member's ID, date of birth or labelled name (kept
    in the box, nothing saved), with htmx and without; a note whose write fails is reported to
    ADMINS with its text starred."""
    client = signed_in(specialist)
    case = walk(client, "arsos-routing", [])
    url = reverse("case_note_add", args=[case.reference])
    typed = [f"Member ID {MEMBER_ID}", f"Member name: {FIRST_NAME} {LAST_NAME}",
             *(f"DOB {spelling}" for spelling in spellings(DATE_OF_BIRTH)),
             *(f"Newborn {spelling}" for spelling in spellings(BIRTH_EVENT)),
             *(f"Sent {spelling}" for spelling in spellings(SUBMITTED))]
    for text in typed:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.post(url, {"note-text": text}, **headers)
            assert response.status_code == 200, text
            assert "Nothing was saved." in response.content.decode(), text
    assert not case.events.filter(kind=CaseEvent.Kind.NOTE).exists()

    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def explode(**kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(case_services, "case_note_add", explode)
    client.raise_request_exception = False
    # Passes the rule (no label): the write itself fails, with the note in the POST.
    response = client.post(url, {"note-text": f"{FIRST_NAME} {LAST_NAME} called"})
    assert response.status_code == 500
    errors = [r for r in every_log.records if r.name == "django.request" and r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info
    mail.outbox.clear()
    AdminEmailHandler().emit(errors[0])
    assert_no_phi("the error report to ADMINS", mail.outbox[0].body)
    assert_no_phi("the logs", log_text(every_log.records))
    assert_no_phi("the URLs", "\n".join(client.urls))
    stored = list(AuditEntry.objects.values_list("summary", flat=True))
    assert_no_phi("the audit trail", "\n".join(stored))
