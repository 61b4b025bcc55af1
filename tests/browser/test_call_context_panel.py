"""The call context panel in a real browser: the group's facts, a ticking handle timer, and a
note added with htmx that lands in "So far" without reloading the page; a draft note survives
answering the step."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from supportdesk.models import CaseEvent
from tests.ec_access.make import make_group, make_product, make_sl_app
from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_timer_ticks_and_a_note_lands_in_so_far(live_server, browser, sign_in, specialist):
    group = make_group("824751", name="FUSION CONTROLS INC", employees_enrolled=45,
                       portal_registered_on=dt.date(2024, 3, 4))
    make_product(group, "medical")
    make_sl_app(group, sl_app_number="5550013")
    case = make_case(specialist, "ec-employer-cannot-see", group_number="824751")

    page = sign_in(browser.new_page(), specialist)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    context = page.get_by_role("region", name="Call context")
    expect(context).to_contain_text("824751 FUSION CONTROLS INC")
    expect(context).to_contain_text("Medical with Go365")

    timer = page.get_by_role("timer", name="On this case")
    expect(timer).to_have_attribute("aria-live", "off")
    first = timer.text_content()
    assert re.fullmatch(r"\d\d:\d\d", first)
    expect(timer).not_to_have_text(first, timeout=3000)  # it ticks

    page.evaluate("window.__stillTheSamePage = true")
    box = page.get_by_role("textbox", name="Note")
    box.fill("Employer confirmed the SL app 5550013; call back on 1-800-448-6262.")
    expect(page.get_by_text("67 / 1,000 characters")).to_be_visible()
    page.get_by_role("button", name="Add note").click()
    side = page.locator("#case-side")
    expect(side.get_by_text("Note added to the transcript.")).to_be_visible()
    expect(side.locator(".so-far")).to_contain_text("Employer confirmed the SL app 5550013")
    expect(page.get_by_role("textbox", name="Note")).to_have_value("")
    expect(page.get_by_role("textbox", name="Note")).to_be_focused()
    assert page.evaluate("window.__stillTheSamePage") is True
    assert case.events.filter(kind=CaseEvent.Kind.NOTE).count() == 1

    # Member data is refused where it was typed, the text kept to fix; nothing is saved.
    page.get_by_role("textbox", name="Note").fill("Member ID H55501234 cannot log in")
    page.get_by_role("button", name="Add note").click()
    expect(side.get_by_role("alert")).to_contain_text("looks like a member ID")
    expect(page.get_by_role("textbox", name="Note")).to_have_value("Member ID H55501234 cannot log in")
    assert case.events.filter(kind=CaseEvent.Kind.NOTE).count() == 1
    expect(page.get_by_role("timer", name="On this case")).to_be_visible()  # still there

    # A note typed but not added yet survives answering the step (htmx swaps the whole case).
    page.get_by_role("textbox", name="Note").fill("Caller will send the report")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Which employer group?")).not_to_be_visible()
    expect(page.get_by_role("textbox", name="Note")).to_have_value("Caller will send the report")
    expect(page.get_by_role("timer", name="Handled in")).to_be_visible()  # its outcome closed it
    assert page.evaluate("window.__stillTheSamePage") is True
