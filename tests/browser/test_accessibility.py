"""axe-core on the main pages: no serious or critical violation anywhere.

axe-core is vendored from the npm registry (tests/browser/vendor/axe-core/README.md) and
injected by Playwright into a context that bypasses the app's Content-Security-Policy; the
pages themselves load nothing extra. Minor and moderate findings are printed, not failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from agent_rsos.models import Escalation
from noyo_sync.services import group_connection_request
from supportdesk.roles import Role
from tests.agent_rsos.make import make_escalation
from tests.ec_access.make import make_eligible_group, make_request
from tests.factories import make_case, make_user
from tests.noyo_sync.make import make_group as make_noyo_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST_SALE = ("sale_stage", {"choice": "post_sale"})
ACCESS_TO_CARE = ("topic", {"choice": "access_to_care"})
SOS_FORM = ("sos_criteria", {"sos_criteria-agent_makes_call": "on"})
TO_MAILBOX_LINE = [
    POST_SALE,
    ("topic", {"choice": "billing"}),
    ("si_member", {"choice": "existing"}),
    ("si_my_humana_business", {}),
    ("si_result", {"choice": "unresolved"}),
    ("escalation", {"choice": "mailbox"}),
]


@dataclass(frozen=True)
class Users:
    specialist: Any
    supervisor: Any
    clerk: Any


@dataclass(frozen=True)
class Screen:
    """One page to check: who looks at it, how to reach it, what to do there first."""

    role: str  # "anonymous", "specialist", "supervisor" or "clerk"
    url: Callable[[Users], str]
    then: Callable[[Page], None] | None = None


def _case_step(users: Users, answers: list[tuple[str, dict]] = ()) -> str:
    return make_case(users.specialist, "arsos-routing", list(answers)).get_absolute_url()


def _closed_case(users: Users) -> Any:
    return make_case(users.specialist, "arsos-routing", [("sale_stage", {"choice": "pre_sale"})])


def _submit_both_lines(page: Page) -> None:
    page.get_by_label("Medicare concern").check()
    page.get_by_label("Individual (HumanaOne) concern").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".form-errors, .errorlist").first).to_be_visible()


def _check_a_member(page: Page) -> None:
    page.get_by_label("Age on the check date").fill("60")
    page.get_by_label("Sex").select_option("F")
    page.get_by_role("button", name="Check every report").click()
    expect(page.locator("#results table").first).to_be_visible()


def _request(users: Users) -> str:
    group, sl_app = make_eligible_group(group_number="824751")
    return f"/ec/queue/{make_request(group, sl_app).pk}/"


def _escalation(users: Users) -> str:
    return f"/arsos/escalations/{make_escalation(users.specialist, status='sent').pk}/"


def _draft_escalation(users: Users) -> str:
    make_case(users.specialist, "arsos-routing", [
        *TO_MAILBOX_LINE, ("mailbox_line", {"mailbox_line-medicare": "on"})])
    return f"/arsos/escalations/{Escalation.objects.get().pk}/"


def _connection(users: Users) -> str:
    connection = group_connection_request(
        group=make_noyo_group("824751"), carrier_group_id="989101", user=users.specialist,
        send=False, people=40, census_file_sent=True, group_number_issued=True)
    return f"/noyo/connections/{connection.pk}/"


def _connections(users: Users) -> str:
    _connection(users)
    return "/noyo/connections/"


def _dashboard(users: Users) -> str:
    _closed_case(users)
    _case_step(users, [POST_SALE])
    return "/supervisor/?flow=arsos-routing"


def _home(users: Users) -> str:
    _closed_case(users)
    _case_step(users)
    return "/"


def _my_cases(users: Users) -> str:
    _case_step(users)
    return "/cases/"


def _my_escalations(users: Users) -> str:
    _escalation(users)
    return "/arsos/escalations/"


def _escalation_overview(users: Users) -> str:
    _escalation(users)
    return "/arsos/escalations/overview/"


def _case_list(users: Users) -> str:
    _closed_case(users)
    return "/supervisor/cases/"


def _queue(users: Users) -> str:
    _request(users)
    return "/ec/queue/"


def _answer_first_question(page: Page) -> None:
    page.get_by_role("button", name="Post-sale: a customer service need for a member").click()
    expect(page.get_by_role("heading", name="What does the agent need?")).to_be_visible()


def fixed(path: str) -> Callable[[Users], str]:
    return lambda users: path


SCREENS: dict[str, Screen] = {
    "login": Screen("anonymous", fixed("/accounts/login/")),
    "specialist home": Screen("specialist", _home),
    "case open": Screen("specialist", fixed("/cases/new/arsos-routing/")),
    "my cases": Screen("specialist", _my_cases),
    "step: question": Screen("specialist", _case_step),
    "step: question, swapped in by htmx": Screen("specialist", _case_step,
                                                 then=_answer_first_question),
    "step: form": Screen("specialist", lambda u: _case_step(u, [POST_SALE, ACCESS_TO_CARE])),
    "step: form with errors": Screen("specialist", lambda u: _case_step(u, TO_MAILBOX_LINE),
                                     then=_submit_both_lines),
    "step: instruction": Screen(
        "specialist", lambda u: _case_step(u, [POST_SALE, ACCESS_TO_CARE, SOS_FORM])),
    "step: action": Screen("specialist", lambda u: _case_step(
        u, [*TO_MAILBOX_LINE, ("mailbox_line", {"mailbox_line-medicare": "on"})])),
    "step: outcome": Screen("specialist", lambda u: _closed_case(u).get_absolute_url()),
    "ARSOS escalation (draft)": Screen("specialist", _draft_escalation),
    "ARSOS escalation (sent)": Screen("specialist", _escalation),
    "my escalations": Screen("specialist", _my_escalations),
    "HUSKY member checker": Screen("specialist", fixed("/husky/member-check/"),
                                   then=_check_a_member),
    "HUSKY report catalog": Screen("specialist", fixed("/husky/reports/")),
    "Noyo connections": Screen("specialist", _connections),
    "Noyo connection": Screen("specialist", _connection),
    "Noyo member-change checker": Screen("specialist", fixed("/noyo/member-changes/")),
    "EC BF report lookup": Screen("specialist", fixed("/ec/bf-report/")),
    "supervisor case list": Screen("supervisor", _case_list),
    "case transcript": Screen("supervisor", lambda u: _closed_case(u).get_review_url()),
    "dashboard": Screen("supervisor", _dashboard),
    "flow map": Screen("supervisor", fixed("/flows/arsos-routing/")),
    "escalation overview": Screen("supervisor", _escalation_overview),
    "EC queue": Screen("clerk", _queue),
    "EC request": Screen("clerk", _request),
    "EC batch runs": Screen("clerk", fixed("/ec/batches/")),
}


@pytest.mark.parametrize("name", SCREENS)
def test_it_has_no_serious_accessibility_violations(name, live_server, axe_context, sign_in, axe):
    screen = SCREENS[name]
    users = Users(
        specialist=make_user("specialist", Role.SPECIALIST, first_name="Sam", last_name="Rivera"),
        supervisor=make_user("supervisor", Role.SUPERVISOR, first_name="Pat", last_name="Okafor"),
        clerk=make_user("clerk", Role.ACCESS_MANAGEMENT, first_name="Alex", last_name="Morgan"),
    )
    path = screen.url(users)
    page = axe_context.new_page()
    if screen.role != "anonymous":
        sign_in(page, getattr(users, screen.role))
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    if screen.then:
        screen.then(page)
    axe(page, name)


def test_it_fails_on_a_serious_violation(live_server, axe_context, axe):
    """The check itself can fail: an unlabelled field and an image without alt are caught."""
    page = axe_context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type="text"><img src="x.png">');
    }""")
    with pytest.raises(AssertionError, match=r"(?s)label.*image-alt|image-alt.*label"):
        axe(page, "broken on purpose")


MERMAID_CONTRAST_JS = """() => {
    const rgb = (text) => (text.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
    const luminance = ([r, g, b]) => [r, g, b].map((c) => {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    };
    const low = [];
    for (const node of document.querySelectorAll('.mermaid svg .node')) {
        const label = node.querySelector('.nodeLabel, tspan, text');
        const shape = node.querySelector('rect, polygon, circle, path');
        if (!label || !shape) continue;
        const style = getComputedStyle(label);
        const ink = label.namespaceURI.endsWith('svg') ? style.fill : style.color;
        const value = ratio(rgb(ink), rgb(getComputedStyle(shape).fill));
        if (value < 4.5) low.push(`${value.toFixed(2)}:1 “${label.textContent.trim()}” (${node.getAttribute('class')})`);
    }
    return low;
}"""


# axe cannot judge text inside the Mermaid SVG, so this test measures the labels' contrast itself.
def test_it_draws_the_traffic_coloured_flow_map_with_readable_labels(
    live_server, axe_context, sign_in, specialist, supervisor
):
    make_case(specialist, "arsos-routing", [("sale_stage", {"choice": "pre_sale"})])
    page = sign_in(axe_context.new_page(), supervisor)
    page.goto(f"{live_server.url}/supervisor/?flow=arsos-routing")
    expect(page.locator(".mermaid svg .node").first).to_be_visible()
    low = page.evaluate(MERMAID_CONTRAST_JS)
    assert not low, "flow map labels under 4.5:1 contrast:\n" + "\n".join(low)
