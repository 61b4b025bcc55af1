"""HTTP security plumbing: headers on every response, the session's inactivity clock, signing in
again when a session expired under htmx, and what error reports may show.

Security headers on every response: a Content-Security-Policy that lets the browser run only
SupportDesk's own scripts and styles (django-csp, from settings.CONTENT_SECURITY_POLICY), a
Permissions-Policy that turns off device features the app never uses (here: Django has none), and
a Cross-Origin-Opener-Policy (Django's SecurityMiddleware, SECURE_CROSS_ORIGIN_OPENER_POLICY).

The templates hold no inline scripts, inline styles or event-handler attributes (app.js and
app.css carry them), and base.html tells htmx not to inject its indicator <style>, so the strict
policy costs nothing. The one exception: Mermaid draws the flow maps by putting a <style> element
inside each SVG it renders, so the two views that show a diagram (the flow map and the dashboard)
are wrapped in @csp_allow_inline_styles, which allows inline *styles* (never scripts) on their
responses only. django-csp leaves Django's debug error pages (DEBUG only) without a policy, so a
developer's traceback stays readable.

Error reports (the e-mail Django sends to ADMINS on a 500) show no POST values and no local
variables when DEBUG is off: a form may carry a member's name, ID or date of birth (the ARSOS
template, free-text summaries), and none of it may leave in an e-mail or a log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.constants import HEADER, UNSAFE_INLINE
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import resolve_url
from django.views.debug import SafeExceptionReporterFilter
from django_htmx.http import HttpResponseClientRedirect

from supportdesk import clock

# Features the app never uses. clipboard-write stays on for 'self': the copy buttons need it.
PERMISSIONS_POLICY = ", ".join([
    "accelerometer=()", "autoplay=()", "camera=()", "display-capture=()", "geolocation=()",
    "gyroscope=()", "magnetometer=()", "microphone=()", "midi=()", "payment=()", "usb=()",
    "clipboard-write=(self)",
])

# Only for views that render Mermaid diagrams, whose SVG carries its own <style> element.
# Scripts stay 'self' only. (functools.wraps inside keeps required_roles, which the URL tests read.)
csp_allow_inline_styles = csp_update({"style-src": [UNSAFE_INLINE]})


class OrderedCSPMiddleware(CSPMiddleware):
    """django-csp's CSPMiddleware, with the directives in the order settings declare them.

    django-csp 4.0 gathers the directives in a set, so their order in the header changes from
    one process to the next (string hashing is randomised): the same policy, but a header no
    test, log or cache can compare. The values and what is sent where are django-csp's."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        if HEADER in response:
            order = {name: i for i, name in enumerate(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])}
            parts = response[HEADER].split("; ")
            parts.sort(key=lambda part: order.get(part.split(" ", 1)[0], len(order)))
            response[HEADER] = "; ".join(parts)
        return response


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response (Django sets the other security headers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class SessionActivityMiddleware:
    """Signs a session out after SESSION_COOKIE_AGE (30 minutes) without a request, without
    writing the session on every request.

    SESSION_SAVE_EVERY_REQUEST would restart the 30 minutes exactly, at the price of an UPDATE
    of the session row on every click (a write and its commit, a third of a bare page's SQL).
    Instead a request marks the session active when its last mark is SESSION_ACTIVITY_REFRESH
    seconds old or more; the mark changes the session, so SessionMiddleware saves it and the
    database expiry and the cookie's max-age restart from then. A session therefore ends between
    30 minutes minus SESSION_ACTIVITY_REFRESH and 30 minutes after its last request.
    """

    KEY = "_active_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response  # a visitor without a session gets none
        marked = session.get(self.KEY)  # loads the session, if the view did not
        # Only a live session is refreshed: not one a sign-out flushed, nor a cookie whose
        # session expired (both are empty once loaded).
        if session.is_empty():
            return response
        now = int(clock.now().timestamp())
        if not isinstance(marked, int) or now - marked >= settings.SESSION_ACTIVITY_REFRESH:
            session[self.KEY] = now
        return response


class HtmxSignInRedirectMiddleware:
    """When a session expired, an htmx request is answered with a redirect to sign in. htmx
    would follow it inside the XHR and swap the whole sign-in page into the step; tell it to
    load the sign-in page as a page instead (HX-Redirect)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response


class PhiSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """settings.DEFAULT_EXCEPTION_REPORTER_FILTER: outside DEBUG, every POST value and every
    frame's local variables are replaced by stars in error reports, not only the parameters a
    view remembered to mark with @sensitive_post_parameters."""

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        cleansed = request.POST.copy()
        for name in cleansed:
            cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
