"""The menu button on a phone, the Look up menu, the current section, and where the focus goes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_it_folds_the_nav_behind_a_menu_button_on_a_phone(browser, live_server, sign_in, specialist):
    context = browser.new_context(viewport=PHONE)
    page = sign_in(context.new_page(), specialist)
    toggle = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert page.locator(".topbar").bounding_box()["height"] < 80

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="My cases")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()

    toggle.click()
    expect(nav).to_be_visible()
    page.mouse.click(200, 600)  # the page, below the bar
    expect(nav).to_be_hidden()
    context.close()


def test_it_keeps_the_nav_open_without_javascript(browser, live_server, sign_in, specialist):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = sign_in(context.new_page(), specialist)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="My cases")).to_be_visible()
    expect(page.locator(".nav-toggle")).to_be_hidden()
    context.close()


def test_it_closes_look_up_on_escape_and_outside_clicks(browser, live_server, sign_in, specialist):
    page = sign_in(browser.new_page(viewport={"width": 1280, "height": 800}), specialist)
    summary = page.locator("details.menu summary")
    menu_link = page.get_by_role("link", name="Flow maps")
    summary.click()
    expect(menu_link).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu_link).to_be_hidden()
    expect(summary).to_be_focused()
    summary.click()
    expect(menu_link).to_be_visible()
    page.mouse.click(640, 700)
    expect(menu_link).to_be_hidden()


def test_it_marks_the_current_section_and_focuses_the_heading(browser, live_server, sign_in, specialist):
    page = sign_in(browser.new_page(viewport={"width": 1280, "height": 800}), specialist)
    page.goto(f"{live_server.url}/cases/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My cases")).to_have_attribute("aria-current", "page")
    expect(nav.locator("[aria-current]")).to_have_count(1)
    expect(page.get_by_role("heading", name="My cases", level=1)).to_be_focused()


def test_it_starts_a_form_page_on_its_first_field(browser, live_server, sign_in, specialist):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Username")).to_be_focused()
    sign_in(page, specialist)
    page.goto(f"{live_server.url}/cases/new/arsos-routing/")
    expect(page.get_by_label("Who is calling?")).to_be_focused()


def test_it_announces_the_swapped_step_and_shows_the_button_busy(browser, live_server, sign_in, specialist):
    case = make_case(specialist, "arsos-routing", [])
    page = sign_in(browser.new_page(), specialist)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.evaluate("""() => {
        window.__busy = [];
        new MutationObserver(records => records.forEach(r => {
            if (r.target.getAttribute('aria-busy') === 'true') window.__busy.push(r.target.disabled);
        })).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['aria-busy']});
        window.__stillTheSamePage = true;
    }""")
    page.get_by_role("button", name="Post-sale: a customer service need for a member").click()
    expect(page.get_by_role("heading", name="What does the agent need?")).to_be_visible()
    assert page.evaluate("window.__stillTheSamePage"), "the step was swapped in by htmx"
    assert page.evaluate("window.__busy") == [True], "the button was busy and disabled in flight"
    expect(page.locator("#announcer")).to_have_text("What does the agent need?")
    expect(page.locator("#step-title")).to_be_focused()  # after a swap: the new step's heading
