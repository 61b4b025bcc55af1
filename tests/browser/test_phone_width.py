"""On a phone (390 × 844), no page scrolls sideways, as any role.

The pages are tests/supportdesk/test_plain_language.py's: every GET-able page of the URL conf
(the admin's aside), on a world with a case standing on every step of every flow, an EC request,
an ARSOS escalation and a Noyo connection. The Django test client sorts out first which pages a
role may open and which are HTML; the browser then loads only those, one context per role.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.supportdesk.test_plain_language import _urls, world  # noqa: F401 -- world is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OVERFLOW_JS = """() => {
    const width = document.documentElement.scrollWidth;
    if (width <= window.innerWidth) return null;
    // The widest elements that stick out on the right: where to look.
    const culprits = [];
    for (const el of document.querySelectorAll('main *, header *')) {
        const right = el.getBoundingClientRect().right;
        if (right > window.innerWidth + 1) culprits.push([right, el]);
    }
    culprits.sort((a, b) => b[0] - a[0]);
    const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    return {width, culprits: culprits.slice(0, 3).map(([r, el]) => `${describe(el)} (right ${Math.round(r)})`)};
}"""


def _html_pages(user, urls: list[str]) -> list[str]:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages.append(url)
    return pages


def test_it_scrolls_no_page_sideways_on_a_phone(browser, live_server, specialist, access_user,
                                                supervisor, world, sign_in):  # noqa: F811
    urls = _urls(world)
    offending, loaded = [], {}
    started = time.monotonic()
    for user in (specialist, access_user, supervisor):
        pages = _html_pages(user, urls)
        context = browser.new_context(viewport=PHONE)
        page = sign_in(context.new_page(), user)
        for url in pages:
            page.goto(f"{live_server.url}{url}", wait_until="domcontentloaded")
            problem = page.evaluate(OVERFLOW_JS)
            if problem:
                offending.append(f"{user.username} {url}: {problem['width']} px wide; "
                                 + ", ".join(problem["culprits"]))
        loaded[user.username] = len(pages)
        context.close()
    print(f"phone width: {loaded} pages in {time.monotonic() - started:.1f} s")
    assert all(n >= 5 for n in loaded.values()), f"the walk must load pages, or it proves nothing: {loaded}"
    assert not offending, "Pages wider than a 390 px phone:\n" + "\n".join(offending)
