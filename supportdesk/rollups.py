"""The supervisor figures' rollups (rollup_models.py), kept in the write's own transaction.

The services call ``remember(case)`` when they lock a case (where it stands before the write),
``step_taken()`` for each transcript event they append, and ``record(case)`` once the case is
saved: the counters of where the case stood go down by one, those of where it stands now go
up by one, and each step taken adds one. All of it is one statement on PostgreSQL (the upserts
chained in a WITH) and one per table on SQLite; a write that changes nothing counted writes
nothing. Concurrent writers cannot lose a count: each counter is a row under a unique key,
changed only by ``INSERT ... ON CONFLICT (key) DO UPDATE SET n = n + EXCLUDED.n``, which
PostgreSQL and SQLite (3.24 and later) both run atomically.

A case is counted on the day it was opened (in TIME_ZONE), as the dashboard's periods are, in
that day's rows and in its month's (rollup_models.py): both in the same upsert.
Counters can reach 0 (a case that moved on); the readers sum them and skip sums of 0, and
``rebuild()`` leaves no such rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import Case, CaseDay, CaseEvent, HandleTimeDay, OpenStepDay, SpecialistDay, StepDay

# The transcript events that count as a step taken (the flow map's traffic).
TAKEN_KINDS = (CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK, CaseEvent.Kind.ACTION,
               CaseEvent.Kind.OUTCOME)
# Of those, the ones that may name a branch: a question's choice or a check's branch, whose
# stored value is that choice's or branch's key (a string). Every other step taken (a form's
# typed details, an instruction continued, a wait resumed, an action, an outcome) has one way
# on, so StepDay counts it once per step, without its answer: a form's answer is whatever was
# typed ("Group number: 824751"), which is no branch and would add a row per group typed.
BRANCH_KINDS = (CaseEvent.Kind.ANSWER, CaseEvent.Kind.CHECK)


def branch_taken(kind: str, answer: str, value: Any) -> tuple[str, Any]:
    """The answer and value StepDay counts a step taken by: its own for a branch, none else."""
    if kind in BRANCH_KINDS and isinstance(value, str):
        return answer, value
    return "", None

# Handle-time buckets, in whole seconds: bucket b holds the handle times t with
# HANDLE_BUCKETS[b - 1] <= t < HANDLE_BUCKETS[b] (bucket 0: under a second). The bounds are
# ⌊2^(k/16)⌋: one second wide up to about 23 s, then 1/16 of an octave (4.4 % wide). Fixed
# bounds, so the buckets of different days and flows merge by adding their counts. The last
# bucket (from 2^25 s, 388 days) is open-ended.
HANDLE_BUCKETS: tuple[int, ...] = tuple(sorted({math.floor(2 ** (k / 16)) for k in range(401)}))

# SpecialistDay counts each specialist's cases twice: by flow, and under this flow key for
# every flow together. The dashboard's specialists table over all flows then reads a row per
# specialist a day instead of one per specialist, flow and day, which grows with the cases a
# day: at 1,000,000 cases a year that read was 54 ms of the page, and the page's growth over
# 100,000 cases (bench/dashboard.py) came mostly from it.
ALL_FLOWS = ""

_STANDING = "_rollup_standing"
_STEPS = "_rollup_steps"


def handle_bucket(handle_time: dt.timedelta) -> int:
    seconds = handle_time // dt.timedelta(seconds=1)
    return bisect_right(HANDLE_BUCKETS, max(seconds, 0))


def sqlite_handle_bucket(microseconds: int | None) -> int | None:
    """handle_bucket() for SQLite's rebuild (registered on its connections, see percentile.py)."""
    if microseconds is None:
        return None
    return handle_bucket(dt.timedelta(microseconds=microseconds))


def bucket_middle(bucket: int) -> float:
    """The handle time, in seconds, that stands for every case of ``bucket``: its middle."""
    if bucket >= len(HANDLE_BUCKETS):
        return float(HANDLE_BUCKETS[-1])
    low = HANDLE_BUCKETS[bucket - 1] if bucket else 0
    return (low + HANDLE_BUCKETS[bucket]) / 2


def histogram_percentile(counts: dict[int, int], fraction: float) -> dt.timedelta | None:
    """percentile_cont(``fraction``) of the handle times counted in ``counts`` (bucket → cases),
    each taken as its bucket's middle.

    Error bound: a case's handle time t and its bucket's middle differ by at most half the
    bucket's width, which is at most 0.5 s + 2.3 % of t (0.5 s below 23 s). Replacing every
    value by its bucket's middle keeps their order, so the k-th smallest value moves by at most
    that much, and so does the interpolation between two of them: the figure is within
    0.5 s + 2.3 % of the exact percentile (handle times under 388 days)."""
    total = sum(counts.values())
    if not total:
        return None
    position = fraction * (total - 1)
    below, above = math.floor(position), math.ceil(position)
    low = high = None
    seen = 0
    for bucket in sorted(counts):
        seen += counts[bucket]
        if low is None and seen > below:
            low = bucket_middle(bucket)
        if seen > above:
            high = bucket_middle(bucket)
            break
    assert low is not None and high is not None
    seconds = low + (high - low) * (position - below)
    return dt.timedelta(microseconds=round(seconds * 1_000_000))


@dataclass(frozen=True)
class _Standing:
    """What the rollups count a case by."""

    day: dt.date
    flow_key: str
    specialist_id: int
    status: str
    current_step: str
    disposition: str
    reopened: bool
    bucket: int | None  # its handle-time bucket when closed


def day_of(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment, timezone.get_default_timezone())


def _standing(case: Case) -> _Standing:
    return _Standing(
        day=day_of(case.opened_at), flow_key=case.flow_key, specialist_id=case.opened_by_id,
        status=case.status, current_step=case.current_step, disposition=case.disposition, reopened=case.reopen_count > 0,
        bucket=handle_bucket(case.closed_at - case.opened_at)
        if case.status == Case.Status.CLOSED and case.closed_at is not None else None,
    )


def remember(case: Case) -> None:
    """Note where ``case`` stands as it is locked for a write (a new case stands nowhere)."""
    case.__dict__[_STANDING] = _standing(case)


def step_taken(case: Case, event: CaseEvent) -> None:
    """An event appended to ``case``: a step taken is counted when ``record`` runs."""
    if event.kind in TAKEN_KINDS:
        answer, value = branch_taken(event.kind, event.answer, event.value)
        case.__dict__.setdefault(_STEPS, []).append(
            (event.step_key, event.kind, event.step_title, answer, value))


def record(case: Case) -> None:
    """Count what this write changed on ``case`` (saved already, in the same transaction);
    an author's preview case counts nowhere."""
    if case.preview:
        return
    before: _Standing | None = case.__dict__.get(_STANDING)
    now = _standing(case)
    steps = case.__dict__.pop(_STEPS, [])
    case.__dict__[_STANDING] = now
    statements = [
        *_case_day(before, now), *_specialist_day(before, now), *_handle_time_day(before, now),
        *_open_step_day(before, now), *_step_day(now, steps),
    ]
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one round trip: data-modifying WITHs
            *first, (last_sql, last_params) = statements
            withs = [f"r{n} AS ({sql})" for n, (sql, _params) in enumerate(first)]
            sql = (f"WITH {', '.join(withs)} " if withs else "") + last_sql
            params = [p for _sql, ps in first for p in ps] + list(last_params)
            cursor.execute(sql, params)
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


Statement = tuple[str, list[Any]]


def _upsert(model: type[Any], keys: list[str], counter: str, others: list[str],
            rows: list[tuple[list[str], list[Any]]]) -> Statement:
    """INSERT the rows (each: its placeholders, in keys + others + counter order, and their
    parameters) or add their counter to the row of the same key."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*keys, *others, counter])
    values = ", ".join(f"({', '.join(placeholders)})" for placeholders, _params in rows)
    quoted = connection.ops.quote_name(counter)
    sql = (f"INSERT INTO {table} ({columns}) VALUES {values} "
           f"ON CONFLICT ({', '.join(connection.ops.quote_name(k) for k in keys)}) "
           f"DO UPDATE SET {quoted} = {table}.{quoted} + EXCLUDED.{quoted}")
    return sql, [p for _placeholders, params in rows for p in params]


def _counted(deltas: dict[tuple[Any, ...], int]) -> list[tuple[tuple[Any, ...], int]]:
    # In key order: two writes that touch the same counters lock their rows in the same order,
    # so they wait for each other instead of deadlocking (a close and a reopen, say).
    return sorted((key, n) for key, n in deltas.items() if n)


def _grains(key: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """A day's key (its day first) as the keys of its day row and of its month's row."""
    day, *rest = key
    return [(False, day, *rest), (True, day.replace(day=1), *rest)]


def _moves(before: list[tuple[Any, ...]], now: list[tuple[Any, ...]]) -> dict[Any, int]:
    """The counters' changes, at both grains: a case that moved within its day's row changes
    neither that row nor its month's (their -1 and +1 cancel)."""
    deltas: dict[Any, int] = {}
    for keys, n in ((before, -1), (now, +1)):
        for grain in (grain for key in keys for grain in _grains(key)):
            deltas[grain] = deltas.get(grain, 0) + n
    return deltas


def _counters(model: type[Any], keys: list[str], keys_of: Any, before: _Standing | None,
              now: _Standing) -> list[Statement]:
    """The upsert moving a case's counters of ``model`` from where it stood to where it stands
    (``keys_of``: a standing's keys without their month, none where the case is not counted)."""
    moves = _moves([] if before is None else keys_of(before), keys_of(now))
    rows = [(["%s"] * (len(keys) + 1), [*k, n]) for k, n in _counted(moves)]
    return [_upsert(model, keys, "cases", [], rows)] if rows else []


def _case_day(before: _Standing | None, now: _Standing) -> list[Statement]:
    return _counters(CaseDay, ["month", "day", "flow_key", "status", "disposition", "reopened"],
                     lambda s: [(s.day, s.flow_key, s.status, s.disposition, s.reopened)],
                     before, now)


def _specialist_day(before: _Standing | None, now: _Standing) -> list[Statement]:
    return _counters(SpecialistDay, ["month", "day", "flow_key", "specialist_id", "closed"],
                     lambda s: [(s.day, flow, s.specialist_id, s.status == Case.Status.CLOSED)
                                for flow in (s.flow_key, ALL_FLOWS)],
                     before, now)


def _handle_time_day(before: _Standing | None, now: _Standing) -> list[Statement]:
    return _counters(HandleTimeDay, ["month", "day", "flow_key", "bucket"],
                     lambda s: [] if s.bucket is None else [(s.day, s.flow_key, s.bucket)],
                     before, now)


def _open_step_day(before: _Standing | None, now: _Standing) -> list[Statement]:
    return _counters(OpenStepDay, ["month", "day", "flow_key", "current_step"],
                     lambda s: [(s.day, s.flow_key, s.current_step)]
                     if s.status == Case.Status.OPEN else [],
                     before, now)


def _json(value: Any) -> str | None:
    # As Django's JSONField writes it (json.dumps); SQL NULL for None, like CaseEvent.value.
    return None if value is None else json.dumps(value)


def _step_day(now: _Standing, steps: list[tuple[Any, ...]]) -> list[Statement]:
    deltas: dict[tuple[Any, ...], tuple[tuple[Any, ...], int]] = {}
    for step_key, kind, title, answer, value in steps:
        same = (step_key, kind, title, answer, json.dumps(value, sort_keys=True))
        _row, n = deltas.get(same, ((step_key, kind, title, answer, value), 0))
        deltas[same] = ((step_key, kind, title, answer, value), n + 1)
    rows = []
    for month, day, flow_key in sorted(_grains((now.day, now.flow_key))):
        for _same, ((step_key, kind, title, answer, value), n) in sorted(deltas.items()):
            if connection.vendor == "postgresql":
                # The key hashes the value as PostgreSQL writes jsonb, as rebuild() does.
                branch = "md5(%s || chr(31) || %s || chr(31) || coalesce(%s::jsonb::text, ''))"
                rows.append((["%s", "%s", "%s", "%s", "%s", branch, "%s", "%s", "%s::jsonb",
                              "%s"], [
                    month, day, flow_key, step_key, kind, title, answer, _json(value),
                    title, answer, _json(value), n]))
            else:
                text = f"{title}\x1f{answer}\x1f{_json(value) or ''}"
                rows.append((["%s"] * 10, [
                    month, day, flow_key, step_key, kind,
                    hashlib.md5(text.encode()).hexdigest(), title, answer, _json(value), n]))
    if not rows:
        return []
    return [_upsert(StepDay, ["month", "day", "flow_key", "step_key", "kind", "branch"], "taken",
                    ["step_title", "answer", "value"], rows)]


def rebuild() -> None:
    """Recompute every rollup from the raw cases and events, in one transaction: empty the
    tables, then one INSERT ... SELECT ... GROUP BY each (set-based, no loop over rows) for the
    day rows, and one each adding the day rows up into the month rows.

    Idempotent, and safe beside live writers on PostgreSQL: TRUNCATE locks the five tables
    first, so a write that has not committed yet waits at its upsert until the rebuild
    commits and then adds its change on top, while one committed before is in the SELECTs."""
    qn = connection.ops.quote_name
    case, event = qn(Case._meta.db_table), qn(CaseEvent._meta.db_table)
    tables = [qn(m._meta.db_table)
              for m in (CaseDay, SpecialistDay, StepDay, HandleTimeDay, OpenStepDay)]
    day, day_params = connection.ops.datetime_cast_date_sql(
        f"c.{qn('opened_at')}", (), timezone.get_default_timezone_name())
    postgresql = connection.vendor == "postgresql"
    kinds = ", ".join(f"'{kind}'" for kind in TAKEN_KINDS)
    branch_kinds = ", ".join(f"'{kind}'" for kind in BRANCH_KINDS)
    if postgresql:
        is_branch = f"e.kind IN ({branch_kinds}) AND jsonb_typeof(e.value) = 'string'"
        branch = "md5(s.step_title || chr(31) || s.answer || chr(31) || coalesce(s.value::text, ''))"
        bucket = ("width_bucket(greatest(floor(extract(epoch FROM c.closed_at - c.opened_at)), 0)"
                  "::bigint, %s::bigint[])")
        bucket_params: list[Any] = [list(HANDLE_BUCKETS)]
    else:
        is_branch = f"e.kind IN ({branch_kinds}) AND json_type(e.value) = 'text'"
        branch = "MD5(s.step_title || char(31) || s.answer || char(31) || coalesce(s.value, ''))"
        bucket = "supportdesk_handle_bucket(django_timestamp_diff(c.closed_at, c.opened_at))"
        bucket_params = []
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {tables[0]} (month, day, flow_key, status, disposition, reopened, cases) "
            f"SELECT false, {day}, c.flow_key, c.status, c.disposition, c.reopen_count > 0, COUNT(*) "
            f"FROM {case} c WHERE NOT c.preview GROUP BY 2, 3, 4, 5, 6", list(day_params))
        cursor.execute(
            f"INSERT INTO {tables[1]} (month, day, flow_key, specialist_id, closed, cases) "
            f"SELECT false, {day}, c.flow_key, c.opened_by_id, c.status = 'closed', COUNT(*) "
            f"FROM {case} c WHERE NOT c.preview GROUP BY 2, 3, 4, 5", list(day_params))
        cursor.execute(  # every flow together (ALL_FLOWS): the flows' day rows added up
            f"INSERT INTO {tables[1]} (month, day, flow_key, specialist_id, closed, cases) "
            f"SELECT false, day, %s, specialist_id, closed, SUM(cases) FROM {tables[1]} "
            f"WHERE NOT month GROUP BY day, specialist_id, closed", [ALL_FLOWS])
        # Steps taken by their branch (rollups.branch_taken: none but a choice or a check's).
        cursor.execute(
            f"INSERT INTO {tables[2]} (month, day, flow_key, step_key, kind, branch, step_title, "
            f"answer, value, taken) "
            f"SELECT false, s.day, s.flow_key, s.step_key, s.kind, {branch}, s.step_title, s.answer, "
            f"s.value, COUNT(*) FROM (SELECT {day} AS day, c.flow_key, e.step_key, e.kind, "
            f"e.step_title, CASE WHEN {is_branch} THEN e.answer ELSE '' END AS answer, "
            f"CASE WHEN {is_branch} THEN e.value END AS value "
            f"FROM {event} e JOIN {case} c ON c.id = e.case_id "
            f"WHERE e.kind IN ({kinds}) AND NOT c.preview) s "
            f"GROUP BY s.day, s.flow_key, s.step_key, s.kind, s.step_title, s.answer, s.value",
            list(day_params))
        cursor.execute(
            f"INSERT INTO {tables[3]} (month, day, flow_key, bucket, cases) "
            f"SELECT false, {day}, c.flow_key, {bucket}, COUNT(*) FROM {case} c "
            f"WHERE c.status = 'closed' AND NOT c.preview GROUP BY 2, 3, 4",
            [*day_params, *bucket_params])
        cursor.execute(
            f"INSERT INTO {tables[4]} (month, day, flow_key, current_step, cases) "
            f"SELECT false, {day}, c.flow_key, c.current_step, COUNT(*) FROM {case} c "
            f"WHERE c.status = 'open' AND NOT c.preview GROUP BY 2, 3, 4", list(day_params))
        # The month rows: the day rows added up by month (a few thousand rows a year).
        month = "date_trunc('month', day)::date" if postgresql else "date(day, 'start of month')"
        for table, columns, counter in (
                (tables[0], "flow_key, status, disposition, reopened", "cases"),
                (tables[1], "flow_key, specialist_id, closed", "cases"),
                (tables[2], "flow_key, step_key, kind, branch, step_title, answer, value", "taken"),
                (tables[3], "flow_key, bucket", "cases"),
                (tables[4], "flow_key, current_step", "cases")):
            cursor.execute(
                f"INSERT INTO {table} (month, day, {columns}, {counter}) "
                f"SELECT true, {month}, {columns}, SUM({counter}) FROM {table} "
                f"WHERE NOT month GROUP BY {month}, {columns}")
        if postgresql:  # the tables were emptied and filled: give the planner their new sizes
            cursor.execute(f"ANALYZE {', '.join(tables)}")
