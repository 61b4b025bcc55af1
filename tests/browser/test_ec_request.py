"""Flow 1 in a browser: the specialist requests EC access, downloads the report, the request
queues; on the 1st-5th the same path ends at the reporting blackout. The live server runs on the
test's clock (time-machine moves the whole process)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from playwright.sync_api import expect

from ec_access.models import ECRequest
from tests.ec_access.make import make_eligible_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def start_the_case(page, group_number: str) -> None:
    page.get_by_role("link", name="EC reports: verify or request an employer's access").click()
    page.get_by_label("Group number").fill(group_number)
    page.get_by_role("button", name="Start the case").click()
    expect(page.get_by_label("Group number")).to_have_value(group_number)  # taken from the case
    page.get_by_role("button", name="Continue").click()


def test_it_ends_at_the_blackout_on_the_3rd(live_server, browser, sign_in, specialist, on_day):
    on_day(dt.date(2026, 12, 3))
    make_eligible_group(group_number="824751")
    page = sign_in(browser.new_page(), specialist)
    start_the_case(page, "824751")

    expect(page.get_by_role("heading", name="Reporting is down until the 6th")).to_be_visible()
    expect(page.locator("#case")).to_contain_text("Sunday, December 6, 2026")
    assert not ECRequest.objects.exists()


def test_it_requests_ec_access_and_downloads_the_report(live_server, browser, sign_in, specialist, tmp_path,
                                                        on_day):
    on_day(dt.date(2026, 12, 9))
    group, sl_app = make_eligible_group(group_number="824751")
    page = sign_in(browser.new_page(), specialist)
    start_the_case(page, "824751")

    expect(page.get_by_role("heading", name="Run and save the Business Function report")).to_be_visible()
    expect(page.locator(".menu-path")).to_contain_text("Home > 13070 > Customer Reporting Self-Serv Reports > Business Function Report")
    page.get_by_role("button", name="Done, continue").click()
    page.get_by_label("Standard: e-mail the report to EmployerGroup@humana.com").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="E-mail the request to Access Management")).to_be_visible()
    expect(page.locator(".artifact")).to_contain_text("SL app# " + sl_app.sl_app_number)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "BUSINESS FUNCTION ASSIGNMENT FOR ONLINE REPORTS" in text and "824751" in text

    page.get_by_role("button", name="Done, continue").click()
    expect(page.get_by_role("heading", name="Request queued for Access Management")).to_be_visible()
    request = ECRequest.objects.get()
    assert (request.state, request.group, request.sl_app) == ("queued", group, sl_app)
    assert request.case.reference in page.content()
