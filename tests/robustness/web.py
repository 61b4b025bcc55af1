"""A signed-in test client that behaves like production on errors, and what a page must show when
it refuses input."""

from __future__ import annotations

from typing import Any

from django.test import Client

# 400 is Django refusing a request body over DATA_UPLOAD_MAX_MEMORY_SIZE, whole, before any view.
ANSWERED = (200, 303, 400)


def web(user: Any) -> Client:
    # Exceptions become responses, as in production (Django answers an oversized body with 400,
    # which the default test client would re-raise); a 500 fails the callers' status assertions
    # and its traceback is in the captured log.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def shows_what_is_wrong(response: Any) -> bool:
    """A field or form error (role="alert"), or the refusal as a message at the top."""
    return b'role="alert"' in response.content or b'class="messages"' in response.content
