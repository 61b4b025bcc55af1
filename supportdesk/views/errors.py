"""The 403 page names the role a page needs. (400, 404 and 500 are Django's own handlers with
the templates/400.html, 404.html and 500.html of the layout; 400 and 500 render with no request
and no context, so those two templates use nothing but static files and URLs.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..roles import Role, user_has_role


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: which role the page is for (raised by @role_required), and whether the user
    holds any role at all. Never the exception's own text: it is written for developers."""
    roles = getattr(exception, "roles", ())
    user = getattr(request, "user", None)  # none if refused before AuthenticationMiddleware
    context = {
        "required_roles": [role.group_name for role in roles],
        "has_a_role": user is not None and any(user_has_role(user, role) for role in Role),
    }
    return render(request, "403.html", context, status=403)
