"""One-click answers in a browser: a number key answers, the focus goes to the new step's heading
and the step is announced; the 17 choices of "What does the agent need?" fit on a laptop screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from supportdesk.models import Case
from tests.ec_access.make import make_eligible_group
from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "What does the agent need?"
LAST_CHOICE_BOTTOM_LIMIT = 860  # px from the top of the page, at 1280×800 (788 when written)


def open_case(page: Page, live_server, case: Case) -> None:
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.wait_for_load_state()
    page.evaluate("window.__stillTheSamePage = true")


def test_a_number_key_answers_and_the_focus_goes_to_the_new_heading(live_server, browser, sign_in,
                                                                    specialist):
    case = make_case(specialist)
    page = sign_in(browser.new_page(), specialist)
    open_case(page, live_server, case)
    expect(page.locator("#case .choice-key").first).to_have_text("1")

    page.keyboard.press("1")
    expect(page.get_by_role("heading", name=TOPIC)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/step/topic/$"))
    expect(page.locator("#step-title")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(TOPIC)
    assert page.evaluate("window.__stillTheSamePage") is True  # swapped in by htmx

    # From the heading: 8 picks the 8th choice; Tab would reach the first.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Application status check", exact=True)).to_be_focused()
    page.locator("#step-title").focus()
    page.keyboard.press("8")
    expect(page.get_by_role("heading", name="Submit a Service Inquiry in Vantage: which card fits?")
           ).to_be_visible()
    expect(page.locator("#announcer")).to_have_text(
        "Submit a Service Inquiry in Vantage: which card fits?")
    case.refresh_from_db()
    assert case.answers == {"sale_stage": "post_sale", "topic": "billing"}


def test_a_click_answers_at_once(live_server, browser, sign_in, specialist):
    case = make_case(specialist)
    page = sign_in(browser.new_page(), specialist)
    open_case(page, live_server, case)
    page.get_by_role("button", name="Post-sale: a customer service need for a member").click()
    expect(page.get_by_role("heading", name=TOPIC)).to_be_visible()
    assert Case.objects.get().current_step == "topic"


def test_number_keys_are_left_to_fields_and_modifiers(live_server, browser, sign_in, specialist):
    case = make_case(specialist)
    page = sign_in(browser.new_page(), specialist)
    open_case(page, live_server, case)
    page.evaluate("""() => {
        const field = document.createElement('input');
        field.id = 'typed-here';
        field.setAttribute('aria-label', 'A field');
        document.querySelector('#case .step-panel').append(field);
        field.focus();
    }""")
    page.keyboard.press("1")
    expect(page.locator("#typed-here")).to_have_value("1")
    page.locator("#step-title").focus()
    page.keyboard.press("Alt+1")
    page.wait_for_timeout(300)
    assert Case.objects.get().current_step == "sale_stage"


def test_it_answers_with_a_click_without_javascript(live_server, browser, sign_in, specialist):
    case = make_case(specialist)
    context = browser.new_context(java_script_enabled=False)
    page = sign_in(context.new_page(), specialist)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("button", name="Post-sale: a customer service need for a member").click()
    expect(page.get_by_role("heading", name=TOPIC)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/step/topic/$"))
    context.close()


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_the_seventeen_choices_fit(live_server, browser, sign_in, specialist, width, height):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    context = browser.new_context(viewport={"width": width, "height": height})
    page = sign_in(context.new_page(), specialist)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    choices = page.locator("#case button.choice")
    expect(choices).to_have_count(17)
    boxes = [choices.nth(n).bounding_box() for n in range(17)]
    bottom = max(box["y"] + box["height"] for box in boxes)
    columns = len({round(box["x"]) for box in boxes})
    print(f"\n{width}×{height}: the 17th choice ends at y={bottom:.0f} px, in {columns} column(s)")
    if width >= 1000:
        assert columns == 2
        assert bottom <= LAST_CHOICE_BOTTOM_LIMIT, f"the last choice ends at y={bottom:.0f}"
    else:
        assert columns == 1
        assert all(box["x"] + box["width"] <= width for box in boxes)  # nothing off the side
    context.close()


def test_the_start_form_asks_the_group_once_and_checks_it(live_server, browser, sign_in, specialist,
                                                          on_day):
    on_day(dt.date(2026, 12, 9))  # outside the 1st-5th blackout
    make_eligible_group(group_number="824751")
    page = sign_in(browser.new_page(), specialist)
    page.goto(f"{live_server.url}/cases/new/ec-employer-access/")
    page.get_by_label("Group number").fill("999999")
    page.get_by_role("button", name="Start the case").click()
    expect(page.get_by_text("No employer group 999999 in SupportDesk's data.")).to_be_visible()
    expect(page.get_by_label("Group number")).to_be_focused()  # the field in error
    assert not Case.objects.exists()

    page.get_by_label("Group number").fill("824751")
    page.get_by_role("button", name="Start the case").click()
    expect(page.get_by_role("heading", name="Run and save the Business Function report")).to_be_visible()
    assert Case.objects.get().path == ["group"]
