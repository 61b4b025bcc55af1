from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

WEDNESDAY = dt.date(2026, 11, 18)


@pytest.fixture
def on_day(monkeypatch):
    """Freeze timezone.localdate() (what the EC flows call 'today') at a given date."""

    def freeze(day: dt.date) -> dt.date:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    freeze(WEDNESDAY)
    return freeze
