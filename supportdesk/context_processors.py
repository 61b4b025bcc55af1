from __future__ import annotations

from django.http import HttpRequest

from .roles import Role, user_has_role


def roles(request: HttpRequest) -> dict[str, bool]:
    """Which navigation the signed-in user gets."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "is_specialist": user_has_role(user, Role.SPECIALIST),
        "is_access_management": user_has_role(user, Role.ACCESS_MANAGEMENT),
        "is_supervisor": user_has_role(user, Role.SUPERVISOR),
    }
