"""What HUSKY reports adds to the core's pages, registered from apps.py ``ready()``: its two
links in the "Look up" menu (the core knows no domain app)."""

from __future__ import annotations

from supportdesk import navigation
from supportdesk.navigation import NavEntry
from supportdesk.roles import Role


def register() -> None:
    specialist = frozenset({Role.SPECIALIST})
    navigation.register(
        NavEntry("HUSKY report catalog", "husky_catalog", specialist | {Role.SUPERVISOR},
                 "look_up", order=30),
        NavEntry("HUSKY member checker", "husky_member_check", specialist, "look_up", order=40),
    )
