"""The settings read from the environment, each variant in a fresh `manage.py` process."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SUPPORTDESK_SITE_URL",
    # The real Noyo's (production has no in-app sandbox unless NOYO_SANDBOX_ENABLED says so).
    "NOYO_CLIENT_ID",
    "NOYO_CLIENT_SECRET",
    "NOYO_CARRIER_ID",
    "NOYO_WEBHOOK_SECRET",
)
MARKER = "SETTINGS-JSON:"


def manage(*args: str, **environ: str | None) -> subprocess.CompletedProcess[str]:
    """Run manage.py with os.environ changed by ``environ`` (None unsets a variable)."""
    env = os.environ.copy()
    # The browser tests' harness switch; a real deployment never has it (check --deploy warns).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["DJANGO_SETTINGS_MODULE"] = "supportdesk.settings"
    # Not the address file of a `make run` someone may have started here (var/server.env).
    env["SUPPORTDESK_SERVER_ENV"] = os.devnull
    env.pop("SUPPORTDESK_SITE_URL", None)
    env.pop("NOYO_BASE_URL", None)
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
        "'site_url': s.SUPPORTDESK_SITE_URL, "
        "'noyo_base_url': s.NOYO_BASE_URL, "
        "'static_storage': s.STORAGES['staticfiles']['BACKEND'], "
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
        REDIS_URL="redis://127.0.0.1:1/1",
        EMAIL_URL="smtp+tls://u:p@mail.example.com:587",
        DEFAULT_FROM_EMAIL="supportdesk@example.com",
        SUPPORTDESK_SITE_URL="https://supportdesk.example.com",
        NOYO_CLIENT_ID="client-id", NOYO_CLIENT_SECRET="client-secret",
        NOYO_CARRIER_ID="2613a221-d3c8-4c8a-86d5-e7e885fd1da9", NOYO_WEBHOOK_SECRET="whsec",
        DJANGO_DEBUG=None,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


UNSET = dict.fromkeys(("DJANGO_ENV", "DJANGO_DEBUG", *REQUIRED_IN_PRODUCTION), None)
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(45),
    "ALLOWED_HOSTS": "supportdesk.example.com",
    "DATABASE_URL": "postgres://u:p@db.example.com:5432/supportdesk",
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    "REDIS_URL": "redis://127.0.0.1:1/1",
    "EMAIL_URL": "smtp+tls://u:p@mail.example.com:587",
    "DEFAULT_FROM_EMAIL": "supportdesk@example.com",
    "SUPPORTDESK_SITE_URL": "https://supportdesk.example.com",
    "NOYO_CLIENT_ID": "client-id", "NOYO_CLIENT_SECRET": "client-secret",
    "NOYO_CARRIER_ID": "2613a221-d3c8-4c8a-86d5-e7e885fd1da9", "NOYO_WEBHOOK_SECRET": "whsec",
}


def defaults_with(**environ: str | None) -> dict[str, object]:
    """The settings with nothing set but ``environ``."""
    return settings_seen(**{**UNSET, **environ})


def test_it_falls_back_to_sqlite_and_the_filesystem_broker_with_nothing_set():
    unset = UNSET

    seen = settings_seen(**unset)

    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["name"] == str(REPO_ROOT / "var" / "supportdesk.sqlite3")
    assert seen["broker"] == "filesystem://"
    assert seen["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert seen["noyo_base_url"] == "http://127.0.0.1:8000/noyo/sandbox"
    assert seen["static_storage"] == "supportdesk.compression.CompressedStaticFilesStorage"
    assert seen["debug"] is False  # make run included: a debug page shows the settings


def test_it_turns_debug_on_only_when_django_debug_says_so():
    assert defaults_with(DJANGO_DEBUG="true")["debug"] is True
    assert defaults_with(DJANGO_DEBUG="false")["debug"] is False
    assert defaults_with(DEBUG="true")["debug"] is False  # the old name is gone


def test_it_points_noyo_at_this_servers_own_sandbox():
    seen = defaults_with(SUPPORTDESK_SITE_URL="http://desk.example.com:8123")
    assert seen["noyo_base_url"] == "http://desk.example.com:8123/noyo/sandbox"

    seen = defaults_with(SUPPORTDESK_SITE_URL="http://desk.example.com:8123",
                         NOYO_BASE_URL="https://fulfillment.noyo.example/")
    assert seen["noyo_base_url"] == "https://fulfillment.noyo.example"  # without the trailing slash


def test_it_reads_the_address_make_run_recorded(tmp_path):
    server_env = tmp_path / "server.env"
    server_env.write_text("# Written by make run\nSUPPORTDESK_SITE_URL=http://127.0.0.1:8765\n")

    seen = defaults_with(SUPPORTDESK_SERVER_ENV=str(server_env))
    assert seen["site_url"] == "http://127.0.0.1:8765"
    assert seen["noyo_base_url"] == "http://127.0.0.1:8765/noyo/sandbox"

    # The environment wins over the file.
    seen = defaults_with(SUPPORTDESK_SERVER_ENV=str(server_env),
                         SUPPORTDESK_SITE_URL="http://127.0.0.1:9001")
    assert seen["noyo_base_url"] == "http://127.0.0.1:9001/noyo/sandbox"

    # Neither the test settings nor production read it.
    for environ in ({"DJANGO_ENV": "test"}, PRODUCTION_ENV):
        seen = defaults_with(**environ, SUPPORTDESK_SERVER_ENV=str(server_env))
        expected = environ.get("SUPPORTDESK_SITE_URL", "http://127.0.0.1:8000")
        assert seen["site_url"] == expected, environ["DJANGO_ENV"]


def test_it_never_reads_the_address_file_in_the_test_run():
    """Whatever `make run` last recorded, the suite sees the same settings: its runner points
    SUPPORTDESK_SERVER_ENV at /dev/null, and tests/conftest.py refuses a run that read a file."""
    assert os.environ["SUPPORTDESK_SERVER_ENV"] == os.devnull
    assert settings.SERVER_ENV_READ is None  # this very process


def test_it_refuses_to_run_the_suite_on_settings_that_read_the_address_file(tmp_path):
    server_env = tmp_path / "server.env"
    server_env.write_text("SUPPORTDESK_SITE_URL=http://127.0.0.1:8765\n")
    env = {**os.environ, "SUPPORTDESK_SERVER_ENV": str(server_env)}
    for name in ("DJANGO_ENV", "SUPPORTDESK_SITE_URL", "NOYO_BASE_URL"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                             "tests/supportdesk/test_clock.py"],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert f"These settings read {server_env}" in result.stdout + result.stderr


def test_it_switches_to_postgresql_when_database_url_says_so():
    unset = UNSET

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


def celery_seen(**environ: str | None) -> dict[str, object]:
    code = ("import json; from django.conf import settings as s; "
            f"print({MARKER!r} + json.dumps({{'options': s.CELERY_BROKER_TRANSPORT_OPTIONS, "
            "'pool': s.CELERY_WORKER_POOL}))")
    result = manage("shell", "-c", code, **{**UNSET, **environ})
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith(MARKER))
    return json.loads(line.removeprefix(MARKER))


def test_it_redelivers_a_dead_workers_task_within_five_minutes_on_redis():
    seen = celery_seen(**PRODUCTION_ENV)
    # kombu's defaults: an hour, then a sweep every 100 s.
    assert seen["options"] == {"visibility_timeout": 300, "unacked_restore_interval": 10,
                               "unacked_restore_throttle": 1}
    assert seen["pool"] == "prefork"
    seen = celery_seen(**PRODUCTION_ENV, CELERY_VISIBILITY_TIMEOUT="20")
    assert seen["options"]["visibility_timeout"] == 20


def test_it_runs_make_runs_worker_in_threads_on_the_filesystem_broker():
    seen = celery_seen()
    assert seen["pool"] == "threads"
    assert "visibility_timeout" not in seen["options"]


def test_production_reaches_the_real_noyo_and_the_sandbox_needs_no_noyo_keys():
    real = settings_seen(**{**UNSET, **PRODUCTION_ENV})
    assert real["noyo_base_url"] == "https://fulfillment.noyo.com"
    keyless = {**PRODUCTION_ENV, **dict.fromkeys(
        ("NOYO_CLIENT_ID", "NOYO_CLIENT_SECRET", "NOYO_CARRIER_ID", "NOYO_WEBHOOK_SECRET"), None)}
    refused = manage("check", **{**UNSET, **keyless})
    assert refused.returncode != 0 and "NOYO_WEBHOOK_SECRET" in error_line(refused.stderr)
    sandboxed = settings_seen(**{**UNSET, **keyless, "NOYO_SANDBOX_ENABLED": "true"})
    assert sandboxed["noyo_base_url"] == "https://supportdesk.example.com/noyo/sandbox"
