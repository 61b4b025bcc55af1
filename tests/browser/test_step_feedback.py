"""Feedback from the floor in a real browser: a problem reported from a step with htmx (the
box alone swapped, the step and the page kept), counted as typed; the author answers it on
their list, the specialist reads the answer in My reports; both pages pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from supportdesk.models import StepFeedback
from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_goes_to_the_authors_and_its_answer_comes_back(live_server, browser, axe_context,
                                                                 sign_in, specialist, author, axe):
    case = make_case(specialist, "arsos-routing")
    page = sign_in(axe_context.new_page(), specialist)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    title = "Is this a pre-sale or a post-sale question?"
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.evaluate("window.__stillTheSamePage = true")

    page.get_by_text("Report a problem with this step").click()
    box = page.get_by_role("textbox", name="What is wrong with this step?")
    box.fill("x" * 501)
    expect(page.get_by_text("501 / 500 characters: 1 too many, shorten the report")).to_be_visible()
    box.fill("The post-sale choice should name the phone line.")
    page.get_by_role("button", name="Send to the flow's authors").click()
    expect(page.get_by_text("Thanks: the flow's authors will see it.")).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_be_visible()  # the step stays
    assert page.evaluate("window.__stillTheSamePage") is True
    report = StepFeedback.objects.get()
    assert report.step_title == title

    authors = browser.new_context(bypass_csp=True)  # their own session beside the specialist's
    authoring = sign_in(authors.new_page(), author)
    authoring.goto(f"{live_server.url}/flows/arsos-routing/feedback/")
    card = authoring.locator(f"#feedback-{report.pk}")
    expect(card).to_contain_text("The post-sale choice should name the phone line.")
    axe(authoring, "the authors' feedback list")
    card.get_by_role("textbox", name="Answer").fill("Version 2 names the Customer Service SOS line.")
    card.get_by_role("button", name="Send the answer").click()
    expect(authoring.locator(f"#feedback-{report.pk}")).to_contain_text("Answer sent")
    expect(authoring.locator(f"#feedback-{report.pk} .badge")).to_have_text("Answered")
    authors.close()

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Read the answer in My reports").click()
    expect(page.get_by_role("heading", name="My reports")).to_be_visible()
    expect(page.get_by_text("Version 2 names the Customer Service SOS line.")).to_be_visible()
    axe(page, "My reports")
