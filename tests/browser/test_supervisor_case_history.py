"""A supervisor's case history in a browser: the case page leads back to the same filtered list and
on to the next case; chart text stays at least 12 px on a phone and on a wide screen. (Today's EC
transcript in four clicks is in test_main_tasks.py.)"""

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
        assert sizes and min(sizes) >= 12 and max(sizes) <= 16
        page.close()
