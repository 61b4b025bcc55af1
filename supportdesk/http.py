"""Request types for views, as in healthchecks' `hc/accounts/http.py` and django-htmx's example app.

`login_required` (or the role decorators, which imply it) guarantees an authenticated user, and
`HtmxMiddleware` sets `request.htmx` on every request; these types say so to mypy.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request that `login_required` let through: its user is a real `User`."""

    user: User
