"""The flow finder in the browser: "/" to the box, a few letters, the flow and its step appear;
Enter, the arrow keys or a click open that flow's start form. Stars swap in place. Everything
fits a 1280 × 800 screen, and a 390-px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from finder.models import FavouriteFlow
from supportdesk.engine import registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARSOS = "Agent RSOS: route a member service request"
HUSKY = "HUSKY provider portal: access, reports and members"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def results(page: Page):
    return page.locator("#finder-results")


def press_slash_and_type(page: Page, typed: str) -> None:
    page.wait_for_load_state()  # finder.js is deferred
    expect(page.locator("#finder-q")).not_to_be_focused()
    page.keyboard.press("/")
    expect(page.locator("#finder-q")).to_be_focused()
    page.keyboard.type(typed, delay=30)


def test_it_finds_a_flow_by_an_address_and_opens_it_with_enter(live_server, browser, sign_in, specialist):
    page = sign_in(browser.new_page(), specialist)
    page.evaluate("window.__stillTheSamePage = true")
    press_slash_and_type(page, "agentsupp")
    hit = results(page).get_by_role("link", name=ARSOS)
    expect(hit).to_be_visible()
    expect(hit).to_contain_text("In step: ")  # one that names the address (two do)
    expect(hit.locator("mark")).to_have_text("agentsupport")
    expect(page.locator("#finder-status")).to_have_text("1 flow matches.")
    assert page.evaluate("window.__stillTheSamePage") is True  # swapped in, not a page load
    assert "agentsupp" not in page.url

    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=ARSOS, level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Start the case")).to_be_visible()


def test_it_moves_to_a_result_with_the_arrow_keys_or_tab_and_opens_it(live_server, browser, sign_in, specialist):
    page = sign_in(browser.new_page(), specialist)
    press_slash_and_type(page, "1-800-4")
    hit = results(page).get_by_role("link", name=HUSKY)
    expect(hit).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(results(page).locator(".flow-link").first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#finder-q")).to_be_focused()
    page.keyboard.press("Tab")  # the Find button
    page.keyboard.press("Tab")
    expect(results(page).locator(".flow-link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=HUSKY, level=1)).to_be_visible()


def test_it_opens_a_result_with_a_click_and_leaves_slash_alone_in_a_field(live_server, browser, sign_in, specialist):
    page = sign_in(browser.new_page(), specialist)
    press_slash_and_type(page, "careportal/")  # a "/" typed in the box is just a character
    expect(page.locator("#finder-q")).to_have_value("careportal/")
    results(page).get_by_role("link", name=HUSKY).click()
    expect(page.get_by_role("heading", name=HUSKY, level=1)).to_be_visible()


def test_it_searches_with_a_plain_post_without_javascript(live_server, browser, sign_in, specialist):
    context = browser.new_context(java_script_enabled=False)
    page = sign_in(context.new_page(), specialist)
    page.get_by_label("Find a flow").fill("careportal")
    page.get_by_role("button", name="Find", exact=True).click()
    expect(results(page).get_by_role("link", name=HUSKY)).to_be_visible()
    assert "careportal" not in page.url
    results(page).get_by_role("link", name=HUSKY).click()
    expect(page.get_by_role("heading", name=HUSKY, level=1)).to_be_visible()
    context.close()


def test_it_stars_a_flow_in_place_and_keeps_the_focus_on_the_star(live_server, browser, sign_in, specialist):
    page = sign_in(browser.new_page(), specialist)
    page.wait_for_load_state()
    page.evaluate("window.__stillTheSamePage = true")
    star = page.get_by_role("button", name=f"Favourite: {ARSOS}")
    expect(star).to_have_attribute("aria-pressed", "false")
    star.focus()
    page.keyboard.press("Enter")
    favourites = page.get_by_role("region", name="Favourites")
    expect(favourites.get_by_role("link", name=ARSOS)).to_be_visible()
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(star).to_be_focused()
    assert page.evaluate("window.__stillTheSamePage") is True
    assert FavouriteFlow.objects.filter(user=specialist).count() == 1
    page.keyboard.press("Enter")
    expect(favourites).to_have_count(0)
    expect(star).to_have_attribute("aria-pressed", "false")
    assert not FavouriteFlow.objects.exists()


def test_it_fits_every_flow_on_a_laptop_screen_and_a_phone(live_server, browser, sign_in, specialist):
    for viewport in (LAPTOP, PHONE):
        context = browser.new_context(viewport=viewport)
        page = sign_in(context.new_page(), specialist)
        rows = page.locator("#finder-flows .flow-groups .flow-main")
        expect(rows).to_have_count(len(registry.all()))
        boxes = [rows.nth(i).bounding_box() for i in range(rows.count())]
        assert all(box["height"] >= 44 for box in boxes), "each row is a big target"
        if viewport is LAPTOP:
            lowest = max(box["y"] + box["height"] for box in boxes)
            assert lowest <= viewport["height"], f"the last flow ends at {lowest} px, below the fold"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        context.close()


def test_it_opens_a_flow_from_anywhere_on_its_row(live_server, browser, sign_in, specialist):
    page = sign_in(browser.new_page(), specialist)
    row = page.locator(".flow-groups .flow-row").filter(has_text=ARSOS)
    summary = row.locator(".flow-summary").bounding_box()
    page.mouse.click(summary["x"] + summary["width"] - 10, summary["y"] + summary["height"] / 2)
    expect(page.get_by_role("heading", name=ARSOS, level=1)).to_be_visible()
