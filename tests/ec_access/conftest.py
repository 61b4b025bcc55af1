from __future__ import annotations

from tests.clock import PINNED_DAY

WEDNESDAY = PINNED_DAY  # the suite's pinned day (tests/conftest.py's on_day moves it)
