"""What the home page shows besides the core's own list of cases, which apps register: the
core knows no domain app (the flow finder's "Start a case" panel is one, from finder/).

A provider takes the signed-in user and returns context for supportdesk/home.html; it runs only
for a user holding one of its roles. A panel with a ``template`` is included in its ``slot``:
"specialist" above the specialist's cases, "end" after the core's cards; ``head`` is included in
the page's <head> (its styles and scripts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import User

from .roles import Role, user_has_role

# The signed-in user → the panel's context for the template.
Provider = Callable[[User], dict[str, Any]]


@dataclass(frozen=True)
class HomePanel:
    provider: Provider
    roles: frozenset[Role]
    template: str = ""
    slot: Literal["specialist", "end"] = "end"
    head: str = ""


_panels: list[HomePanel] = []


def register(panel: HomePanel) -> HomePanel:
    """Add a panel (once: ready() may run twice in tests)."""
    if panel not in _panels:
        _panels.append(panel)
    return panel


def shown(user: User) -> list[HomePanel]:
    """The panels the user gets, in order (home.html includes their templates)."""
    return [panel for panel in _panels if any(user_has_role(user, role) for role in panel.roles)]


def context_for(user: User) -> dict[str, Any]:
    """What the user's panels' providers give the page."""
    context: dict[str, Any] = {}
    for panel in shown(user):
        context.update(panel.provider(user))
    return context


def no_context(user: User) -> dict[str, Any]:
    """For a panel that is only a template."""
    return {}
