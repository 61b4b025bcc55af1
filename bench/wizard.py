#!/usr/bin/env python3
"""Wizard steps under load: gunicorn on PostgreSQL, N cases driven by concurrent specialists.

    python scripts/testenv.py -- .venv/bin/python bench/wizard.py [--cases 200] [--clients N]
        [--workers 3] [--bare-requests 2000] [--rounds 3] [--max-seconds 180] [--conn-max-age 60]

It migrates the PostgreSQL of DATABASE_URL (a throwaway one from scripts/testenv.py), creates a
pool of specialists, starts gunicorn on a free 127.0.0.1 port and signs every client in over
HTTP (cookies, CSRF token). Then, in the same run and against the same server:

1. the bare view: GETs of a view that reads one Case by primary key and returns its number,
   by the same signed-in specialists. It sits under the app's own rules (the login every view
   needs, the same middleware, the session refreshed on every request) but has no role check,
   no form, no template: the cheapest page this app can serve that reads the database. The
   same view is also requested anonymously (no session, no user: one query in all) and shown
   beside it, for the strict reading of "bare";
2. the wizard: N cases of the ARSOS routing flow, each opened through the form, its first step
   loaded as a page, then every step answered the way the browser does with htmx
   (HX-Request: true, X-CSRFToken), over three paths that cover every step kind (questions,
   checks, an instruction, form steps, the action that drafts an escalation, outcomes).

Each phase prints requests, requests per second, p50/p95/p99 latency and errors (a status
other than the expected one, or a response without the step it should land on). Targets: the
wizard at least 75 % of the (signed-in) bare view's throughput, wizard p95 under 40 ms, no
error; the script exits 1 when one is missed. It ends with one machine-readable line,
``BENCH bench=wizard ...``, which ``scripts/bench_table.py`` (``make bench``) gathers.

Why the bare view is not a URL of the app: production must not carry a benchmark endpoint, and
/health/ runs ``SELECT 1``, no indexed read. So gunicorn loads this file as its WSGI entry point
(``wizard:make_app()``): the app's own URLconf plus ``/__bench__/read/`` (login needed, like
every page) and ``/__bench__/read-anonymous/``, in this process only.

How many cases at once (--clients, by default as many as gunicorn has workers): the clients are
closed-loop (each sends its next request when the last one is answered), so with one case in
flight per worker every worker is always busy (the throughput is the server's whole capacity,
no higher with more clients) while no request waits in gunicorn's backlog: the latencies are
the steps' own. With more clients than workers the throughput stays the same and every extra
client adds a request's time to each latency (p95 ≈ clients ÷ throughput: 20 clients at
125 req/s is about 160 ms whatever the step costs), which measures the backlog, not the app.

The phases alternate in --rounds rounds, so that the machine's load changing during the run
weighs on them alike. Bounded: at most --cases cases and 2 x --bare-requests requests, the
measured run stopped after --max-seconds; loopback only; gunicorn is stopped at the end
whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
PASSWORD = "bench-wizard-password-1"
TARGET_RATIO = 0.75  # issue 20: at least 75 % of the bare page
TARGET_P95_MS = 40.0  # issue 20: p95 under 40 ms, one client per worker
FLOW_KEY = "arsos-routing"
BARE_PATH = "/__bench__/read/"
BARE_ANONYMOUS_PATH = "/__bench__/read-anonymous/"

# --- the server side: gunicorn imports this module as "wizard" and calls make_app() ----------

urlpatterns: list[Any] = []


def make_app() -> Any:
    """The app's WSGI handler with the bench URLconf: the app's URLs plus the bare view."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_not_required
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path
    from django.views.decorators.http import require_GET

    application = get_wsgi_application()
    from supportdesk.models import Case

    @require_GET
    def bare_read(request: HttpRequest) -> HttpResponse:
        """One indexed read (Case by primary key), a plain-text answer."""
        found = Case.objects.filter(pk=int(request.GET.get("pk", "1"))).values_list("pk", flat=True).first()
        return HttpResponse(f"{found}\n", content_type="text/plain")

    urlpatterns[:] = [
        path(BARE_PATH.lstrip("/"), bare_read),
        path(BARE_ANONYMOUS_PATH.lstrip("/"), login_not_required(bare_read)),
        path("", include("supportdesk.urls")),
    ]
    settings.ROOT_URLCONF = __name__
    return application


# --- the paths the cases take ----------------------------------------------------------------

@dataclass(frozen=True)
class Move:
    """One htmx POST: the step answered, its data, and a piece of the title it lands on."""

    step: str
    data: dict[str, str]
    lands_on: str


SOS_CALL = (
    Move("sale_stage", {"choice": "post_sale"}, "What does the agent need?"),
    Move("topic", {"choice": "access_to_care"}, "Does the Customer Service SOS line apply?"),
    Move("sos_criteria", {
        "sos_criteria-agent_makes_call": "on", "sos_criteria-member_on_line": "on",
        "sos_criteria-current_clinical_need": "on", "sos_criteria-active_medical_plan": "on",
    }, "Call the Customer Service SOS line"),
)
SELF_SERVICE = (
    Move("sale_stage", {"choice": "post_sale"}, "What does the agent need?"),
    Move("topic", {"choice": "id_cards"}, "Point the member to MyHumana self-service"),
    Move("self_service", {}, "Can the member resolve it in MyHumana?"),
    Move("self_service_result", {"choice": "resolved"}, "Resolved with member self-service"),
)
MAILBOX = (
    Move("sale_stage", {"choice": "post_sale"}, "What does the agent need?"),
    Move("topic", {"choice": "billing"}, "which card fits?"),
    Move("si_member", {"choice": "existing"}, "Service Inquiry through the My Humana Business card"),
    Move("si_my_humana_business", {}, "Did the Service Inquiry go through?"),
    Move("si_result", {"choice": "unresolved"}, "The issue is still not resolved"),
    Move("escalation", {"choice": "mailbox"}, "Which line of business is the member"),
    Move("mailbox_line", {"mailbox_line-medicare": "on"}, "E-mail to the ARSOS mailbox"),
    Move("mailbox_email", {}, "Waiting on the ARSOS mailbox"),
)
PATHS = (SOS_CALL, SELF_SERVICE, MAILBOX)
CASE_URL = re.compile(r"/cases/(SD-\d+)/step/sale_stage/$")


# --- measuring -------------------------------------------------------------------------------

@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0  # summed over the rounds
    timed_out: bool = False

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    def error(self, message: str) -> None:
        if len(self.errors) < 1000:
            self.errors.append(message)


@dataclass
class Results:
    bare: Phase
    bare_anonymous: Phase
    wizard: Phase
    closed: int = 0

    @property
    def phases(self) -> tuple[Phase, Phase, Phase]:
        return (self.bare, self.bare_anonymous, self.wizard)


async def timed(phase: Phase, call: Awaitable[Any], check: Callable[[Any], str | None]) -> Any:
    """Await one request, record its latency, or an error when ``check`` finds one."""
    started = time.perf_counter()
    try:
        response = await call
    except Exception as exc:  # every failure counts as an error
        phase.error(f"{type(exc).__name__}: {exc}")
        return None
    elapsed = time.perf_counter() - started
    problem = check(response)
    if problem:
        phase.error(problem)
        return None
    phase.latencies.append(elapsed)
    return response


def expect(status: int, text: str = "") -> Callable[[Any], str | None]:
    def check(response: Any) -> str | None:
        if response.status_code != status:
            return f"{response.request.method} {response.request.url.path}: {response.status_code}"
        if text and text not in response.text.replace("&#x27;", "'"):
            return f"{response.request.method} {response.request.url.path}: no “{text}”"
        return None

    return check


async def run_phase(phase: Phase, clients: list[Any], items: range, deadline: float,
                    work: Callable[[Any, int], Awaitable[Any]]) -> int:
    """Each client works through the shared ``items``, one at a time, until they are done or
    the deadline (perf_counter) passes. Returns how many items' work returned a true value."""
    counter = iter(items)
    started = time.perf_counter()
    done = 0

    async def loop(client: Any) -> None:
        nonlocal done
        for item in counter:
            if time.perf_counter() > deadline:
                phase.timed_out = True
                return
            result = await work(client, item)  # not `done += await ...`: that reads done first
            done += bool(result)

    await asyncio.gather(*(loop(client) for client in clients))
    phase.elapsed += time.perf_counter() - started
    return done


def rounds(total: int, count: int) -> list[range]:
    """``range(total)`` cut into ``count`` consecutive slices."""
    cuts = [total * n // count for n in range(count + 1)]
    return [range(cuts[n], cuts[n + 1]) for n in range(count)]


# --- the clients -----------------------------------------------------------------------------

def csrf(client: Any) -> str:
    return client.cookies.get("csrftoken", "")


async def sign_in(client: Any, username: str) -> None:
    page = await client.get("/accounts/login/")
    page.raise_for_status()
    response = await client.post("/accounts/login/", data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(client),
    })
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not sign in: {response.status_code}")


async def walk_case(client: Any, phase: Phase, path: tuple[Move, ...]) -> bool:
    """Open a case, load its first step, answer every step with htmx. True when it closed."""
    opened = await timed(phase, client.post(
        f"/cases/new/{FLOW_KEY}/", data={"caller_type": "agent"},
        headers={"X-CSRFToken": csrf(client)},
    ), expect(303))
    if opened is None:
        return False
    location = opened.headers.get("location", "")
    match = CASE_URL.search(location)
    if not match:
        phase.error(f"case opened, unexpected redirect to {location!r}")
        return False
    reference = match.group(1)
    first = await timed(phase, client.get(location), expect(200, "pre-sale or a post-sale"))
    if first is None:
        return False
    htmx = {"HX-Request": "true", "HX-Current-URL": str(first.url), "X-CSRFToken": csrf(client)}
    for move in path:
        answered = await timed(phase, client.post(
            f"/cases/{reference}/step/{move.step}/", data=move.data, headers=htmx,
        ), expect(200, move.lands_on))
        if answered is None:
            return False
    return True


async def drive(base_url: str, args: argparse.Namespace, usernames: list[str], case_pk: int) -> Results:
    import httpx

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    specialists = [httpx.AsyncClient(base_url=base_url, timeout=10, limits=limits) for _ in usernames]
    anonymous = [httpx.AsyncClient(base_url=base_url, timeout=10, limits=limits)
                 for _ in range(args.clients)]
    try:
        await asyncio.gather(*(sign_in(c, name) for c, name in zip(specialists, usernames, strict=True)))

        # Warm-up, not measured: every worker process loads its templates and connections.
        warm = Phase("warm-up")
        await asyncio.gather(*(walk_case(c, warm, MAILBOX) for c in specialists))
        await asyncio.gather(*(timed(warm, c.get(path, params={"pk": case_pk}), expect(200))
                               for c in specialists for path in (BARE_PATH, BARE_ANONYMOUS_PATH)))
        if warm.errors:
            raise RuntimeError(f"the warm-up failed: {warm.errors[:3]}")

        results = Results(Phase("bare view, signed in"), Phase("bare view, anonymous"),
                          Phase("wizard steps (htmx)"))

        def bare(phase: Phase, path: str) -> Callable[[Any, int], Awaitable[Any]]:
            return lambda client, item: timed(
                phase, client.get(path, params={"pk": case_pk}), expect(200, str(case_pk)))

        def wizard(client: Any, item: int) -> Awaitable[bool]:
            return walk_case(client, results.wizard, PATHS[item % len(PATHS)])

        deadline = time.perf_counter() + args.max_seconds
        for bare_items, case_items in zip(rounds(args.bare_requests, args.rounds),
                                          rounds(args.cases, args.rounds), strict=True):
            await run_phase(results.bare, specialists, bare_items, deadline,
                            bare(results.bare, BARE_PATH))
            await run_phase(results.bare_anonymous, anonymous, bare_items, deadline,
                            bare(results.bare_anonymous, BARE_ANONYMOUS_PATH))
            results.closed += await run_phase(results.wizard, specialists, case_items, deadline, wizard)
        return results
    finally:
        await asyncio.gather(*(c.aclose() for c in specialists + anonymous))


# --- the server ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "sync", "--pythonpath", f"{BENCH_DIR},{ROOT}", "--log-level", "warning",
         "--timeout", "30", "--graceful-timeout", "5", "wizard:make_app()"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, start_new_session=True,
    )


def wait_until_up(process: subprocess.Popen[bytes], base_url: str, timeout_s: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/health/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /health/ within {timeout_s:.0f} s")


def stop_gunicorn(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to gunicorn's own process group (its session), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- set-up and report -----------------------------------------------------------------------

def server_env(args: argparse.Namespace) -> dict[str, str]:
    url = os.environ["DATABASE_URL"]
    if args.conn_max_age and "conn_max_age" not in url:
        url += ("&" if "?" in url else "?") + f"conn_max_age={args.conn_max_age}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "supportdesk.settings",
        "DJANGO_DEBUG": "False",  # DEBUG keeps every query in memory and renders templates uncached
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(ROOT)]),
    }


def set_up(specialists: int) -> tuple[list[str], int]:
    """Migrate, make the specialists, and one case for the bare view to read."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from supportdesk import services
    from supportdesk.engine import registry
    from supportdesk.models import Case
    from supportdesk.roles import Role

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        raise SystemExit("The database already holds cases: run me on an empty one (scripts/testenv.py).")
    group = Group.objects.get(name=Role.SPECIALIST.group_name)
    usernames = []
    for number in range(1, specialists + 1):
        user = get_user_model().objects.create_user(f"bench-specialist-{number}", password=PASSWORD)
        user.groups.add(group)
        usernames.append(user.username)
    seed = services.case_open(flow=registry.get(FLOW_KEY), user=user)
    return usernames, seed.pk


def queries_per_request(case_pk: int, username: str) -> dict[str, int]:
    """The SQL each kind of request costs, counted once through Django's test client."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    make_app()  # this process serves the bench URLconf too
    anonymous, client = Client(), Client()
    client.force_login(get_user_model().objects.get(username=username))

    def count(request: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert request().status_code == 200
        return len(captured)

    opened = client.post(f"/cases/new/{FLOW_KEY}/", {"caller_type": "agent"})
    step = f"/cases/{CASE_URL.search(opened['Location']).group(1)}/step/sale_stage/"
    # BEGIN and COMMIT are counted: they are round trips too.
    return {
        "bare": count(lambda: client.get(BARE_PATH, {"pk": case_pk})),
        "bare_anonymous": count(lambda: anonymous.get(BARE_ANONYMOUS_PATH, {"pk": case_pk})),
        "step": count(lambda: client.post(step, {"choice": "post_sale"}, HTTP_HX_REQUEST="true")),
    }


def report(results: Results, args: argparse.Namespace, queries: dict[str, int]) -> bool:
    bare, anonymous, wizard = results.phases
    ratio = wizard.rps / bare.rps if bare.rps else 0.0
    ratio_anonymous = wizard.rps / anonymous.rps if anonymous.rps else 0.0
    p95 = wizard.percentile_ms(95)
    errors = sum(len(phase.errors) for phase in results.phases)
    timed_out = any(phase.timed_out for phase in results.phases)
    passed = ratio >= TARGET_RATIO and p95 < TARGET_P95_MS and errors == 0 and not timed_out

    print(f"\nwizard bench: gunicorn, {args.workers} sync workers, on 127.0.0.1; PostgreSQL, "
          f"CONN_MAX_AGE={args.conn_max_age}; {args.clients} concurrent cases (clients); "
          f"{args.cases} cases ({results.closed} closed), {args.rounds} rounds; {os.cpu_count()} CPUs")
    print(f"SQL per request (BEGIN/COMMIT included): bare view signed in {queries['bare']}, "
          f"anonymous {queries['bare_anonymous']}; wizard step (htmx POST) {queries['step']}")
    head = f"{'':<26} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(head)
    print("-" * len(head))
    for phase in results.phases:
        print(f"{phase.name:<26} {phase.requests:>9} {phase.rps:>8.1f} {phase.percentile_ms(50):>8.1f} "
              f"{phase.percentile_ms(95):>8.1f} {phase.percentile_ms(99):>8.1f} {len(phase.errors):>7}"
              + ("  (stopped at --max-seconds)" if phase.timed_out else ""))
    print(f"wizard / bare view signed in: {ratio:.0%} of the throughput (target ≥ {TARGET_RATIO:.0%}); "
          f"wizard / bare view anonymous: {ratio_anonymous:.0%}")
    print(f"wizard p95 {p95:.1f} ms (target < {TARGET_P95_MS:.0f} ms); errors {errors} (target 0): "
          + ("PASS" if passed else "FAIL"))
    for message in [m for phase in results.phases for m in phase.errors][:10]:
        print(f"  error: {message}")

    figures: dict[str, object] = {"bench": "wizard"}
    for key, phase in (("wizard", wizard), ("bare", bare), ("bare_anon", anonymous)):
        figures.update({
            f"{key}_rps": f"{phase.rps:.1f}", f"{key}_p50_ms": f"{phase.percentile_ms(50):.1f}",
            f"{key}_p95_ms": f"{phase.percentile_ms(95):.1f}",
            f"{key}_p99_ms": f"{phase.percentile_ms(99):.1f}", f"{key}_errors": len(phase.errors),
        })
    figures.update({
        # Each target beside its figure (scripts/bench_table.py shows and checks them).
        "target_ratio": f">={TARGET_RATIO:.2f}", "target_wizard_p95_ms": f"<{TARGET_P95_MS:.0f}",
        **{f"target_{key}_errors": "=0" for key in ("wizard", "bare", "bare_anon")},
        "ratio": f"{ratio:.2f}", "ratio_anon": f"{ratio_anonymous:.2f}",
        "step_queries": queries["step"], "cases_closed": results.closed,
        "result": "pass" if passed else "FAIL",
    })
    print("BENCH " + " ".join(f"{key}={value}" for key, value in figures.items()))
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200, help="cases to drive (default 200)")
    parser.add_argument("--clients", type=int, default=None,
                        help="concurrent clients, each with its case (default: --workers)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument("--bare-requests", type=int, default=2000,
                        help="requests to the bare view, signed in and again anonymous (default 2000)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate the bare and wizard phases this many times (default 3)")
    parser.add_argument("--max-seconds", type=float, default=180,
                        help="stop the measured run after this long (default 180)")
    parser.add_argument("--conn-max-age", type=int, default=60,
                        help="the server's CONN_MAX_AGE, as production should set it (default 60)")
    args = parser.parse_args()
    if args.clients is None:
        args.clients = args.workers
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("Run me under scripts/testenv.py: it provides a throwaway PostgreSQL.", file=sys.stderr)
        return 2
    if not (1 <= args.clients <= 200 and 1 <= args.workers <= 32 and 1 <= args.cases <= 100_000
            and 1 <= args.rounds <= args.cases and 1 <= args.bare_requests <= 1_000_000
            and 0 < args.max_seconds <= 3600):
        parser.error("keep it bounded: 1-200 clients, 1-32 workers, 1-100000 cases, "
                     "1-1000000 bare requests, at most an hour, no more rounds than cases")

    os.environ.update({k: v for k, v in server_env(args).items() if k != "DATABASE_URL"})
    sys.path[:0] = [str(BENCH_DIR), str(ROOT)]
    usernames, case_pk = set_up(args.clients)
    queries = queries_per_request(case_pk, usernames[0])

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, args.workers, server_env(args))
    try:
        wait_until_up(server, base_url)
        results = asyncio.run(drive(base_url, args, usernames, case_pk))
    finally:
        stop_gunicorn(server)
    return 0 if report(results, args, queries) else 1


if __name__ == "__main__":
    sys.exit(main())
