"""One clock: "today" is the office's date, the suite's clock is pinned, and the app reads the
time nowhere else."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from supportdesk import clock
from tests.clock import PINNED_DAY

ROOT = Path(__file__).resolve().parents[2]
APPS = ("supportdesk", "ec_access", "agent_rsos", "husky_reports", "noyo_sync")
# What reads the machine's clock directly. timezone.localtime(x)/localdate(x) convert a value and
# stay allowed; the bare calls read "now".
DIRECT_READS = re.compile(
    r"timezone\.now\b|timezone\.local(?:date|time)\(\)|\bdate\.today\(|\bdatetime\.(?:now|utcnow|today)\("
    r"|\btime\.time\("
)


def test_it_counts_today_in_the_office_time_zone(clock_at):
    # 02:00 UTC on the 6th is 21:00 on the 5th in New York: still the blackout's last day.
    clock_at(dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC))
    assert clock.now().date() == dt.date(2026, 12, 6)
    assert clock.today() == dt.date(2026, 12, 5)
    assert clock.local_now().hour == 21


def test_it_starts_every_test_on_the_pinned_day():
    assert clock.today() == PINNED_DAY


def test_it_moves_to_another_day_and_ticks_on(on_day):
    on_day(dt.date(2028, 2, 29))
    first = clock.now()
    assert clock.today() == dt.date(2028, 2, 29) and first.astimezone(clock.local_now().tzinfo).hour == 10
    assert clock.now() >= first


def test_it_reads_the_time_only_in_the_clock_module():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.name == "clock.py" and path.parent.name == "supportdesk" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if DIRECT_READS.search(line.split("#", 1)[0]):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "read the time through supportdesk.clock:\n" + "\n".join(offenders)
