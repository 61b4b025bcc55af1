"""What the home page shows besides the core's own list of cases, which apps register: the
core knows no domain app (the flow finder's "Start a case" panel is one, from finder/).

A provider takes the signed-in user and returns context for supportdesk/home.html; it runs only
for a user holding one of its roles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .roles import Role, user_has_role

Provider = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class HomePanel:
    provider: Provider
    roles: frozenset[Role]


_panels: list[HomePanel] = []


def register(panel: HomePanel) -> HomePanel:
    """Add a panel (once: ready() may run twice in tests)."""
    if panel not in _panels:
        _panels.append(panel)
    return panel


def context_for(user: Any) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for panel in _panels:
        if any(user_has_role(user, role) for role in panel.roles):
            context.update(panel.provider(user))
    return context
