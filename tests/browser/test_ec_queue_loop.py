"""Access management's queue in a browser: Reject opens on demand and stays open on errors. (The
claim-grant-next loop, counted in clicks, is in test_main_tasks.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ec_access.models import ECRequest
from supportdesk.roles import Role
from tests.ec_access.make import make_request
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_it_opens_reject_from_the_keyboard_and_keeps_it_open_on_errors(live_server, browser,
                                                                      sign_in):
    clerk = make_user("clerk", Role.ACCESS_MANAGEMENT)
    make_request()
    page = sign_in(browser.new_page(), clerk)
    page.goto(f"{live_server.url}/ec/queue/")
    page.get_by_role("button", name="Claim next").click()
    reason = page.get_by_label("Reason")
    expect(reason).to_be_hidden()
    page.locator("summary", has_text="Reject…").focus()
    page.keyboard.press("Enter")
    expect(reason).to_be_visible()
    reason.select_option("other")
    page.get_by_role("button", name="Reject with this reason").click()
    expect(page.get_by_text("Explain the reason in the note when it is “Other”.")).to_be_visible()
    expect(page.get_by_label("Reason")).to_have_value("other")
    page.get_by_label("Note").fill("Group asked to wait for the re-registration.")
    page.get_by_role("button", name="Reject with this reason").click()
    expect(page.get_by_text("rejected: Other (explain in the note).")).to_be_visible()
    expect(page.get_by_text("The queue is empty")).to_be_visible()
    assert ECRequest.objects.get().state == "rejected"
