"""The three main tasks, each from the home page after signing in, counted in clicks and timed:

- a specialist requests EC access for group 824751 on a day outside the blackout and copies the
  e-mail: at most 6 clicks;
- an access-management user claims, grants and moves on to the next request: 3 clicks a request;
- a supervisor opens today's EC cases and downloads a transcript PDF: at most 4 clicks.

Typing (the group number) is not a click. The time is printed, never asserted: speed goals live
in bench/. Run with -s to see the figures.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, expect

from ec_access.models import ECRequest
from supportdesk import rollups
from supportdesk.models import Case
from supportdesk.roles import Role
from tests.ec_access.make import make_eligible_group, make_request
from tests.factories import make_case, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Task:
    """Counts the clicks of one task and times it from the first click to the end."""

    def __init__(self, name: str) -> None:
        self.name, self.clicks, self.started = name, 0, 0.0

    def click(self, target: Locator) -> None:
        if not self.clicks:
            self.started = time.perf_counter()
        self.clicks += 1
        target.click()

    def report(self) -> str:
        line = f"{self.name}: {self.clicks} clicks, {time.perf_counter() - self.started:.1f} s"
        print(f"\n{line}")
        return line


def test_a_specialist_requests_ec_access_and_copies_the_email_in_six_clicks(
        live_server, browser, sign_in, specialist, on_day):
    on_day(dt.date(2026, 12, 9))  # a Wednesday, outside the 1st-5th blackout
    make_eligible_group(group_number="824751")
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = sign_in(context.new_page(), specialist)
    task = Task("specialist: EC access for 824751, e-mail copied")

    task.click(page.get_by_role("link", name="EC reports: verify or request an employer's access",
                                exact=True).first)
    page.get_by_label("Group number").fill("824751")
    task.click(page.get_by_role("button", name="Start the case"))
    expect(page.get_by_role("heading", name="Run and save the Business Function report")).to_be_visible()
    task.click(page.get_by_role("button", name="Done, continue"))
    task.click(page.get_by_role("button", name="Standard: e-mail the report to EmployerGroup@humana.com"))
    expect(page.get_by_role("heading", name="Request e-mailed to Access Management")).to_be_visible()
    request = ECRequest.objects.get()
    task.click(page.locator(".artifact").get_by_role("button", name="Copy Body"))
    expect(page.locator(".artifact").get_by_role("button", name="Copied ✓")).to_be_visible()
    task.report()

    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert f"EC request #{request.pk}" in copied and "To:" not in copied
    assert request.state == "queued" and request.group.group_number == "824751"
    assert task.clicks <= 6, task.clicks
    context.close()


def test_access_management_claims_grants_and_moves_on_in_three_clicks_a_request(
        live_server, browser, sign_in):
    clerk = make_user("clerk", Role.ACCESS_MANAGEMENT, first_name="Alex", last_name="Morgan")
    first, second = make_request(expedited=True), make_request()
    page = sign_in(browser.new_page(), clerk)
    page.get_by_role("link", name="EC request queue").click()  # from home; then the loop
    per_request = []

    for ec_request, waiting in ((first, "2 waiting, 1 expedited"), (second, "1 waiting")):
        task = Task(f"access management: EC request #{ec_request.pk} claimed and granted")
        task.click(page.get_by_role("button", name=f"Claim next ({waiting})"))
        expect(page.get_by_text(f"You claimed EC request #{ec_request.pk}.")).to_be_visible()
        task.click(page.get_by_role("link", name="Grant…"))
        expect(page.get_by_role("heading", name=f"Grant access to SL app "
                                                f"{ec_request.sl_app.sl_app_number}?")).to_be_visible()
        task.click(page.get_by_role("button", name="Grant access"))
        expect(page.locator(".message-success")).to_contain_text(f"EC request #{ec_request.pk} granted")
        task.report()
        per_request.append(task.clicks)

    expect(page.get_by_text("The queue is empty: no request is waiting to be claimed.")).to_be_visible()
    assert all(clicks <= 3 for clicks in per_request), per_request
    assert set(ECRequest.objects.values_list("state", flat=True)) == {"granted"}


def test_a_supervisor_downloads_a_transcript_of_todays_ec_cases_in_four_clicks(
        live_server, browser, sign_in, specialist, supervisor, tmp_path):
    ec_today = make_case(specialist, "ec-questions")
    make_case(specialist)  # ARSOS today: filtered out
    ec_yesterday = make_case(specialist, "ec-questions")
    Case.objects.filter(pk=ec_yesterday.pk).update(opened_at=timezone.now() - dt.timedelta(days=1))
    rollups.rebuild()  # the raw UPDATE went behind the services: recount the supervisor's figures
    page = sign_in(browser.new_page(), supervisor)
    task = Task(f"supervisor: today's EC cases, {ec_today.reference}, transcript PDF")

    task.click(page.get_by_role("link", name="Dashboard"))
    task.click(page.get_by_role("navigation", name="Today's cases").get_by_role("link", name="EC reports"))
    expect(page.get_by_text("1 case", exact=True)).to_be_visible()
    task.click(page.get_by_role("link", name=ec_today.reference))
    expect(page.get_by_role("heading", name=ec_today.reference)).to_be_visible()
    with page.expect_download() as download:
        task.click(page.get_by_role("link", name="Download transcript PDF"))
    path = tmp_path / "transcript.pdf"
    download.value.save_as(path)
    task.report()

    assert path.read_bytes().startswith(b"%PDF")
    assert task.clicks <= 4, task.clicks
    # Back to the same list: still today's EC cases.
    page.get_by_role("link", name="← Case history").click()
    expect(page.get_by_label("Flow")).to_have_value("area:ec-reports")
    expect(page.get_by_role("link", name="Today", exact=True)).to_have_attribute("aria-current", "true")
