"""Recompute the supervisor figures' rollups from the raw cases and events (supportdesk/rollups.py):
after a bulk load that bypassed the services, or to check the counters. Idempotent."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from supportdesk import rollups


class Command(BaseCommand):
    help = "Recompute the dashboard's rollups from the cases and their transcripts (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        rollups.rebuild()
        self.stdout.write(f"Rollups rebuilt in {time.monotonic() - started:.1f} s.")
