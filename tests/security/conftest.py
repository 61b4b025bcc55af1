from __future__ import annotations

import pytest
from django.core.cache import cache

# The browser tests here (test_csp_in_browser.py) drive the same Chromium as tests/browser/.
from tests.browser.conftest import (  # noqa: F401
    _allow_orm_beside_playwright,
    browser_type_launch_args,
    sign_in,
)


@pytest.fixture
def clean_cache():
    """The login-throttle counters live in the cache (Redis in the test run): start and end empty."""
    cache.clear()
    yield cache
    cache.clear()
