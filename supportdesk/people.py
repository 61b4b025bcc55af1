"""How SupportDesk names a person on a page, in an e-mail, a note or an export."""

from __future__ import annotations

from typing import Any


def display_name(user: Any, default: str = "") -> str:
    """The full name, else the username; ``default`` when there is nobody (background work)."""
    if user is None:
        return default
    return str(user.get_full_name() or user.username)
