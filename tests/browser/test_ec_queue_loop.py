"""Access management's loop in a browser: Claim next → Grant… → Grant access, then Claim next
again, in at most 3 clicks per request; Reject opens on demand and stays open on errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, expect

from ec_access.models import ECRequest
from supportdesk.roles import Role
from tests.ec_access.make import make_request
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_CLICKS_PER_REQUEST = 3


class Clicks:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, target: Locator) -> None:
        self.count += 1
        target.click()


def test_it_claims_grants_and_moves_on_in_three_clicks_a_request(live_server, browser, sign_in):
    clerk = make_user("clerk", Role.ACCESS_MANAGEMENT, first_name="Alex", last_name="Morgan")
    first, second = make_request(expedited=True), make_request()
    page = sign_in(browser.new_page(), clerk)
    page.goto(f"{live_server.url}/ec/queue/")
    click = Clicks()
    per_request = []

    for ec_request, waiting in ((first, "2 waiting, 1 expedited"), (second, "1 waiting")):
        before = click.count
        click(page.get_by_role("button", name=f"Claim next ({waiting})"))
        expect(page.get_by_text(f"You claimed EC request #{ec_request.pk}.")).to_be_visible()
        click(page.get_by_role("link", name="Grant…"))
        expect(page.get_by_role("heading", name=f"Grant access to SL app "
                                                f"{ec_request.sl_app.sl_app_number}?")).to_be_visible()
        click(page.get_by_role("button", name="Grant access"))
        expect(page.locator(".message-success")).to_contain_text(f"EC request #{ec_request.pk} granted")
        per_request.append(click.count - before)

    expect(page.get_by_text("The queue is empty: no request is waiting to be claimed.")).to_be_visible()
    print(f"\nclicks per request, Claim next to the next Claim next: {per_request} "
          f"(total {click.count})")
    assert all(clicks <= MAX_CLICKS_PER_REQUEST for clicks in per_request), per_request
    assert set(ECRequest.objects.values_list("state", flat=True)) == {"granted"}


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
