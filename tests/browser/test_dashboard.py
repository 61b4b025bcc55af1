"""A supervisor opens the dashboard, picks a flow and downloads an export."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_opens_the_dashboard_and_downloads_an_export(live_server, browser, sign_in, specialist, supervisor, tmp_path):
    make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    page = sign_in(browser.new_page(), supervisor)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    page.get_by_label("Flow (optional)").select_option(label="Agent RSOS: route a member service request")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".flow-map svg")).to_be_visible(timeout=15000)  # mermaid drew the map
    expect(page.locator("svg.chart").first).to_be_visible()
    with page.expect_download() as info:
        page.locator("#h-disp").locator("..").get_by_role("link", name="CSV").click()
    path = tmp_path / "dispositions.csv"
    info.value.save_as(path)
    rows = list(csv.reader(path.open()))
    assert rows == [["Disposition", "Cases", "Share %"], ["Referred to another team", "1", "100.0"]]
