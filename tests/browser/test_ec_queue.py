"""Access management in a browser: claim the next request, grant it, see the SL app change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ec_access.models import ECRequest
from supportdesk.roles import Role
from tests.ec_access.make import make_eligible_group, make_request
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_claims_and_grants_a_request(live_server, browser, sign_in):
    clerk = make_user("clerk", Role.ACCESS_MANAGEMENT, first_name="Alex", last_name="Morgan")
    group, sl_app = make_eligible_group(group_number="824751")
    request = make_request(group, sl_app)
    page = sign_in(browser.new_page(), clerk)
    page.get_by_role("link", name="EC request queue").click()
    expect(page.get_by_role("link", name=f"#{request.pk}")).to_be_visible()
    page.get_by_role("button", name="Claim next").click()
    expect(page.get_by_text(f"You claimed EC request #{request.pk}.")).to_be_visible()
    page.get_by_role("link", name="Grant…").click()
    page.get_by_role("button", name="Grant access").click()
    expect(page.get_by_text("granted: EC 1177334 and business functions")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Granted")
    sl_app.refresh_from_db()
    assert sl_app.ec_identifier == "1177334"
    assert ECRequest.objects.get().state == "granted"
