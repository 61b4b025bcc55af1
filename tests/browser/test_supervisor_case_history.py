"""A supervisor goes from the dashboard to today's EC cases and a transcript PDF in at most four
clicks; the case page leads back to the same filtered list and on to the next case; chart text
stays at least 12 px on a phone and on a wide screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supportdesk.models import Case
from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("/tmp/sup")
CHART_FONT_SIZES_JS = """() => [...document.querySelectorAll('svg.chart text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""


def test_it_reaches_a_todays_ec_transcript_in_four_clicks(live_server, browser, sign_in, specialist, supervisor, tmp_path):
    ec_today = make_case(specialist, "ec-questions")
    make_case(specialist)  # ARSOS today: filtered out
    ec_yesterday = make_case(specialist, "ec-questions")
    Case.objects.filter(pk=ec_yesterday.pk).update(opened_at=timezone.now() - dt.timedelta(days=1))
    page = sign_in(browser.new_page(), supervisor)
    page.goto(f"{live_server.url}/supervisor/")
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        clicks += 1
        locator.click()

    click(page.get_by_role("navigation", name="Today's cases").get_by_role("link", name="EC reports"))
    expect(page.get_by_text("1 case", exact=True)).to_be_visible()
    click(page.get_by_role("link", name=ec_today.reference))
    expect(page.get_by_role("heading", name=ec_today.reference)).to_be_visible()
    with page.expect_download() as download:
        click(page.get_by_role("link", name="Download transcript PDF"))
    path = tmp_path / "transcript.pdf"
    download.value.save_as(path)
    print(f"dashboard → today's EC cases → {ec_today.reference} → transcript PDF: {clicks} clicks")
    assert clicks <= 4
    assert path.read_bytes().startswith(b"%PDF")
    # Back to the same list: still today's EC cases.
    page.get_by_role("link", name="← Case history").click()
    expect(page.get_by_label("Flow")).to_have_value("area:ec-reports")
    expect(page.get_by_role("link", name="Today", exact=True)).to_have_attribute("aria-current", "true")


def test_it_steps_through_the_filtered_cases_and_looks_right(live_server, browser, sign_in, specialist, supervisor):
    SCREENSHOTS.mkdir(exist_ok=True)
    cases = [make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})]) for _ in range(3)]
    make_case(specialist)
    for n, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(minutes=30 - n))
    for width, height in ((1280, 800), (390, 844)):
        page = sign_in(browser.new_page(viewport={"width": width, "height": height}), supervisor)
        page.goto(f"{live_server.url}/supervisor/cases/?status=closed")
        page.screenshot(path=SCREENSHOTS / f"case-list-{width}.png", full_page=True)
        page.get_by_role("link", name=cases[1].reference).click()
        page.get_by_role("link", name=f"Older: {cases[0].reference} →").click()
        expect(page.get_by_role("heading", name=cases[0].reference)).to_be_visible()
        expect(page.get_by_text("Oldest in the list")).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"case-detail-{width}.png", full_page=True)
        page.goto(f"{live_server.url}/supervisor/")
        sizes = page.evaluate(CHART_FONT_SIZES_JS)
        page.screenshot(path=SCREENSHOTS / f"dashboard-{width}.png", full_page=True)
        print(f"{width} px: chart text {min(sizes):.1f} to {max(sizes):.1f} px over {len(sizes)} labels")
        assert sizes and 12 <= min(sizes) and max(sizes) <= 16
        page.close()
