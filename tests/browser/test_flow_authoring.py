"""An author changes the Provider Call Center's phone number, previews the draft as a specialist
would, publishes it; a specialist's new case shows the new number, with the notice of what
changed the first time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from supportdesk.models import Case, FlowVersion
from supportdesk.roles import Role
from tests.factories import make_case, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLOW = "husky-provider-portal"
OLD, NEW = "1.800.440.5071", "1.800.440.5099"


def walk_to_the_call_center(page) -> None:
    page.get_by_role("button", name="Who to contact about another portal or the call center").click()
    page.get_by_role("button", name="Provider Call Center").click()


def test_author_edits_a_phone_number_previews_publishes_and_a_new_case_shows_it(
        page, browser, live_server, sign_in):
    author = make_user("author", Role.FLOW_AUTHOR, first_name="Jo", last_name="Lindqvist")
    specialist = make_user("specialist", Role.SPECIALIST, first_name="Sam", last_name="Rivera")
    make_case(specialist, FLOW)  # the specialist has used the flow before it changes

    sign_in(page, author)
    page.get_by_role("link", name="Flow content").first.click()
    page.get_by_role("link", name="HUSKY provider portal: access, reports and members").click()
    number = page.locator("fieldset", has_text="Provider Call Center").filter(
        has=page.get_by_role("textbox", name="Text")).last.get_by_role("textbox", name="Text")
    text = number.input_value()
    assert OLD in text
    number.fill(text.replace(OLD, NEW))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved: 1 text(s) changed.")).to_be_visible()

    page.get_by_role("button", name="Preview as a specialist").click()
    expect(page.get_by_text("Preview", exact=True)).to_be_visible()
    walk_to_the_call_center(page)
    expect(page.locator("#case")).to_contain_text(NEW)
    page.get_by_role("link", name="Back to the editor").click()

    page.get_by_role("link", name="Review and publish…").click()
    expect(page.locator("table.compare")).to_contain_text(NEW)
    page.get_by_label("Change note").fill("The Provider Call Center has a new number.")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text("version 2 is published")).to_be_visible()
    assert FlowVersion.objects.filter(flow_key=FLOW).count() == 2
    assert not Case.objects.filter(preview=True).exists()  # the preview is in no list

    specialist_page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(specialist_page, specialist)
    specialist_page.goto(f"{live_server.url}/cases/new/{FLOW}/")
    notice = specialist_page.get_by_role("alert")
    expect(notice).to_contain_text("The Provider Call Center has a new number.")
    specialist_page.get_by_role("button", name="Got it").click()
    expect(specialist_page.get_by_text("This flow changed since you last used it")).to_have_count(0)
    specialist_page.get_by_role("button", name="Start the case").click()
    walk_to_the_call_center(specialist_page)
    expect(specialist_page.locator("#case")).to_contain_text(NEW)
    expect(specialist_page.locator("#case")).not_to_contain_text(OLD)
    specialist_page.context.close()
