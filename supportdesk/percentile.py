"""A continuous percentile aggregate that gives the same figures on PostgreSQL and SQLite.

PostgreSQL has ``percentile_cont(f) WITHIN GROUP (ORDER BY x)``; SQLite (the embedded default of
``make run``) has no percentile at all. There the aggregate calls ``supportdesk_percentile_cont``,
a Python aggregate registered on every SQLite connection, which implements percentile_cont's
definition: sort the non-null values, take position ``f * (n - 1)`` and interpolate linearly
between the two values around it. On SQLite the difference of two datetimes (what the dashboard
aggregates) is an integer number of microseconds, and DurationField turns the result back into
a timedelta, so both databases hand the dashboard the same timedelta.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, DurationField

SQLITE_FUNCTION = "supportdesk_percentile_cont"


class Percentile(Aggregate):
    """percentile_cont over an interval (handle times, turnaround), on either database."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        fraction = float(fraction)
        # The fraction is written into the SQL, not bound: it must be a plain number.
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(f"A percentile's fraction is between 0 and 1, not {fraction}.")
        super().__init__(expression, fraction=fraction, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # On a copy, not as_sql(template=...): with a filter, Aggregate.as_sql() passes its own
        # template= (the FILTER clause around the instance's template) and the two would collide.
        sqlite = self.copy()
        sqlite.function = SQLITE_FUNCTION
        sqlite.template = "%(function)s(%(expressions)s, %(fraction)s)"
        return sqlite.as_sql(compiler, connection, **extra_context)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont over ``values`` (None when there are none)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below, above = math.floor(position), math.ceil(position)
    low, high = ordered[below], ordered[above]
    return low + (high - low) * (position - below)


class _PercentileCont:
    """sqlite3's aggregate protocol: step() per row, finalize() once."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: float | None, fraction: float) -> None:
        self.fraction = fraction
        if value is not None:  # like every SQL aggregate, NULLs are skipped
            self.values.append(value)

    def finalize(self) -> int | None:
        result = percentile_cont(self.values, self.fraction)
        # Whole microseconds: what a duration holds on either database.
        return None if result is None else round(result)


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: add the aggregate to each new SQLite connection."""
    if connection.vendor == "sqlite":
        from .rollups import sqlite_handle_bucket

        connection.connection.create_aggregate(SQLITE_FUNCTION, 2, _PercentileCont)
        # The handle-time bucket of rollups.rebuild(), which PostgreSQL computes with width_bucket.
        connection.connection.create_function("supportdesk_handle_bucket", 1, sqlite_handle_bucket,
                                              deterministic=True)
