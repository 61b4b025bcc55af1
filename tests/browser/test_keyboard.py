"""Whole flows with the keyboard alone: Tab and Shift+Tab, number keys, Space and Enter.

No click, no fill: the helpers below only press keys and then look at where the focus is. They
also bound how many presses each move takes, so a focus that lands at the top of the page after
an htmx swap (a screen of Tabs to get back to the question) fails the test. After a swap the
focus is on the new step's heading: number keys pick a choice from there, Tab reaches the first.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from ec_access.models import ECRequest
from supportdesk.models import Case
from tests.ec_access.make import make_eligible_group
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIBE_FOCUS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'the page body';
    const label = e.labels && e.labels[0] ? e.labels[0].textContent : e.textContent;
    return `<${e.tagName.toLowerCase()}${e.id ? ' id=' + e.id : ''}> ${(label || '').trim().slice(0, 60)}`;
}"""


def focus_of(page: Page) -> str:
    return page.evaluate(DESCRIBE_FOCUS)


def has_focus(target: Locator) -> bool:
    return target.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator, *, limit: int, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until ``target`` has the focus; at most ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if has_focus(target):
            return presses
    raise AssertionError(f"{limit} × {key} never reached {target}; the focus is on {focus_of(page)}")


def wait_for_step(page: Page, title: str, *, on_heading: bool = True) -> None:
    """The step is shown, and the focus went into it: after an htmx swap onto its heading; on
    a full page load, or a refused answer (``on_heading`` False), onto its heading or a control."""
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    if on_heading:
        expect(page.locator("#step-title")).to_be_focused()
    else:
        expect(page.locator("#case .step-panel :focus")).to_have_count(1)


def choice(page: Page, label: str) -> Locator:
    return page.locator("#case").get_by_role("button", name=label, exact=True)


def choose(page: Page, label: str, *, limit: int = 20) -> None:
    """Answer a question: Tab to the choice's own button (unless it has the focus), Enter."""
    target = choice(page, label)
    if not has_focus(target):
        tab_to(page, target, limit=limit)
    page.keyboard.press("Enter")


def press_number(page: Page, label: str) -> None:
    """Answer a question with the number key its badge shows, from wherever the focus is."""
    key = choice(page, label).get_attribute("aria-keyshortcuts")
    assert key and key.isdigit(), f"“{label}” has no number key"
    page.keyboard.press(key)


def tick(page: Page, label: str, *, limit: int) -> None:
    box = page.get_by_label(label, exact=True)
    tab_to(page, box, limit=limit)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def press_button(page: Page, name: str, *, limit: int, backwards: bool = False) -> None:
    tab_to(page, page.get_by_role("button", name=name, exact=True), limit=limit, backwards=backwards)
    page.keyboard.press("Enter")


def sign_in_by_keyboard(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state()
    expect(page.get_by_label("Username")).to_be_focused()  # a form page starts on its first field
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def skip_to_content(page: Page) -> None:
    """On a freshly loaded page the focus starts in the content, past the navigation: on the
    main heading, or on a form page's first field. Keys wait for the page's scripts: a browser
    revalidates them on each page, so they can run after the heading shows."""
    page.wait_for_load_state()
    expect(page.locator("main h1:focus, main form :focus")).to_have_count(1)


def open_flow_by_keyboard(page: Page, title: str) -> None:
    """From the home page's flow finder: "/" to its box, the title typed, the arrow keys to
    that flow's result, Enter."""
    skip_to_content(page)
    page.keyboard.press("/")
    expect(page.locator("#finder-q")).to_be_focused()
    page.keyboard.type(title)
    target = page.locator("#finder-results").get_by_role("link", name=title)
    expect(target).to_be_visible()
    for _ in range(5):
        page.keyboard.press("ArrowDown")
        if has_focus(target):
            break
    assert has_focus(target), f"the arrow keys never reached “{title}”; focus: {focus_of(page)}"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    skip_to_content(page)


def start_routing_case_by_keyboard(page: Page, live_server, user) -> Page:
    """Signed in, the ARSOS routing flow opened from the finder and its case started, by keyboard."""
    sign_in_by_keyboard(page, live_server, user)
    open_flow_by_keyboard(page, "Agent RSOS: route a member service request")
    press_button(page, "Start the case", limit=6)
    return page


def test_it_completes_the_arsos_routing_flow_with_the_keyboard_alone(live_server, browser, specialist):
    page = start_routing_case_by_keyboard(browser.new_page(), live_server, specialist)

    # A full page: the first choice has the focus, Enter answers it.
    wait_for_step(page, "Is this a pre-sale or a post-sale question?", on_heading=False)
    expect(choice(page, "Post-sale: a customer service need for a member")).to_be_focused()
    page.evaluate("window.__stillTheSamePage = true")  # htmx swaps every step below in place
    choose(page, "Post-sale: a customer service need for a member", limit=0)
    wait_for_step(page, "What does the agent need?")
    press_number(page, "Billing issues")  # 8, from the heading
    wait_for_step(page, "Submit a Service Inquiry in Vantage: which card fits?")

    # Shift+Tab back to “← Back”: the previous answer is marked.
    press_button(page, "← Back", limit=8, backwards=True)
    wait_for_step(page, "What does the agent need?")
    expect(choice(page, "Billing issues")).to_have_accessible_description("Your last answer")
    # The 12th choice has no number key: Tab reaches it from the heading.
    choose(page, "Member cannot get care or a prescription now (access to care)", limit=14)

    # A form step: tick the SOS criteria with Space, submit with Enter.
    wait_for_step(page, "Does the Customer Service SOS line apply?")
    tick(page, "The agent will place the call from their own phone", limit=3)
    tick(page, "The member is on the line (3-way call) or in the room with the agent", limit=1)
    tick(page, "The member has a current clinical need", limit=1)
    tick(page, "The member has an active medical plan", limit=2)
    press_button(page, "Continue", limit=3)

    wait_for_step(page, "Call the Customer Service SOS line")
    expect(page).to_have_url(re.compile(r"/step/out_sos_call/$"))
    assert page.evaluate("window.__stillTheSamePage") is True
    case = Case.objects.get()
    assert (case.status, case.outcome_key) == ("closed", "out_sos_call")
    assert case.answers["topic"] == "access_to_care"


def test_it_shows_form_errors_and_fixes_them_with_the_keyboard(live_server, browser, specialist):
    """Both lines of business ticked: refused; the focus stays in the step for the fix."""
    page = start_routing_case_by_keyboard(browser.new_page(), live_server, specialist)
    wait_for_step(page, "Is this a pre-sale or a post-sale question?", on_heading=False)
    choose(page, "Post-sale: a customer service need for a member")
    wait_for_step(page, "What does the agent need?")
    choose(page, "Billing issues", limit=10)
    wait_for_step(page, "Submit a Service Inquiry in Vantage: which card fits?")
    choose(page, "My Humana Business: for existing members", limit=4)
    wait_for_step(page, "Service Inquiry through the My Humana Business card")
    press_button(page, "Done, continue", limit=6)
    wait_for_step(page, "Did the Service Inquiry go through?")
    choose(page, "It was submitted before, and the member's issue is still not resolved", limit=4)
    wait_for_step(page, "The issue is still not resolved: where does it go next?")
    choose(page, "Escalate the member issue to the ARSOS mailbox", limit=4)

    wait_for_step(page, "Which line of business is the member's policy?")
    tick(page, "Medicare concern", limit=3)
    tick(page, "Individual (HumanaOne) concern", limit=1)
    press_button(page, "Continue", limit=1)
    expect(page.locator("#case .form-errors")).to_contain_text("Medicare")
    wait_for_step(page, "Which line of business is the member's policy?", on_heading=False)
    # Untick Individual: Shift+Tab from wherever the focus went, Space.
    individual = page.get_by_label("Individual (HumanaOne) concern", exact=True)
    if not has_focus(individual):
        tab_to(page, individual, limit=4)
    page.keyboard.press("Space")
    expect(individual).not_to_be_checked()
    press_button(page, "Continue", limit=1)

    wait_for_step(page, "E-mail to the ARSOS mailbox")
    press_button(page, "The agent has the template", limit=12)
    wait_for_step(page, "Waiting on the ARSOS mailbox")
    assert Case.objects.get().current_step == "mailbox_wait"


def test_it_requests_ec_access_with_the_keyboard_alone(live_server, browser, specialist, on_day):
    on_day(dt.date(2026, 12, 9))  # outside the 1st-5th blackout
    group, sl_app = make_eligible_group(group_number="824751")
    page = browser.new_page()
    sign_in_by_keyboard(page, live_server, specialist)
    open_flow_by_keyboard(page, "EC reports: verify or request an employer's access")

    # The group is asked once, on the start form, and checked there.
    tab_to(page, page.get_by_label("Group number"), limit=4)
    page.keyboard.type("824751")
    press_button(page, "Start the case", limit=3)

    # A full page: its autofocus control (Done, continue) has the focus.
    wait_for_step(page, "Run and save the Business Function report", on_heading=False)
    expect(page.get_by_role("button", name="Done, continue")).to_be_focused()
    page.keyboard.press("Enter")
    wait_for_step(page, "Standard or expedited request?")
    press_number(page, "Standard: e-mail the report to EmployerGroup@humana.com")
    wait_for_step(page, "Request e-mailed to Access Management")
    press_button(page, "Done, continue", limit=12)

    wait_for_step(page, "Request queued for Access Management")
    request = ECRequest.objects.get()
    assert (request.state, request.group, request.sl_app) == ("queued", group, sl_app)
