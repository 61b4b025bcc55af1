"""Security headers on every page: a Content-Security-Policy that allows only the app's own
scripts and styles (inline styles only where Mermaid draws), Permissions-Policy, COOP; and
pages that need nothing more (no inline script, style or event handler anywhere)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk.middleware import PERMISSIONS_POLICY
from tests.supportdesk.test_access import OK, REQUESTS, ROLE_MATRIX, World

pytestmark = pytest.mark.django_db

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
MERMAID = STRICT.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';")
MERMAID_VIEWS = {"flow_map", "supervisor_dashboard"}
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class InlineCode(HTMLParser):
    """What a strict policy would refuse in a page: inline scripts, <style>, style="",
    on*="" handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.htmx_config: str | None = None
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self._in_script = True
        if tag == "style":
            self.found.append("<style>")
        if tag == "meta" and values.get("name") == "htmx-config":
            self.htmx_config = values.get("content")
        for name, value in attrs:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def pages() -> list[tuple[str, str]]:
    """(view, role) for every GET view, as a role allowed to open it."""
    found = []
    for name, cells in ROLE_MATRIX.items():
        method, _args = REQUESTS[name]
        if method == "get":
            role = next(role for role, expected in cells.items() if expected == OK)
            found.append((name, role))
    return found


@pytest.mark.parametrize(("url_name", "role"), pages())
def test_it_sends_the_policy_and_needs_nothing_inline(request, client, settings, specialist,
                                                      url_name, role):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"
    world = World(owner=specialist)
    client.force_login(request.getfixturevalue(role))
    url = reverse(url_name, args=REQUESTS[url_name][1](world))

    response = client.get(url, follow=True)  # a resume, or an unfinished .eml, redirects

    assert response.status_code == 200, url
    expected = MERMAID if url_name in MERMAID_VIEWS else STRICT
    assert response["Content-Security-Policy"] == expected
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if response["Content-Type"].startswith("text/html"):
        parser = InlineCode()
        parser.feed(b"".join(response).decode() if response.streaming else response.content.decode())
        assert parser.found == [], f"{url} needs inline code: {parser.found}"
        assert parser.htmx_config == '{"includeIndicatorStyles": false}'


def test_it_sends_the_policy_on_the_sign_in_page_and_on_refusals(client, outsider):
    assert Client().get("/accounts/login/")["Content-Security-Policy"] == STRICT
    client.force_login(outsider)
    refused = client.get(reverse("supervisor_cases"))
    assert refused.status_code == 403
    assert refused["Content-Security-Policy"] == STRICT
    assert client.get("/no-such-page/")["Content-Security-Policy"] == STRICT


def test_it_allows_inline_styles_only_on_the_mermaid_views(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("flow_map", args=["arsos-routing"]))["Content-Security-Policy"] == MERMAID
    assert client.get(reverse("supervisor_dashboard"))["Content-Security-Policy"] == MERMAID
    assert client.get(reverse("flow_list"))["Content-Security-Policy"] == STRICT
    assert "unsafe-inline" not in MERMAID.split("script-src", 1)[1].split(";", 1)[0]


def test_it_leaves_django_debug_pages_readable_in_development_only(client, specialist, settings):
    client.force_login(specialist)
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/no-such-page/")
    settings.DEBUG = False
    assert client.get("/no-such-page/")["Content-Security-Policy"] == STRICT


def test_it_keeps_every_template_free_of_inline_code():
    """Also the templates no test renders. The PDF templates are read by WeasyPrint, never by a
    browser, and keep their <style>."""
    offenders = []
    pattern = re.compile(r"""\sstyle\s*=|<style|\son[a-z]+\s*=|hx-on|javascript:|<script(?![^>]*\ssrc=)""",
                         re.IGNORECASE)
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.name.endswith("_pdf.html"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    assert not offenders, "inline code the Content-Security-Policy refuses:\n" + "\n".join(offenders)


def test_it_spots_each_kind_of_inline_code():
    parser = InlineCode()
    parser.feed('<div style="color:red" onclick="x()"><style>p{}</style><script>alert(1)</script>'
                '<script src="/static/js/app.js"></script><a href="javascript:void(0)">x</a>'
                '<button hx-on:click="x()">y</button></div>')
    assert parser.found == ["<div style=…>", "<div onclick=…>", "<style>", "inline <script>: alert(1)",
                            "<a href=javascript:…>", "<button hx-on:click=…>"]
