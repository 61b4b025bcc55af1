"""From the ARSOS routing flow to the mailbox e-mail, in a real browser: the flow drafts the
escalation, the specialist fills it in (refused when mixing lines, offered a split), copies and
downloads the e-mail, marks it sent, and the supervisor sees it in the overview."""

from __future__ import annotations

import email
import re
from email import policy

import pytest
from playwright.sync_api import Page, expect

from agent_rsos.models import Escalation
from supportdesk.models import CaseEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page: Page, label: str) -> None:
    """One click answers a question: each choice is its own button."""
    page.get_by_role("button", name=label, exact=True).click()


def save_mailbox_template(page: Page, *, reference: str = "") -> None:
    """Fill in the escalation's mailbox template (Reference # only when given) and save it."""
    page.get_by_label("Agent Name").fill("Robin Agent")
    page.get_by_label("Agent SAN").fill("1234567")
    page.get_by_label("Member ID #").fill("H12345678")
    page.get_by_label("Member last name").fill("Okonkwo-Smith")
    page.get_by_label("Member first name").fill("Janine")
    if reference:
        page.get_by_label("Reference #").fill(reference)
    page.get_by_label("Summary of issue").fill("Billing shows a premium after the plan change.")
    page.get_by_role("button", name="Save and show the e-mail").click()


def test_it_goes_from_the_routing_flow_to_the_escalation_email(
    live_server, browser, sign_in, specialist, supervisor, tmp_path
):
    context = browser.new_context(accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = sign_in(context.new_page(), specialist)

    # 1. The routing flow, to the mailbox.
    page.get_by_role("link", name="Agent RSOS: route a member service request").click()
    page.get_by_role("button", name="Start the case").click()
    choose(page, "Post-sale: a customer service need for a member")
    choose(page, "Billing issues")
    choose(page, "My Humana Business: for existing members")
    page.get_by_role("button", name="Done, continue").click()
    choose(page, "It was submitted before, and the member's issue is still not resolved")
    choose(page, "Escalate the member issue to the ARSOS mailbox")
    page.get_by_label("Medicare concern").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="E-mail to the ARSOS mailbox")).to_be_visible()
    escalation = Escalation.objects.get()
    expect(page.locator(".artifact")).to_contain_text(f"ARSOS escalation #{escalation.pk} (Medicare) drafted")

    # 2. The draft escalation's own page.
    page.locator(f'a[href="/arsos/escalations/{escalation.pk}/"]').click()
    expect(page.get_by_role("heading", name=f"ARSOS escalation #{escalation.pk} (Medicare)")).to_be_visible()
    expect(page.get_by_label("Medicare concern")).to_be_checked()
    expect(page.get_by_label("What is the issue about?")).to_have_value("billing")

    # Both lines: refused, with the offer to split.
    page.get_by_label("Individual (HumanaOne) concern").check()
    save_mailbox_template(page, reference="SI-99881")
    expect(page.get_by_text("Send Medicare and Individual (HumanaOne) concerns in separate e-mails")).to_be_visible()
    expect(page.get_by_label("Agent Name")).to_have_value("Robin Agent")  # nothing typed is lost
    page.get_by_role("button", name="Split: start a second escalation for HumanaOne").click()
    second = Escalation.objects.get(line_of_business="HumanaOne")
    expect(page.get_by_text(f"ARSOS escalation #{second.pk} (HumanaOne) is a separate draft")).to_be_visible()

    # One line: saved, and the e-mail is rendered.
    save_mailbox_template(page)
    expect(page.locator("#email-subject")).to_have_text("Okonkwo-Smith, Janine Medicare")
    expect(page.locator("#email-body")).to_have_text(
        "Agent Name: Robin Agent\nAgent SAN: 1234567\nMember ID #: H12345678\n"
        "Member Name in question: Janine Okonkwo-Smith\nReference #: N/A\n"
        "Summary of issue: Billing shows a premium after the plan change."
    )
    # To, Subject and Body are copied apart, as a mail client asks for them.
    page.get_by_role("button", name="Copy Subject").click()
    expect(page.get_by_role("button", name="Copied ✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == "Okonkwo-Smith, Janine Medicare"
    page.get_by_role("button", name="Copy Body").click()
    expect(page.get_by_role("button", name="Copied ✓")).to_have_count(2)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Agent Name: Robin Agent\n") and "Subject:" not in copied

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .eml").click()
    download = download_info.value
    assert download.suggested_filename == f"arsos-escalation-{escalation.pk}.eml"
    eml = tmp_path / download.suggested_filename
    download.save_as(eml)
    parsed = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Okonkwo-Smith, Janine Medicare"
    assert parsed["To"] == "AgentRSOS@humana.com"

    # 3. Sent: the clock starts.
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("the 72-hour response clock is running")).to_be_visible()
    expect(page.get_by_role("heading", name="SLA clock")).to_be_visible()
    expect(page.get_by_text("within 72 business hours")).to_be_visible()
    escalation.refresh_from_db()
    assert escalation.status == "sent" and escalation.response_due_at is not None

    # The member's data never reached the case or a URL.
    for event in CaseEvent.objects.filter(case=escalation.case):
        for value in ("Okonkwo", "Janine", "H12345678"):
            assert value not in f"{event.shown} {event.answer} {event.value} {event.artifact}"
    assert not re.search("Okonkwo|Janine|H12345678", page.url)
    context.close()

    # 4. The supervisor sees it among the open escalations.
    page = sign_in(browser.new_page(), supervisor)
    page.goto(f"{live_server.url}/arsos/escalations/overview/")
    row = page.get_by_role("row").filter(has_text=f"#{escalation.pk}")
    expect(row).to_contain_text("Sent")
    expect(row).to_contain_text("Response within 72 hours")
    expect(page.get_by_role("heading", name="SLA compliance per week")).to_be_visible()
