"""Dashboard and case-list response times and query counts on a large case history.

    python scripts/testenv.py -- .venv/bin/python bench/dashboard.py [--cases 100000] [--events 20]

Builds N cases with E events each in the PostgreSQL of DATABASE_URL (COPY, so building is quick),
then requests the supervisor dashboard and the case list through Django's test client and
prints each page's time (best of 3) and query count. Nothing is asserted: read the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from supportdesk import clock  # noqa: E402
from supportdesk.roles import Role, ensure_role_groups  # noqa: E402

STEPS = ("sale_stage", "topic", "route", "si_member", "si_my_humana_business", "si_result")
DISPOSITIONS = ("answered", "referred", "escalated", "self_service")


def build(cases: int, events: int) -> None:
    User = get_user_model()
    specialist, _ = User.objects.get_or_create(username="bench-specialist")
    now = clock.now()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE supportdesk_caseevent, supportdesk_casereview, supportdesk_case CASCADE")
        with cursor.connection.cursor().copy(
            "COPY supportdesk_case (id, flow_key, flow_version, flow_title, opened_by_id, opened_at, "
            "updated_at, closed_at, status, disposition, outcome_key, outcome_title, current_step, "
            "path, answers, artifacts, caller_type, subject, waiting_reason, "
            "waiting_on, news, reopen_count) FROM STDIN"
        ) as copy:
            for n in range(1, cases + 1):
                opened = now - timezone.timedelta(minutes=n % (60 * 24 * 30))
                closed = n % 5 != 0
                copy.write_row((
                    n, "arsos-routing", 1, "Agent RSOS", specialist.pk, opened, opened,
                    opened + timezone.timedelta(minutes=3 + n % 17) if closed else None,
                    "closed" if closed else "open", DISPOSITIONS[n % 4] if closed else "",
                    "out_service_inquiry" if closed else "", "Done" if closed else "",
                    STEPS[n % len(STEPS)], "[]", "{}", "{}", "agent",
                    f'{{"group_number": "{100000 + n % 900000}"}}',
                    "", "", "", 0,
                ))
        with cursor.connection.cursor().copy(
            "COPY supportdesk_caseevent (case_id, seq, kind, step_key, step_title, shown, answer, "
            "value, artifact, user_id, created_at) FROM STDIN"
        ) as copy:
            for n in range(1, cases + 1):
                for seq in range(1, events + 1):
                    step = STEPS[seq % len(STEPS)]
                    copy.write_row((n, seq, "answer", step, step, "shown text", f"answer {seq % 4}",
                                    f'"{seq % 4}"', None, specialist.pk, now))
        cursor.execute(f"SELECT setval('supportdesk_case_id_seq', {cases})")
        cursor.execute("ANALYZE supportdesk_case; ANALYZE supportdesk_caseevent")


def measure(client: Client, url: str) -> tuple[float, int]:
    best, queries = float("inf"), 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            best = min(best, time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return best, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    ensure_role_groups()
    started = time.perf_counter()
    build(args.cases, args.events)
    print(f"built {args.cases:,} cases x {args.events} events in {time.perf_counter() - started:.1f} s")

    from django.contrib.auth.models import Group

    supervisor, _ = get_user_model().objects.get_or_create(username="bench-supervisor")
    supervisor.groups.add(Group.objects.get(name=Role.SUPERVISOR.group_name))
    client = Client()
    client.force_login(supervisor)
    print(f"{'page':<44} {'best of 3':>10} {'queries':>8}")
    figures = {"bench": "dashboard", "cases": args.cases, "events": args.events}
    for key, label, url in (
        ("dashboard", "dashboard (all flows, 30 days)", "/supervisor/"),
        ("dashboard_map", "dashboard (ARSOS, traffic map)", "/supervisor/?flow=arsos-routing"),
        ("case_list", "case list (first page)", "/supervisor/cases/"),
        ("case_search", "case list (closed, group search)", "/supervisor/cases/?status=closed&q=100042"),
        ("case_page_500", "case list (page 500)", "/supervisor/cases/?page=500"),
    ):
        seconds, queries = measure(client, url)
        print(f"{label:<44} {seconds * 1000:>8.0f} ms {queries:>8}")
        figures[f"{key}_ms"] = f"{seconds * 1000:.0f}"
    print("BENCH " + " ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
