"""Playwright drives Debian's Chromium (never a downloaded browser) against live_server."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test itself
    # makes (fixtures, assertions, test-database setup) are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def sign_in(live_server):
    def sign_in(page, user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in


@pytest.fixture
def axe_context(browser):
    """A browser context for axe: it bypasses the app's Content-Security-Policy, which would
    refuse the injected script (only the app's own scripts may run)."""
    context = browser.new_context(bypass_csp=True)
    yield context
    context.close()


def axe_report(violations: list[dict[str, Any]]) -> str:
    """axe's violations as readable text: rule, impact, help, link, then each node."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:160]}")
            summary = node.get("failureSummary") or ""
            lines.extend(textwrap.indent(summary, "         ").splitlines())
    return "\n".join(lines)


DANGLING_IDREFS_JS = """() => {
    const problems = [];
    for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage']) {
        for (const el of document.querySelectorAll(`[${attr}]`)) {
            for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) problems.push(`${attr}="${id}" on ${el.outerHTML.slice(0, 160)}`);
            }
        }
    }
    return problems;
}"""


@pytest.fixture
def axe():
    """axe(page, name): run axe-core on the page as it stands; fail on serious or critical
    violations (printing them), print the others."""

    def check(page, name: str = "") -> list[dict[str, Any]]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        failing = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
        # axe leaves an aria-describedby that points nowhere as "needs review" (the element
        # might appear later); on our server-rendered pages it is simply a broken reference.
        dangling = page.evaluate(DANGLING_IDREFS_JS)
        others = [v for v in violations if v["impact"] not in AXE_FAILING_IMPACTS]
        where = f"{name} ({page.url})"
        if others:
            print(f"axe, minor or moderate, on {where}:\n{axe_report(others)}")
        assert not failing, f"axe: serious or critical violations on {where}:\n{axe_report(failing)}"
        assert not dangling, f"ARIA references to missing ids on {where}:\n" + "\n".join(dangling)
        return violations

    return check
