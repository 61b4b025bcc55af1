"""The ARSOS routing flow in a real browser: with htmx, without JavaScript, then reviewed."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from supportdesk.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page: Page, label: str) -> None:
    """One click answers a question: each choice is its own button."""
    page.get_by_role("button", name=label, exact=True).click()


def test_it_runs_cases_with_and_without_javascript_and_a_supervisor_reviews_them(
    live_server, browser, sign_in, specialist, supervisor, tmp_path
):
    # 1. With htmx: the step is swapped in place (the page never reloads) and the URL follows.
    page = sign_in(browser.new_page(), specialist)
    page.get_by_role("link", name="Agent RSOS: route a member service request").click()
    page.get_by_role("button", name="Start the case").click()
    expect(page.get_by_role("heading", name="Is this a pre-sale or a post-sale question?")).to_be_visible()
    page.evaluate("window.__stillTheSamePage = true")
    choose(page, "Post-sale: a customer service need for a member")
    expect(page.get_by_role("heading", name="What does the agent need?")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/step/topic/$"))
    choose(page, "Commission question")
    expect(page.get_by_role("heading", name="Agent Support handles this")).to_be_visible()
    expect(page.get_by_text("agentsupport@humana.com or ☎ 1-800-309-3163")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/step/out_agent_support/$"))
    assert page.evaluate("window.__stillTheSamePage") is True
    htmx_case = Case.objects.get(outcome_key="out_agent_support")

    # 2. Without JavaScript: the same URLs work as full pages, Back included.
    context = browser.new_context(java_script_enabled=False)
    page = sign_in(context.new_page(), specialist)
    page.goto(f"{live_server.url}/cases/new/arsos-routing/")
    page.get_by_role("button", name="Start the case").click()
    choose(page, "Post-sale: a customer service need for a member")
    choose(page, "Member cannot get care or a prescription now (access to care)")
    page.get_by_role("button", name="← Back").click()
    last = page.get_by_role("button", name="Member cannot get care or a prescription now (access to care)", exact=True)
    expect(last).to_have_accessible_description("Your last answer")
    last.click()
    for label in (
        "The agent will place the call from their own phone",
        "The member is on the line (3-way call) or in the room with the agent",
        "The member has a current clinical need",
        "The member has an active medical plan",
    ):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Call the Customer Service SOS line")).to_be_visible()
    expect(page.get_by_text("should NEVER be given to members")).to_be_visible()
    no_js_case = Case.objects.get(outcome_key="out_sos_call")
    context.close()

    # 3. The supervisor finds both, reads the transcripts and downloads a PDF.
    page = sign_in(browser.new_page(), supervisor)
    page.get_by_role("link", name="Case history").first.click()
    for case in (htmx_case, no_js_case):
        expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    page.get_by_role("link", name=no_js_case.reference).click()
    transcript = page.locator("table.transcript")
    expect(transcript).to_contain_text("Went back")
    expect(transcript).to_contain_text("The member has a current clinical need: Yes")
    expect(transcript).to_contain_text("All criteria hold: call the SOS line")
    page.get_by_role("link", name="Case history").first.click()
    page.get_by_role("link", name=htmx_case.reference).click()
    expect(page.locator("table.transcript")).to_contain_text("Commission question")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download transcript PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{htmx_case.reference}-transcript.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert htmx_case.reference in text and "Agent Support handles this" in text
