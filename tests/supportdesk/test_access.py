"""Who may reach what: login everywhere, the role each view asks for, and CSRF.

The URL walk covers every pattern in the URL conf (the admin's included), so a view added
without login protection fails here without anyone remembering to add it to a list.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.views import redirect_to_login
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from ec_access.models import ECBatchRun
from supportdesk.feedback import feedback_report
from supportdesk.models import AuditEntry
from supportdesk.roles import Role
from tests.agent_rsos.make import make_draft
from tests.ec_access.make import make_eligible_group, make_request
from tests.factories import make_case
from tests.noyo_sync.make import request_connection

# --- Walking the URL conf -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URLPattern with the patterns of the resolvers above it."""

    name: str  # "login", "admin:index"; the route itself when the pattern has no name
    parts: tuple[Any, ...]  # the pattern objects, outermost first
    namespaces: tuple[str, ...]
    callback: Callable[..., Any]

    @property
    def in_admin(self) -> bool:
        return "admin" in self.namespaces


def walk_urlconf(patterns: list[Any] | None = None, parts: tuple[Any, ...] = (),
                 namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk_urlconf(entry.url_patterns, (*parts, entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = "".join(str(p) for p in (*parts, entry.pattern))
            name = ":".join((*namespaces, entry.name)) if entry.name else route
            yield Route(name, (*parts, entry.pattern), namespaces, entry.callback)


# Sample values for the captured parts of a URL: by the captured name first, then by converter.
SAMPLES_BY_NAME = {"flow_key": "arsos-routing", "step_key": "sale_stage"}
SAMPLES_BY_CONVERTER = {
    "ref": "SD-000001",  # replaced by the reference of the case the test opens
    "slug": "x",
    "int": "1",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
# Regex-captured groups (the admin's app index and catch-all).
SAMPLES_BY_REGEX_GROUP = {"url": "x"}


def _sample(name: str, converter: str, samples: dict[str, str]) -> str:
    if name in SAMPLES_BY_NAME:
        return SAMPLES_BY_NAME[name]
    if converter in samples:
        return samples[converter]
    raise AssertionError(f"No sample value for <{converter}:{name}>: add one to the test.")


def _concrete_part(pattern: Any, samples: dict[str, str]) -> str:
    text = str(pattern)
    if type(pattern).__name__ == "RoutePattern":
        return re.sub(
            r"<(?:(\w+):)?(\w+)>",
            lambda m: _sample(m.group(2), m.group(1) or "str", samples),
            text,
        )
    # RegexPattern: "^(?P<app_label>auth|supportdesk)/$" → "auth/"
    def group(m: re.Match[str]) -> str:
        name, body = m.group(1), m.group(2)
        if name == "app_label":
            return body.split("|")[0]
        if name in SAMPLES_BY_REGEX_GROUP:
            return SAMPLES_BY_REGEX_GROUP[name]
        raise AssertionError(f"No sample value for regex group {name!r} in {text!r}.")

    text = re.sub(r"\(\?P<(\w+)>([^()]*)\)", group, text)
    return text.removeprefix("^").removesuffix("$").replace("\\", "")


def concrete_url(route: Route, samples: dict[str, str]) -> str:
    url = "/" + "".join(_concrete_part(p, samples) for p in route.parts)
    match = resolve(url)  # the sample URL must reach the very view it was built for
    assert match.func is route.callback, f"{url} resolves to {match.func}, not {route.name}"
    return url


# Reachable without signing in. Static files are served by WhiteNoise, outside the URL conf.
ANONYMOUS_ALLOWED = {
    "login",
    "health",
    "admin:login",  # Django's own admin login page (marked @login_not_required by Django)
}

# The local Noyo sandbox speaks Noyo's machine-to-machine API: no session, its own Bearer tokens.
# Anonymous requests get Noyo's JSON errors (400/401/405), never a page and never a redirect.
MACHINE_ENDPOINTS = {
    "noyo_sandbox_token",
    "noyo_sandbox_connections",
    "noyo_sandbox_connection",
    "noyo_sandbox_connection_retry",
    # Noyo's webhooks: signed deliveries (x-noyo-signature), refused with 401/405 otherwise.
    "noyo_webhook",
}


@pytest.mark.django_db
def test_it_redirects_anonymous_requests_to_login_for_every_url(specialist):
    case = make_case(specialist)
    samples = {**SAMPLES_BY_CONVERTER, "ref": case.reference}
    routes = list(walk_urlconf())
    names = {route.name for route in routes}
    # The walk must really see the app's views and the admin's, or it proves nothing.
    assert {"home", "case_step", "supervisor_case_pdf", "admin:index", "admin:auth_user_change"} <= names
    assert names >= ANONYMOUS_ALLOWED | MACHINE_ENDPOINTS, "an allow-list names a URL that no longer exists"

    client = Client()
    unprotected = []
    checked = 0
    for route in routes:
        url = concrete_url(route, samples)
        if route.name in ANONYMOUS_ALLOWED:
            response = client.get(url)
            assert response.status_code == 200, f"{route.name} ({url}) should open anonymously"
            continue
        if route.name in MACHINE_ENDPOINTS:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in {400, 401, 405}, f"{route.name}: {response.status_code}"
                assert response["Content-Type"].startswith("application/json")
            continue
        # settings.LOGIN_URL + ?next=<url>. The AdminSite's own views name the admin's login
        # page as their login_url, which LoginRequiredMiddleware honours: accept it there only.
        expected = {redirect_to_login(url)["Location"]}
        if route.in_admin:
            expected.add(redirect_to_login(url, reverse("admin:login"))["Location"])
        assert all("?next=" in location for location in expected)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            location = response.headers.get("Location")
            if response.status_code != 302 or location not in expected:
                unprotected.append(
                    f"{method.upper()} {url} ({route.name}): {response.status_code} {location}"
                )
            checked += 1
    assert not unprotected, "Anonymous requests not sent to the login page:\n" + "\n".join(
        unprotected
    )
    assert checked >= 2 * 30


# --- The role matrix ----------------------------------------------------------------------

OK = "allowed"  # status < 400 (200, 302, 303)
FORBIDDEN = 403  # the role-gated views refuse the wrong role
NOT_FOUND = 404  # a specialist's case or escalation is invisible to another specialist

ROLES = ("specialist", "other_specialist", "access_user", "supervisor", "outsider", "author")


def row(specialist: object, other_specialist: object, access_user: object, supervisor: object,
        outsider: object, author: object = FORBIDDEN) -> dict[str, object]:
    """One view's cells; the flow author, last, is refused unless the row says otherwise."""
    return dict(specialist=specialist, other_specialist=other_specialist, access_user=access_user,
                supervisor=supervisor, outsider=outsider, author=author)


OK_, F, N = OK, FORBIDDEN, NOT_FOUND

# Every role-gated view of every app. Every object below (case, escalation) belongs to
# `specialist`; `other_specialist` holds the same role. POSTs carry no data: a refused or
# invalid action still answers < 400 to a role that may ask, with a message.
ROLE_MATRIX: dict[str, dict[str, object]] = {
    #                                    specialist other_spec access supervisor outsider author
    # supportdesk
    "home":                          row(OK_,       OK_,       OK_,   OK_,       OK_,     OK_),
    "my_cases":                      row(OK_,       OK_,       F,     F,         F),
    "case_open":                     row(OK_,       OK_,       F,     F,         F),
    "case_resume":                   row(OK_,       N,         F,     F,         F,       N),
    "case_step":                     row(OK_,       N,         F,     F,         F,       N),
    "case_back":                     row(OK_,       N,         F,     F,         F,       N),
    "case_restart":                  row(OK_,       N,         F,     F,         F,       N),
    "case_follow_on":                row(OK_,       N,         F,     F,         F),
    "case_note_add":                 row(OK_,       N,         F,     F,         F),
    "case_incident":                 row(OK_,       N,         F,     F,         F),
    "flow_list":                     row(OK_,       OK_,       F,     OK_,       F,       OK_),
    "flow_map":                      row(OK_,       OK_,       F,     OK_,       F,       OK_),
    # The flow authors' pages; with no draft, a POST is told so (a message, 303).
    "flow_content":                  row(F,         F,         F,     F,         F,       OK_),
    "flow_edit":                     row(F,         F,         F,     F,         F,       OK_),
    "flow_draft_status":             row(F,         F,         F,     F,         F,       OK_),
    "flow_draft_discard":            row(F,         F,         F,     F,         F,       OK_),
    "flow_preview":                  row(F,         F,         F,     F,         F,       OK_),
    "flow_publish":                  row(F,         F,         F,     F,         F,       OK_),
    "flow_versions":                 row(F,         F,         F,     F,         F,       OK_),
    "flow_compare":                  row(F,         F,         F,     F,         F,       OK_),
    "flow_revert":                   row(F,         F,         F,     F,         F,       OK_),
    "flow_alert_dismiss":            row(OK_,       OK_,       F,     F,         F),
    # Feedback from the floor: a specialist reports on their own case's step, authors answer.
    "step_feedback":                 row(OK_,       N,         F,     F,         F),
    "feedback_mine":                 row(OK_,       OK_,       F,     F,         F),
    "feedback_overview":             row(F,         F,         F,     F,         F,       OK_),
    "flow_feedback":                 row(F,         F,         F,     F,         F,       OK_),
    "flow_feedback_answer":          row(F,         F,         F,     F,         F,       OK_),
    "flow_feedback_close":           row(F,         F,         F,     F,         F,       OK_),
    "supervisor_dashboard":          row(F,         F,         F,     OK_,       F),
    "supervisor_dashboard_export":   row(F,         F,         F,     OK_,       F),
    "supervisor_cases":              row(F,         F,         F,     OK_,       F),
    "supervisor_cases_export":       row(F,         F,         F,     OK_,       F),
    "supervisor_case":               row(F,         F,         F,     OK_,       F),
    "supervisor_case_review":        row(F,         F,         F,     OK_,       F),
    "supervisor_case_pdf":           row(F,         F,         F,     OK_,       F),
    "supervisor_audit":              row(F,         F,         F,     OK_,       F),
    # ec_access
    "ec_bf_report_lookup":           row(OK_,       OK_,       OK_,   OK_,       F),
    "ec_bf_report":                  row(OK_,       OK_,       OK_,   OK_,       F),
    "ec_bf_report_pdf":              row(OK_,       OK_,       OK_,   OK_,       F),
    "ec_queue":                      row(F,         F,         OK_,   OK_,       F),
    "ec_request":                    row(F,         F,         OK_,   OK_,       F),
    "ec_queue_claim_next":           row(F,         F,         OK_,   F,         F),
    "ec_request_claim":              row(F,         F,         OK_,   F,         F),
    "ec_request_release":            row(F,         F,         OK_,   F,         F),
    "ec_request_grant":              row(F,         F,         OK_,   F,         F),
    "ec_request_grant_confirm":      row(F,         F,         OK_,   F,         F),
    "ec_request_reject":             row(F,         F,         OK_,   F,         F),
    "ec_batches":                    row(F,         F,         OK_,   OK_,       F),
    "ec_batch_spreadsheet":          row(F,         F,         OK_,   OK_,       F),
    # agent_rsos
    "arsos_my_escalations":          row(OK_,       OK_,       F,     F,         F),
    "arsos_escalation_overview":     row(F,         F,         F,     OK_,       F),
    "arsos_escalation":              row(OK_,       N,         F,     OK_,       F),
    "arsos_escalation_eml":          row(OK_,       N,         F,     OK_,       F),
    "arsos_escalation_save":         row(OK_,       N,         F,     F,         F),
    "arsos_escalation_split":        row(OK_,       N,         F,     F,         F),
    "arsos_escalation_sent":         row(OK_,       N,         F,     F,         F),
    "arsos_escalation_acknowledged": row(OK_,       N,         F,     F,         F),
    "arsos_escalation_follow_up":    row(OK_,       N,         F,     F,         F),
    "arsos_escalation_resolved":     row(OK_,       N,         F,     F,         F),
    "arsos_escalation_escalated":    row(OK_,       N,         F,     F,         F),
    # husky_reports
    "husky_catalog":                 row(OK_,       OK_,       F,     OK_,       F),
    "husky_member_check":            row(OK_,       OK_,       F,     F,         F),
    # noyo_sync
    "noyo_connections":              row(OK_,       OK_,       F,     OK_,       F),
    "noyo_connection":               row(OK_,       OK_,       F,     OK_,       F),
    "noyo_connection_new":           row(OK_,       OK_,       F,     F,         F),
    "noyo_connection_refresh":       row(OK_,       OK_,       F,     F,         F),
    "noyo_connection_retry":         row(OK_,       OK_,       F,     F,         F),
    "noyo_member_change_check":      row(OK_,       OK_,       F,     F,         F),
    # finder
    "finder_search":                 row(OK_,       OK_,       F,     F,         F),
    "finder_star":                   row(OK_,       OK_,       F,     F,         F),
    "finder_unstar":                 row(OK_,       OK_,       F,     F,         F),
}  # fmt: skip


class World:
    """The objects the views are asked about, all belonging to ``owner``; each made on first use,
    so a cell pays only for what its view needs."""

    def __init__(self, owner: Any) -> None:
        self.owner = owner

    @cached_property
    def case(self) -> Any:
        return make_case(self.owner)

    @cached_property
    def feedback(self) -> Any:
        return feedback_report(case=self.case, user=self.owner, step_key="sale_stage",
                               text="The second choice reads oddly.")

    @cached_property
    def group(self) -> Any:
        group, _sl_app = make_eligible_group()
        return group

    @cached_property
    def ec_request(self) -> Any:
        return make_request()

    @cached_property
    def batch_run(self) -> Any:
        now = timezone.now()
        return ECBatchRun.objects.create(week_start=dt.date(2026, 1, 5), trigger="command",
                                         started_at=now, finished_at=now, spreadsheet=b"PK")

    @cached_property
    def escalation(self) -> Any:
        return make_draft(self.owner)

    @cached_property
    def connection(self) -> Any:
        return request_connection(self.owner, "989101", send=False)


# How each view is requested: method and URL arguments.
REQUESTS: dict[str, tuple[str, Callable[[World], list[Any]]]] = {
    "home": ("get", lambda w: []),
    "my_cases": ("get", lambda w: []),
    "case_open": ("get", lambda w: ["arsos-routing"]),
    "case_resume": ("get", lambda w: [w.case.reference]),
    "case_step": ("get", lambda w: [w.case.reference, "sale_stage"]),
    "case_back": ("post", lambda w: [w.case.reference]),
    "case_restart": ("post", lambda w: [w.case.reference]),
    "case_follow_on": ("post", lambda w: [w.case.reference]),
    "case_note_add": ("post", lambda w: [w.case.reference]),
    "case_incident": ("post", lambda w: [w.case.reference]),
    "flow_list": ("get", lambda w: []),
    "flow_map": ("get", lambda w: ["arsos-routing"]),
    "flow_content": ("get", lambda w: []),
    "flow_edit": ("get", lambda w: ["arsos-routing"]),
    "flow_draft_status": ("get", lambda w: ["arsos-routing"]),
    "flow_draft_discard": ("post", lambda w: ["arsos-routing"]),
    "flow_preview": ("post", lambda w: ["arsos-routing"]),
    "flow_publish": ("get", lambda w: ["arsos-routing"]),
    "flow_versions": ("get", lambda w: ["arsos-routing"]),
    "flow_compare": ("get", lambda w: ["arsos-routing"]),
    "flow_revert": ("post", lambda w: ["arsos-routing", 1]),
    "flow_alert_dismiss": ("post", lambda w: ["arsos-routing"]),
    "step_feedback": ("post", lambda w: [w.case.reference, "sale_stage"]),
    "feedback_mine": ("get", lambda w: []),
    "feedback_overview": ("get", lambda w: []),
    "flow_feedback": ("get", lambda w: ["arsos-routing"]),
    "flow_feedback_answer": ("post", lambda w: ["arsos-routing", w.feedback.pk]),
    "flow_feedback_close": ("post", lambda w: ["arsos-routing", w.feedback.pk]),
    "supervisor_dashboard": ("get", lambda w: []),
    "supervisor_dashboard_export": ("get", lambda w: ["dispositions", "csv"]),
    "supervisor_cases": ("get", lambda w: []),
    "supervisor_cases_export": ("get", lambda w: ["csv"]),
    "supervisor_case": ("get", lambda w: [w.case.reference]),
    "supervisor_case_review": ("post", lambda w: [w.case.reference]),
    "supervisor_case_pdf": ("get", lambda w: [w.case.reference]),
    "supervisor_audit": ("get", lambda w: []),
    "ec_bf_report_lookup": ("get", lambda w: []),
    "ec_bf_report": ("get", lambda w: [w.group.group_number]),
    "ec_bf_report_pdf": ("get", lambda w: [w.group.group_number]),
    "ec_queue": ("get", lambda w: []),
    "ec_request": ("get", lambda w: [w.ec_request.pk]),
    "ec_queue_claim_next": ("post", lambda w: []),
    "ec_request_claim": ("post", lambda w: [w.ec_request.pk]),
    "ec_request_release": ("post", lambda w: [w.ec_request.pk]),
    "ec_request_grant": ("post", lambda w: [w.ec_request.pk]),
    "ec_request_grant_confirm": ("get", lambda w: [w.ec_request.pk]),
    "ec_request_reject": ("post", lambda w: [w.ec_request.pk]),
    "ec_batches": ("get", lambda w: []),
    "ec_batch_spreadsheet": ("get", lambda w: [w.batch_run.pk]),
    "arsos_my_escalations": ("get", lambda w: []),
    "arsos_escalation_overview": ("get", lambda w: []),
    "arsos_escalation": ("get", lambda w: [w.escalation.pk]),
    "arsos_escalation_eml": ("get", lambda w: [w.escalation.pk]),
    "arsos_escalation_save": ("post", lambda w: [w.escalation.pk]),
    "arsos_escalation_split": ("post", lambda w: [w.escalation.pk]),
    "arsos_escalation_sent": ("post", lambda w: [w.escalation.pk]),
    "arsos_escalation_acknowledged": ("post", lambda w: [w.escalation.pk]),
    "arsos_escalation_follow_up": ("post", lambda w: [w.escalation.pk]),
    "arsos_escalation_resolved": ("post", lambda w: [w.escalation.pk]),
    "arsos_escalation_escalated": ("post", lambda w: [w.escalation.pk]),
    "husky_catalog": ("get", lambda w: []),
    "husky_member_check": ("get", lambda w: []),
    "noyo_connections": ("get", lambda w: []),
    "noyo_connection": ("get", lambda w: [w.connection.pk]),
    "noyo_connection_new": ("get", lambda w: []),
    "noyo_connection_refresh": ("post", lambda w: [w.connection.pk]),
    "noyo_connection_retry": ("post", lambda w: [w.connection.pk]),
    "noyo_member_change_check": ("get", lambda w: []),
    "finder_search": ("post", lambda w: []),
    "finder_star": ("post", lambda w: ["arsos-routing"]),
    "finder_unstar": ("post", lambda w: ["arsos-routing"]),
}


def role_gated_routes() -> dict[str, Route]:
    """Every URL of the app (the admin's and the auth views aside) that states its roles."""
    return {
        route.name: route for route in walk_urlconf()
        if not route.in_admin and getattr(route.callback, "required_roles", None)
    }


def test_it_has_a_full_role_matrix():
    assert set(ROLE_MATRIX) == set(REQUESTS)
    for name, cells in ROLE_MATRIX.items():
        assert set(cells) == set(ROLES), name


def test_it_lists_every_role_gated_view_of_every_app_in_the_matrix():
    gated = set(role_gated_routes())
    assert len(gated) >= 45, "the walk must see the views of every app"
    assert not gated - set(ROLE_MATRIX), f"role-gated views missing from ROLE_MATRIX: {gated - set(ROLE_MATRIX)}"
    assert not set(ROLE_MATRIX) - gated - ROLE_FREE_VIEWS, "the matrix names a view that is gone"


@pytest.mark.parametrize(
    ("url_name", "role", "expected"),
    [(name, role, expected) for name, cells in ROLE_MATRIX.items() for role, expected in cells.items()],
    ids=lambda value: str(value),
)
def test_it_grants_each_role_exactly_its_views(request, client, settings, specialist, url_name,
                                               role, expected):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"  # nothing listens: Noyo is out
    world = World(owner=specialist)
    method, args = REQUESTS[url_name]
    url = reverse(url_name, args=args(world))
    user = request.getfixturevalue(role)
    client.force_login(user)
    audited = AuditEntry.objects.count()

    response = getattr(client, method)(url)

    if expected == OK:
        assert response.status_code < 400, f"{role} {method.upper()} {url}: {response.status_code}"
        assert response.status_code in {200, 302, 303}
    else:
        assert response.status_code == expected, f"{role} {method.upper()} {url}"
        assert AuditEntry.objects.count() == audited, "a refused request wrote something"


# --- Every view states its role -----------------------------------------------------------

ROLE_FREE_VIEWS = {"home", "health", "login"}  # any signed-in user; the load balancer; everyone


def test_it_states_the_required_roles_on_every_app_view():
    checked = set()
    missing = []
    for route in walk_urlconf():
        if route.in_admin or route.callback.__module__.startswith("django.contrib.auth"):
            continue
        if route.name in ROLE_FREE_VIEWS or route.name in MACHINE_ENDPOINTS:
            continue
        roles = getattr(route.callback, "required_roles", None)
        if not roles or not all(isinstance(role, Role) for role in roles):
            missing.append(f"{route.name} ({route.callback.__module__}): {roles!r}")
        checked.add(route.name)
    assert not missing, "Views without @role_required(...):\n" + "\n".join(missing)
    assert set(ROLE_MATRIX) - ROLE_FREE_VIEWS <= checked  # the walk saw the app's views


# --- CSRF ---------------------------------------------------------------------------------


class _BodyHeaders(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hx_headers: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.hx_headers = dict(attrs).get("hx-headers")


def test_it_needs_the_csrf_token_that_htmx_sends_from_the_body(specialist):
    case = make_case(specialist)
    client = Client(enforce_csrf_checks=True)
    client.force_login(specialist)
    url = reverse("case_step", args=[case.reference, "sale_stage"])
    page = client.get(url)
    assert page.status_code == 200
    parser = _BodyHeaders()
    parser.feed(page.content.decode())
    assert parser.hx_headers, "<body> carries no hx-headers"
    token = json.loads(parser.hx_headers)["X-CSRFToken"]
    assert token

    refused = client.post(url, {"choice": "post_sale"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    case.refresh_from_db()
    assert case.current_step == "sale_stage"

    accepted = client.post(
        url, {"choice": "post_sale"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200
    case.refresh_from_db()
    assert case.current_step == "topic"
    assert accepted.headers["HX-Push-Url"] == reverse("case_step", args=[case.reference, "topic"])
