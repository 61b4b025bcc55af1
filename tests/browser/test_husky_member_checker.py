"""The HUSKY member checker in a browser: by keyboard with htmx, without JavaScript, and inside the
provider flow, where the date of birth never reaches the case."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from husky_reports.dates import add_months
from supportdesk.models import Case, CaseEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def today() -> dt.date:
    return timezone.localdate()


def fill_member(page: Page, date_of_birth: dt.date, mammogram: dt.date) -> None:
    page.get_by_label("Date of birth").fill(date_of_birth.isoformat())
    page.get_by_label("Sex").select_option("F")
    page.get_by_label("Already on this practice's Patient Panel Report").check()
    page.get_by_label("Last breast cancer screening (mammogram)").fill(mammogram.isoformat())


def test_it_checks_a_member_by_keyboard_and_without_javascript(live_server, browser, sign_in,
                                                                specialist):
    born = add_months(today(), -12 * 60)
    over_a_year = add_months(today(), -12) - dt.timedelta(days=1)
    page = sign_in(browser.new_page(), specialist)
    page.goto(f"{live_server.url}/husky/member-check/")
    expect(page.get_by_role("heading", name="HUSKY member checker")).to_be_visible()
    page.evaluate("window.__stillTheSamePage = true")
    fill_member(page, born, over_a_year)
    page.get_by_label("Last breast cancer screening (mammogram)").press("Enter")  # keyboard submit

    results = page.locator("#results")
    expect(results).to_contain_text("a 60-year-old F member")
    row = results.get_by_role("row").filter(
        has=page.get_by_role("link", name="Cancer Screenings", exact=True))
    expect(row).to_contain_text("Yes")
    expect(row).to_contain_text("Breast cancer screening: Due")
    expect(row).to_contain_text("Ages 50-74 (Breast Cancer)")
    expect(results.get_by_role("row").filter(has_text="Child Well-Care Visits")).to_contain_text(
        "ages 0 to 21; the member is 60")
    assert page.evaluate("window.__stillTheSamePage") is True  # swapped in by htmx
    assert born.isoformat() not in page.url
    assert Case.objects.count() == 0

    context = browser.new_context(java_script_enabled=False)
    page = sign_in(context.new_page(), specialist)
    page.goto(f"{live_server.url}/husky/member-check/")
    page.get_by_label("Age on the check date").fill("17")
    page.get_by_label("Sex").select_option("M")
    page.get_by_role("button", name="Check every report").click()
    expect(page.locator("#results")).to_contain_text(
        "No self selection and no qualifying visit in the 15 months of claims history")
    page.get_by_label("Age on the check date").fill("")
    page.get_by_role("button", name="Check every report").click()
    expect(page.get_by_text("Type the age on the check date, or a date of birth.")).to_be_visible()
    context.close()


def test_it_checks_a_member_inside_the_provider_flow(live_server, browser, sign_in, specialist):
    born = add_months(today(), -12 * 45) - dt.timedelta(days=10)
    page = sign_in(browser.new_page(), specialist)
    page.get_by_role("link", name="HUSKY provider portal: access, reports and members").click()
    page.get_by_role("button", name="Start the case").click()
    page.get_by_role("button", name="A member is missing from a report").click()
    page.get_by_role("button", name="Cancer Screenings", exact=True).click()
    expect(page.get_by_role("heading", name="Check the member against the Cancer Screenings")
           ).to_be_visible()
    page.get_by_label("Date of birth").fill(born.isoformat())
    page.get_by_label("Sex").select_option("F")
    page.get_by_label("Dual eligible (Medicare and Medicaid)").check()
    page.get_by_role("button", name="Check").click()

    expect(page.get_by_role("heading", name="Not attributed to this practice")).to_be_visible()
    expect(page.locator(".step-text")).to_contain_text("Excludes Dual Eligible and Opt-Out Members")
    expect(page).to_have_url(re.compile(r"/step/out_not_attributed/$"))
    case = Case.objects.get()
    assert case.answers["member_cancer_screenings"]["age"] == 45
    stored = json.dumps(case.answers) + "".join(
        f"{e.shown}{e.answer}{json.dumps(e.value)}" for e in CaseEvent.objects.filter(case=case))
    assert born.isoformat() not in stored and f"{born:%m/%d/%Y}" not in stored
