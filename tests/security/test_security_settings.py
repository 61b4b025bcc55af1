"""The security settings as a fresh process reads them from the environment."""

from __future__ import annotations

import json
import os

from tests.supportdesk.test_settings import MARKER, PRODUCTION_ENV, REQUIRED_IN_PRODUCTION, manage

CODE = (
    "import json; from django.conf import settings as s; "
    f"print({MARKER!r} + json.dumps({{"
    "'cache': s.CACHES['default']['BACKEND'], "
    "'cache_location': s.CACHES['default'].get('LOCATION', ''), "
    "'session_age': s.SESSION_COOKIE_AGE, "
    "'save_every_request': s.SESSION_SAVE_EVERY_REQUEST, "
    "'activity_refresh': s.SESSION_ACTIVITY_REFRESH, "
    "'session_secure': s.SESSION_COOKIE_SECURE, "
    "'csrf_secure': s.CSRF_COOKIE_SECURE, "
    "'hsts': s.SECURE_HSTS_SECONDS, "
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, "
    "'middleware': s.MIDDLEWARE, "
    "'reporter_filter': s.DEFAULT_EXCEPTION_REPORTER_FILTER, "
    "'debug': s.DEBUG}))"
)
PRODUCTION = {**PRODUCTION_ENV, "DJANGO_DEBUG": None}


def seen(**environ: str | None) -> dict[str, object]:
    result = manage("shell", "-c", CODE, **environ)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith(MARKER))
    return json.loads(line.removeprefix(MARKER))


def test_it_counts_login_failures_in_redis_when_redis_url_is_set():
    settings = seen(REDIS_URL="redis://127.0.0.1:6390/1")
    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["cache_location"] == "redis://127.0.0.1:6390/1"


def test_it_falls_back_to_process_memory_without_redis_url():
    unset = dict.fromkeys(("DJANGO_ENV", "DJANGO_DEBUG", "REDIS_URL", *REQUIRED_IN_PRODUCTION), None)
    assert seen(**unset)["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_it_signs_out_after_thirty_idle_minutes_unless_told_otherwise():
    assert seen(SESSION_COOKIE_AGE=None)["session_age"] == 30 * 60
    assert seen(SESSION_COOKIE_AGE="600")["session_age"] == 600


def test_it_switches_every_safety_setting_on_in_production():
    settings = seen(**{**PRODUCTION, "DATABASE_URL": os.environ["DATABASE_URL"]})
    assert settings["debug"] is False
    assert settings["session_secure"] is True and settings["csrf_secure"] is True
    assert settings["hsts"] >= 365 * 24 * 3600 and settings["ssl_redirect"] is True
    assert settings["session_age"] == 30 * 60 and settings["activity_refresh"] == 60
    assert settings["save_every_request"] is False  # SessionActivityMiddleware refreshes instead
    assert "supportdesk.middleware.SecurityHeadersMiddleware" in settings["middleware"]
    assert "supportdesk.middleware.SessionActivityMiddleware" in settings["middleware"]
    assert settings["reporter_filter"] == "supportdesk.middleware.PhiSafeExceptionReporterFilter"
