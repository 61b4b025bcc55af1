#!/usr/bin/env python3
"""How long the Noyo poll takes for N open connections against the local sandbox.

Usage (``make bench`` runs it on throwaway PostgreSQL through scripts/testenv.py):

    python scripts/testenv.py -- .venv/bin/python bench/noyo_poll.py [--connections 10000] [--page-size 100]

Without DATABASE_URL it uses a temporary SQLite file. It migrates the database it is given, serves
the app (and so the sandbox) over real HTTP on a free port, creates N sandbox connections that have
already reached their resulting status and N matching connections of ours still at "created", then
times two polls: the first records N changes, the second (nothing changed) records none. The target
is under 60 seconds for the first; the script exits 1 when it is slower. The rows are bench fixtures
written in bulk, not through the services: the poll is what is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 60.0
SPECIAL_PREFIXES = ("989", "767", "545", "323", "212")


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def carrier_group_ids(count: int) -> list[str]:
    """A mix: a tenth each on the seed's five sandbox prefixes, the rest completing."""
    per_prefix = min(count // 10, 1000)
    ids = [f"{prefix}{n:03d}" for prefix in SPECIAL_PREFIXES for n in range(per_prefix)]
    ids += [f"{100000 + n:06d}" for n in range(count - len(ids))]
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=None)
    args = parser.parse_args()
    if not 1 <= args.connections <= 800_000:
        parser.error("--connections must be 1 to 800,000.")

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from ec_access.models import EmployerGroup
    from noyo_sync import rules
    from noyo_sync.models import GroupConnection, PollRun, SandboxGroupConnection
    from noyo_sync.services import poll_group_connections
    from supportdesk import clock

    call_command("migrate", verbosity=0)
    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=_Server,
                         handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.NOYO_BASE_URL = f"http://127.0.0.1:{server.server_port}/noyo/sandbox"
    settings.NOYO_SANDBOX_ENABLED = True
    settings.NOYO_CARRIER_ID = str(uuid.uuid4())  # a fresh carrier: re-runnable
    settings.DEBUG = False  # no query log growing through the run

    group, _ = EmployerGroup.objects.get_or_create(
        group_number="990001", defaults={"name": "NOYO BENCH", "platform": "MTV", "fin_bus_segment_cd": "T"})
    user, _ = get_user_model().objects.get_or_create(username="noyo-bench")
    now = clock.now()
    long_ago = now - dt.timedelta(hours=1)
    started = time.monotonic()
    sandbox_rows, ours = [], []
    for n, carrier_group_id in enumerate(carrier_group_ids(args.connections)):
        row = SandboxGroupConnection(
            id=uuid.uuid4(), carrier_id=settings.NOYO_CARRIER_ID, carrier_group_id=carrier_group_id,
            group_data={"carrier_group_id": carrier_group_id, "group_name": group.name},
            created_at=long_ago + dt.timedelta(microseconds=n), submitted_at=long_ago,
            processing_at=long_ago, settles_at=long_ago,
            final_status=rules.sandbox_resulting_status(carrier_group_id).value,
        )
        sandbox_rows.append(row)
        ours.append(GroupConnection(
            group=group, carrier_id=settings.NOYO_CARRIER_ID, carrier_group_id=carrier_group_id,
            group_name=group.name, people=10, noyo_id=str(row.id), status="created",
            status_changed_at=long_ago, requested_by=user,
        ))
    SandboxGroupConnection.objects.bulk_create(sandbox_rows, batch_size=2000)
    GroupConnection.objects.bulk_create(ours, batch_size=2000)
    print(f"noyo_poll bench: {args.connections:,} connections set up in "
          f"{time.monotonic() - started:.1f} s ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")

    results = []
    for label in ("first poll (every status changed)", "second poll (nothing changed)"):
        started = time.monotonic()
        run = poll_group_connections(trigger=PollRun.Trigger.COMMAND, page_size=args.page_size)
        seconds = time.monotonic() - started
        results.append(seconds)
        print(f"  {label}: {seconds:.1f} s, outcome {run.outcome}, {run.pages} pages, "
              f"{run.seen:,} seen, {run.changed:,} changed{' — ' + run.error if run.error else ''}")
        if run.outcome != PollRun.Outcome.OK:
            return 1
    server.shutdown()
    verdict = "within" if results[0] < TARGET_S else "OVER"
    print(f"noyo_poll bench: {results[0]:.1f} s for {args.connections:,} connections, {verdict} the "
          f"{TARGET_S:.0f} s target")
    print(f"BENCH bench=noyo_poll connections={args.connections} first_poll_s={results[0]:.1f} "
          f"second_poll_s={results[1]:.1f} target_first_poll_s=<{TARGET_S:.0f} "
          f"result={'pass' if results[0] < TARGET_S else 'FAIL'}")
    return 0 if results[0] < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
