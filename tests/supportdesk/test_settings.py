"""The settings read from the environment, each variant in a fresh `manage.py` process."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
)
MARKER = "SETTINGS-JSON:"


def manage(*args: str, **environ: str | None) -> subprocess.CompletedProcess[str]:
    """Run manage.py with os.environ changed by ``environ`` (None unsets a variable)."""
    env = os.environ.copy()
    # The browser tests' harness switch; a real deployment never has it (check --deploy warns).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["DJANGO_SETTINGS_MODULE"] = "supportdesk.settings"
    for name, value in environ.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def error_line(stderr: str) -> str:
    """The ImproperlyConfigured message, not the traceback's source lines."""
    lines = [line for line in stderr.splitlines() if "ImproperlyConfigured:" in line]
    assert lines, stderr
    return lines[-1]


def settings_seen(**environ: str | None) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings as s; "
        f"print({MARKER!r} + json.dumps({{"
        "'engine': s.DATABASES['default']['ENGINE'], "
        "'name': str(s.DATABASES['default']['NAME']), "
        "'host': s.DATABASES['default'].get('HOST', ''), "
        "'broker': s.CELERY_BROKER_URL, "
        "'email_backend': s.EMAIL_BACKEND, "
        "'debug': s.DEBUG}))"
    )
    result = manage("shell", "-c", code, **environ)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(MARKER)]
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0].removeprefix(MARKER))


def test_it_refuses_production_without_its_settings_and_names_them_all():
    result = manage(
        "check", DJANGO_ENV="production", **dict.fromkeys(REQUIRED_IN_PRODUCTION, None)
    )

    assert result.returncode != 0
    message = error_line(result.stderr)
    for name in REQUIRED_IN_PRODUCTION:
        assert name in message, f"{name} missing from: {message}"


def test_it_passes_the_deploy_check_in_production_without_warnings():
    database_url = os.environ["DATABASE_URL"]  # the test run's PostgreSQL
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 random characters
        ALLOWED_HOSTS="supportdesk.example.com",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        EMAIL_URL="smtp+tls://u:p@mail.example.com:587",
        DEFAULT_FROM_EMAIL="supportdesk@example.com",
        DEBUG=None,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_it_falls_back_to_sqlite_and_the_filesystem_broker_with_nothing_set():
    unset = dict.fromkeys(("DJANGO_ENV", "DEBUG", *REQUIRED_IN_PRODUCTION), None)

    seen = settings_seen(**unset)

    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["name"] == str(REPO_ROOT / "var" / "supportdesk.sqlite3")
    assert seen["broker"] == "filesystem://"
    assert seen["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert seen["debug"] is True


def test_it_switches_to_postgresql_when_database_url_says_so():
    unset = dict.fromkeys(("DJANGO_ENV", "DEBUG", *REQUIRED_IN_PRODUCTION), None)

    seen = settings_seen(
        **{**unset, "DATABASE_URL": "postgres://u:p@db.example.com:5432/supportdesk"}
    )

    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["host"] == "db.example.com"
    assert seen["name"] == "supportdesk"


def test_it_rejects_an_unknown_django_env():
    result = manage("check", DJANGO_ENV="nonsense")

    assert result.returncode != 0
    message = error_line(result.stderr)
    assert "DJANGO_ENV" in message
    assert "nonsense" in message
