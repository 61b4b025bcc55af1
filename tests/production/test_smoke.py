"""The production stack as it runs: gunicorn, a Celery worker and beat, with the production
settings, on the PostgreSQL and Redis of the test run, from a virtualenv built the way
`make run` builds it (requirements/run.lock, no test dependencies: pytest brings
packages along that production would lack).

It signs in over HTTP, queues real tasks through the broker (the weekly batch for a week, a Noyo
poll that sends a request to the sandbox this gunicorn serves) and finds their results in the
database and the e-mail folder; then it stops everything.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
import redis
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
RUN_PYTHON = Path(os.environ.get("SUPPORTDESK_RUN_PYTHON", ROOT / ".venv-run" / "bin" / "python"))
PASSWORD = "smoke-test-password-1"
TIMEOUT_S = 60
BROKER_DB, CACHE_DB = 6, 7  # Redis databases of their own

SETUP = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from ec_access.models import EmployerGroup, Product, SLApplication
from ec_access.services.batch import previous_week
from noyo_sync.services import group_connection_request
from supportdesk import clock
from supportdesk.roles import Role

users = {{}}
for name, role in (("smoke-specialist", Role.SPECIALIST), ("smoke-supervisor", Role.SUPERVISOR)):
    user = get_user_model().objects.create_user(username=name, password={PASSWORD!r})
    user.groups.add(Group.objects.get(name=role.group_name))
    users[name] = user
wednesday = previous_week(clock.today()) + dt.timedelta(days=2)
for number in ("100001", "100002"):
    group = EmployerGroup.objects.create(group_number=number, name="SMOKE CO " + number, platform="MTV",
        ec_number="1177334", fin_bus_segment_cd="T", employees_enrolled=45, portal_registered_on=wednesday)
    Product.objects.create(group=group, product_type="medical", active_from=dt.date(2024, 1, 1))
    SLApplication.objects.create(sl_app_number="56" + number, kind="employer", group=group)
group_connection_request(group=EmployerGroup.objects.get(group_number="100001"), carrier_group_id="989101",
    people=40, census_file_sent=True, group_number_issued=True, user=users["smoke-specialist"], send=False)
print("SETUP-DONE")
"""

# What the production settings load at run time: the broker transport, the cache backend, the
# e-mail backend (the app keeps no result backend).
IMPORTS = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache, caches
from django.core.mail import get_connection
from kombu.transport import resolve_transport
from supportdesk.celery import app
import importlib
transport = resolve_transport(settings.CELERY_BROKER_URL.split("://")[0])
importlib.import_module(transport.__module__)
with app.connection_for_write() as connection:
    connection.ensure_connection(max_retries=1)
cache.set("smoke", 1)
assert cache.get("smoke") == 1
get_connection()
print("IMPORTS-OK", settings.CELERY_BROKER_URL.split("://")[0], type(caches["default"]).__name__)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=path))


@dataclass
class Stack:
    env: dict[str, str]
    url: str
    database_url: str
    broker_url: str
    mail_dir: Path
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)  # once started

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(RUN_PYTHON), "manage.py", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=300)

    def query(self, sql: str) -> list[tuple]:
        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql).fetchall()

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"


def wait_for(condition, what: str, stack: Stack, *logs: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        try:
            if condition():
                return
        except (httpx.HTTPError, psycopg.Error):
            pass
        if time.monotonic() > deadline:
            shown = "\n".join(f"--- {name}.log ---\n{stack.log(name)}" for name in logs)
            raise AssertionError(f"{what} within {TIMEOUT_S} s\n{shown}")
        time.sleep(0.25)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    assert RUN_PYTHON.exists(), (
        f"{RUN_PYTHON} is missing: `make test` builds it (from requirements/run.lock, as make run does)")
    tmp = tmp_path_factory.mktemp("production")
    server = os.environ["DATABASE_URL"]
    name = f"smoke_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    redis_base = os.environ["CELERY_BROKER_URL"].rsplit("/", 1)[0]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    stack = Stack(
        env={
            "PATH": os.environ["PATH"], "HOME": str(tmp), "LANG": "C.UTF-8",
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(45),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": with_path(server, f"/{name}"),
            "CELERY_BROKER_URL": f"{redis_base}/{BROKER_DB}",
            "REDIS_URL": f"{redis_base}/{CACHE_DB}",
            # django-environ drops the path's first slash: filemail://// is /tmp/….
            "EMAIL_URL": f"filemail:///{tmp / 'mail'}",
            "DEFAULT_FROM_EMAIL": "supportdesk@example.com",
            "SUPPORTDESK_SITE_URL": url,
            # Plain HTTP on loopback: the worker calls the sandbox this gunicorn serves (behind
            # a TLS proxy the redirect stays on; docker-compose explains the same choice).
            "SECURE_SSL_REDIRECT": "false",
            "NOYO_SANDBOX_ENABLED": "true",
            "NOYO_BASE_URL": f"{url}/noyo/sandbox",
            "CELERY_DIR": str(tmp / "celery"),
        },
        url=url, database_url=with_path(server, f"/{name}"),
        broker_url=f"{redis_base}/{BROKER_DB}", mail_dir=tmp / "mail", logs=tmp,
    )
    for db in (BROKER_DB, CACHE_DB):
        redis.Redis.from_url(f"{redis_base}/{db}").flushdb()
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for step in (("migrate", "--noinput"), ("collectstatic", "--noinput", "-v0")):
            result = stack.manage(*step)
            assert result.returncode == 0, result.stdout + result.stderr
        result = stack.manage("shell", "-c", SETUP)
        assert "SETUP-DONE" in result.stdout, result.stdout + result.stderr
        commands = {
            "gunicorn": ["-m", "gunicorn", "supportdesk.wsgi", "--bind", f"127.0.0.1:{port}",
                         "--workers", "2", "--access-logfile", "-"],
            "worker": ["-m", "celery", "-A", "supportdesk", "worker", "--loglevel=INFO",
                       "--concurrency=2", "--without-mingle", "--without-gossip"],
            "beat": ["-m", "celery", "-A", "supportdesk", "beat", "--loglevel=INFO",
                     "--schedule", str(tmp / "beat-schedule")],
        }
        for name_, args in commands.items():
            with (tmp / f"{name_}.log").open("wb") as out:
                processes[name_] = subprocess.Popen(
                    [str(RUN_PYTHON), *args], cwd=ROOT, env=stack.env, stdout=out,
                    stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: httpx.get(f"{url}/health/", timeout=2).status_code == 200,
                 "gunicorn did not answer /health/", stack, "gunicorn")
        wait_for(lambda: "ready." in stack.log("worker"), "the worker was not ready", stack, "worker")
        wait_for(lambda: "beat: Starting" in stack.log("beat"), "beat did not start", stack, "beat")
        stack.processes = processes
        yield stack
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        for db in (BROKER_DB, CACHE_DB):
            redis.Redis.from_url(f"{redis_base}/{db}").flushdb()
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_it_imports_everything_the_production_settings_load(stack):
    result = stack.manage("shell", "-c", IMPORTS)
    assert result.returncode == 0, result.stderr
    assert "IMPORTS-OK redis RedisCache" in result.stdout


class Browser:
    """Cookies by hand: the production cookies are Secure, which an HTTP client keeps off
    plain http; a TLS proxy would carry them. No Origin header: same-origin form posts."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=10, follow_redirects=False)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                **kwargs) -> httpx.Response:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.client.request(method, path, headers={**(headers or {}), "Cookie": cookie},
                                       **kwargs)
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response


def sign_in(stack: Stack, username: str) -> Browser:
    browser = Browser(stack.url)
    page = browser.request("GET", "/accounts/login/")
    assert page.status_code == 200
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = browser.request("POST", "/accounts/login/", data={
        "csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["location"] == "/", response.text[:500]
    return browser


def test_it_signs_in_over_http_and_serves_pages_and_static_files(stack):
    browser = sign_in(stack, "smoke-supervisor")
    dashboard = browser.request("GET", "/supervisor/", headers={"Accept-Encoding": "gzip"})
    assert dashboard.status_code == 200 and "Dashboard" in dashboard.text
    assert dashboard.headers["server"].startswith("gunicorn")
    # The production safety settings: behind the TLS proxy (X-Forwarded-Proto), HSTS.
    proxied = browser.request("GET", "/supervisor/", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200 and "strict-transport-security" in proxied.headers
    css = next(part.split('"', 1)[0] for part in dashboard.text.split('href="')[1:] if ".css" in part)
    static = httpx.get(stack.url + css, headers={"Accept-Encoding": "br"}, timeout=10)
    assert static.status_code == 200 and static.headers["content-encoding"] == "br"
    assert "immutable" in static.headers["cache-control"]  # the manifest's hashed names
    missing = browser.request("GET", "/no/such/page/")
    assert missing.status_code == 404 and "Traceback" not in missing.text


def send_task(stack: Stack, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Queue a task on the stack's broker, as the web process or beat would."""
    monkeypatch.setenv("CELERY_BROKER_URL", stack.broker_url)  # Celery reads it before its conf
    Celery(broker=stack.broker_url).send_task(name)


def test_it_runs_the_weekly_batch_queued_through_the_broker(stack, monkeypatch):
    send_task(stack, "ec_access.tasks.run_weekly_ec_batch", monkeypatch)

    wait_for(lambda: stack.query("SELECT queued_count FROM ec_access_ecbatchrun") == [(2,)],
             "the weekly batch did not run", stack, "worker")
    assert stack.query("SELECT count(*) FROM ec_access_ecrequest WHERE state = 'queued'") == [(2,)]
    wait_for(lambda: any(stack.mail_dir.glob("*.log")), "the batch e-mail was not written",
             stack, "worker", "beat")
    mail = "".join(path.read_text() for path in stack.mail_dir.glob("*.log"))
    assert "EmployerGroup@humana.com" in mail and stack.url in mail  # links to this site


def test_it_polls_noyo_through_the_broker_and_sends_the_waiting_request(stack, monkeypatch):
    send_task(stack, "noyo_sync.tasks.poll_group_connections", monkeypatch)

    wait_for(lambda: stack.query(
        "SELECT outcome, sent FROM noyo_sync_pollrun WHERE sent > 0") == [("ok", 1)],
        "the Noyo poll did not send the request", stack, "worker", "gunicorn")
    [(status, noyo_id)] = stack.query("SELECT status, noyo_id FROM noyo_sync_groupconnection")
    assert status != "not_sent" and noyo_id
    assert "/noyo/sandbox/" in stack.log("gunicorn")  # over HTTP, to this server's sandbox


def test_it_keeps_beat_and_the_worker_running(stack):
    for name, process in stack.processes.items():
        assert process.poll() is None, f"{name} exited:\n{stack.log(name)}"
    assert "Traceback" not in stack.log("beat") + stack.log("worker")
