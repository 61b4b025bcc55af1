from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import navigation
from .roles import Role, user_has_role


def roles(request: HttpRequest) -> dict[str, object]:
    """Which navigation the signed-in user gets: the role flags, and the registered links of
    each section (worked out only when a page shows them; a partial does not)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    held = {role: user_has_role(user, role) for role in Role}

    def section(name: navigation.Section) -> SimpleLazyObject:
        return SimpleLazyObject(
            lambda: navigation.links(name, (role for role, has in held.items() if has))
        )

    return {
        "is_specialist": held[Role.SPECIALIST],
        "is_access_management": held[Role.ACCESS_MANAGEMENT],
        "is_supervisor": held[Role.SUPERVISOR],
        "is_flow_author": held[Role.FLOW_AUTHOR],
        "nav_main": section("main"),
        "nav_look_up": section("look_up"),
        "nav_supervision": section("supervision"),
    }
