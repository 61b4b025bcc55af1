"""Every main page works in Chromium under the Content-Security-Policy: htmx swaps steps, app.js
and Mermaid run, and the browser reports not one violation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from agent_rsos.models import Escalation
from tests.agent_rsos.make import mailbox_case
from tests.ec_access.make import make_request
from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs (through the DevTools protocol, so the policy does not
# apply to it): every violation the browser reports is kept on window.__csp.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
                    `at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


class Watched:
    """A page whose CSP violations (events and console messages) are collected."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.seen: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        self.collect()

    def collect(self) -> None:
        self.seen += self.page.evaluate("window.__csp || []")
        self.page.evaluate("window.__csp = []")

    def assert_clean(self) -> None:
        self.collect()
        assert not self.seen and not self.console, "\n".join(self.seen + self.console)


def test_it_runs_the_specialists_pages_under_the_policy(live_server, browser, sign_in, specialist):
    escalation = Escalation.objects.get(case=mailbox_case(specialist))
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    watched = Watched(context.new_page())
    page = sign_in(watched.page, specialist)

    # A flow: htmx swaps the steps in place, under script-src 'self'.
    page.get_by_role("link", name="Agent RSOS: route a member service request", exact=True).click()
    page.get_by_role("button", name="Start the case").click()
    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_role("button", name="Post-sale: a customer service need for a member").click()
    expect(page.get_by_role("heading", name="What does the agent need?")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/step/topic/$"))
    page.get_by_role("button", name="← Back").click()
    expect(page.get_by_role("heading", name="Is this a pre-sale or a post-sale question?")).to_be_visible()
    assert page.evaluate("window.__stillTheSamePage") is True
    watched.collect()

    # The escalation's copy button (app.js), and the other pages of a specialist.
    watched.visit(f"{live_server.url}/arsos/escalations/{escalation.pk}/")
    for path in ("/", "/cases/", "/arsos/escalations/", "/husky/reports/", "/noyo/connections/",
                 "/noyo/connections/new/", "/noyo/member-changes/", "/ec/bf-report/", "/flows/"):
        watched.visit(f"{live_server.url}{path}")

    # The HUSKY checker answers through htmx too.
    watched.visit(f"{live_server.url}/husky/member-check/")
    page.get_by_label("Age on the check date").fill("40")
    page.get_by_label("Sex").select_option("F")
    page.get_by_role("button", name="Check every report").click()
    expect(page.locator("#results")).to_contain_text("a 40-year-old F member")

    # The flow map: Mermaid draws the SVG (its <style> is allowed on this page only).
    watched.visit(f"{live_server.url}/flows/arsos-routing/")
    expect(page.locator("#flow-diagram svg")).to_be_visible(timeout=15000)
    watched.assert_clean()
    context.close()


def test_it_runs_the_supervisors_and_access_pages_under_the_policy(live_server, browser, sign_in,
                                                                  specialist, supervisor,
                                                                  access_user):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    request = make_request()
    watched = Watched(browser.new_page())
    page = sign_in(watched.page, supervisor)
    watched.visit(f"{live_server.url}/supervisor/?flow=arsos-routing")
    expect(page.locator(".flow-map svg")).to_be_visible(timeout=15000)  # Mermaid on the dashboard
    for path in ("/supervisor/cases/", f"/supervisor/cases/{case.reference}/", "/supervisor/audit/",
                 "/arsos/escalations/overview/", "/ec/queue/", f"/ec/queue/{request.pk}/",
                 "/ec/batches/"):
        watched.visit(f"{live_server.url}{path}")
    watched.assert_clean()

    clerk = Watched(browser.new_page())
    page = sign_in(clerk.page, access_user)
    clerk.visit(f"{live_server.url}/ec/queue/{request.pk}/")
    page.get_by_role("button", name="Claim").first.click()
    expect(page.get_by_text(f"You claimed EC request #{request.pk}.")).to_be_visible()
    clerk.assert_clean()


def test_it_shows_the_sign_in_page_under_the_policy(live_server, browser):
    watched = Watched(browser.new_page())
    watched.visit(f"{live_server.url}/accounts/login/")
    response = watched.page.request.get(f"{live_server.url}/accounts/login/")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    expect(watched.page.get_by_role("button", name="Sign in")).to_be_visible()
    watched.assert_clean()


def test_it_would_report_an_inline_script(live_server, browser, sign_in, specialist):
    """The watch itself can fail: an inline script injected into a page is refused and seen."""
    watched = Watched(browser.new_page())
    sign_in(watched.page, specialist)
    watched.page.evaluate(
        "const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        "document.body.appendChild(s);"
    )
    watched.page.wait_for_timeout(200)
    assert watched.page.evaluate("window.__ran") is None
    with pytest.raises(AssertionError, match="script-src"):
        watched.assert_clean()
