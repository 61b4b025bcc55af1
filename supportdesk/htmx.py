"""What an htmx request wants back (django-htmx's example app: the partial for htmx, the page
otherwise)."""

from __future__ import annotations

from django.http import HttpRequest


def partial_wanted(request: HttpRequest) -> bool:
    """An htmx swap gets only the template's partial; a full load, or htmx restoring a page from
    its history after the cache missed, gets the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request
