"""The top bar's links, which the apps register: the core knows no domain app.

Each app adds its entries in ``AppConfig.ready()`` (as apps register their flows); base.html
renders them through the ``roles`` context processor. An entry shows to a user holding any of
its roles, in ``order`` within its section: the main bar, the "Look up" menu, or the buttons of
the home page's "Supervision" card.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.urls import reverse

from .roles import Role

Section = Literal["main", "look_up", "supervision"]


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[Role]
    section: Section = "main"
    order: int = 100


@dataclass(frozen=True)
class NavLink:
    """An entry as one user's page shows it."""

    label: str
    url: str


_entries: dict[tuple[Section, str], NavEntry] = {}


def register(*entries: NavEntry) -> None:
    """Add entries, keyed by section and URL name (ready() may run twice in tests); a second,
    different entry for the same URL in a section is a mistake, refused."""
    for entry in entries:
        key = (entry.section, entry.url_name)
        known = _entries.get(key)
        if known is not None and known != entry:
            raise ValueError(f"Navigation already has {entry.url_name!r} in {entry.section}: {known}.")
        _entries[key] = entry


def entries(section: Section) -> list[NavEntry]:
    return sorted((e for e in _entries.values() if e.section == section), key=lambda e: e.order)


def links(section: Section, held: Iterable[Role]) -> list[NavLink]:
    """The section's links a user holding ``held`` gets, in order."""
    roles = frozenset(held)
    return [NavLink(e.label, reverse(e.url_name)) for e in entries(section) if e.roles & roles]
