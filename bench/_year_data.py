"""A year of a large team's cases for bench/dashboard.py, written with COPY (not the ORM).

Not a bench of its own: bench_table.py skips bench/_*.py.

Each flow of the registry gets a few hundred walks through its real steps (choices and check
branches picked with a skew, so the traffic map has hot and cold paths); every case follows one
of its flow's walks. Cases are spread over the days of the period (weekdays busier, office
hours), numbered in the order they were opened as production numbers them, opened by ~200
specialists; most closed with the outcome's disposition, some open or waiting, some reopened
once or twice to change an answer. Each has 15–20 transcript events (opened, the steps taken,
going back and answering again, notes). Case rows and their events stream through two COPYs on
two connections at once, so nothing is held in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg

from supportdesk.engine import Flow, registry

WALKS_PER_FLOW = 300
MAX_WALK = 40
GROUPS = 40_000  # employer groups the cases name, 6 digits each
GROUP_BASE = 300_000
# Share of the cases per flow, in registry order, repeated if there are more flows.
FLOW_WEIGHTS = {"arsos-routing": 30, "ec-employer-access": 18, "ec-employer-cannot-see": 10,
                "ec-agent-cannot-see": 10, "ec-questions": 8, "husky-provider-portal": 12,
                "noyo-connect-group": 7, "noyo-member-change-rejected": 5}
NOTES = ("Called the employer back.", "Sent the portal link by e-mail.",
         "Checked the group in the admin system.", "Caller asked to hold.")

CASE_COLUMNS = ("id", "flow_key", "flow_version", "flow_title", "opened_by_id", "opened_at",
                "updated_at", "closed_at", "status", "disposition", "outcome_key", "outcome_title",
                "current_step", "path", "answers", "artifacts", "waiting_reason", "waiting_on",
                "follow_up_on", "reopen_count", "news", "follows_id", "caller_type", "subject",
                "incident_number", "preview")
EVENT_COLUMNS = ("case_id", "seq", "kind", "step_key", "step_title", "shown", "answer", "value",
                 "artifact", "user_id", "created_at")

# One transcript line before it is given a case, a number, a user and a time:
# (kind, step_key, step_title, shown, answer, value as JSON text or None)
Line = tuple[str, str, str, str, str, str | None]


@dataclass(frozen=True)
class Walk:
    flow: Flow
    lines: tuple[Line, ...]  # the opened line, then one per step reached
    stops: tuple[int, ...]  # line indexes where a case may be left open (questions, forms)
    wait_at: int | None  # the line of a wait step, where a case may be left waiting
    steps: tuple[str, ...]  # step key of each line ("" for the opened line)
    outcome: tuple[str, str, str] | None  # (key, title, disposition) when the walk ends in one
    last_question: int | None  # the last question's line, to go back to and answer again


def _shown(step: object) -> str:
    text = getattr(step, "text", "")
    return (text if isinstance(text, str) and text else getattr(step, "title", ""))[:400]


def _walk(flow: Flow, rng: random.Random) -> Walk:
    lines: list[Line] = [("opened", "", "", f"{flow.title} (v{flow.version})", "Case opened", None)]
    steps, stops = [""], []
    wait_at = last_question = None
    outcome = None
    key = flow.start
    for _ in range(MAX_WALK):
        step = flow.step(key)
        if step is None:
            break
        edges = step.edges()
        kind = step.kind
        if step.terminal:
            disposition = str(getattr(step, "disposition", "answered"))
            lines.append(("outcome", step.key, step.title, _shown(step), step.title,
                          json.dumps(disposition)))
            steps.append(step.key)
            outcome = (step.key, step.title, disposition)
            break
        # Skewed: the first way out is taken most, the last least.
        edge = rng.choices(edges, weights=[1 / (n + 1) for n in range(len(edges))])[0]
        if kind in ("question", "form"):
            stops.append(len(lines))
        if kind == "question":
            last_question = len(lines)
            lines.append(("answer", step.key, step.title, _shown(step), edge.label,
                          json.dumps(edge.value)))
        elif kind == "form":
            lines.append(("answer", step.key, step.title, _shown(step), "Details entered",
                          '{"confirmed": true}'))
        elif kind == "check":
            lines.append(("check", step.key, step.title, _shown(step), edge.label,
                          json.dumps(edge.value)))
        elif kind == "action":
            lines.append(("action", step.key, step.title, _shown(step), step.title, None))
        elif kind == "wait":
            wait_at = len(lines) if wait_at is None else wait_at
            lines.append(("wait", step.key, step.title, _shown(step), "Waiting on the request.", None))
        else:  # an instruction
            lines.append(("answer", step.key, step.title, _shown(step), "Done, continue", None))
        steps.append(step.key)
        key = edge.target
    return Walk(flow, tuple(lines), tuple(stops), wait_at, tuple(steps), outcome, last_question)


def walks(rng: random.Random) -> tuple[list[list[Walk]], list[int]]:
    flows = registry.all()
    weights = [FLOW_WEIGHTS.get(flow.key, 5) for flow in flows]
    return [[_walk(flow, rng) for _ in range(WALKS_PER_FLOW)] for flow in flows], weights


def opening_times(cases: int, days: int, now: dt.datetime, rng: random.Random) -> Iterator[dt.datetime]:
    """``cases`` moments over the ``days`` days up to ``now``, oldest first: weekdays carry
    six times a weekend day's calls, office hours (8:00–18:00 local) most of them."""
    tz = now.tzinfo
    first = (now - dt.timedelta(days=days - 1)).date()
    dates = [first + dt.timedelta(days=n) for n in range(days)]
    weights = [1.0 if day.weekday() < 5 else 1 / 6 for day in dates]
    per_day = [int(cases * w / sum(weights)) for w in weights]
    per_day[-1] += cases - sum(per_day)
    for day, count in zip(dates, per_day, strict=True):
        start = dt.datetime.combine(day, dt.time(8), tz)
        for seconds in sorted(rng.uniform(0, 10 * 3600) for _ in range(count)):
            yield min(start + dt.timedelta(seconds=seconds), now)


def build(*, dsn: str, cases: int, days: int, events: tuple[int, int], specialists: list[int],
          now: dt.datetime, seed: int = 20) -> int:
    """Write ``cases`` cases and their events (the tables must be empty); returns the events."""
    rng = random.Random(seed)
    flow_walks, weights = walks(rng)
    flow_picks = rng.choices(range(len(flow_walks)), weights=weights, k=4096)
    total_events = 0
    with psycopg.connect(dsn) as case_db, psycopg.connect(dsn) as event_db:
        # The rows are consistent by construction: skip the per-row foreign-key triggers.
        event_db.execute("SET session_replication_role = replica")
        case_db.execute("SET session_replication_role = replica")
        with case_db.cursor().copy(f"COPY supportdesk_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as case_copy, \
                event_db.cursor().copy(
                    f"COPY supportdesk_caseevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as event_copy:
            for pk, opened in enumerate(opening_times(cases, days, now, rng), start=1):
                walk = rng.choice(flow_walks[flow_picks[pk % len(flow_picks)]])
                user = specialists[int(len(specialists) * rng.random() ** 1.3)]
                total_events += _write_case(case_copy, event_copy, rng, pk, walk, user, opened, now,
                                            events)
    return total_events


def _write_case(case_copy: psycopg.Copy, event_copy: psycopg.Copy, rng: random.Random, pk: int,
                walk: Walk, user: int, opened: dt.datetime, now: dt.datetime,
                events: tuple[int, int]) -> int:
    flow = walk.flow
    fate = rng.random()
    lines = list(walk.lines)
    reopen_count = 0
    status, current = "closed", walk.steps[-1]
    waiting_reason = waiting_on = ""
    follow_up_on = None
    recent = (now - opened) < dt.timedelta(days=2)
    if walk.outcome is None or fate < (0.25 if recent else 0.06):
        cut = rng.choice(walk.stops) if walk.stops else len(lines) - 1
        lines, status, current = lines[:cut], "open", walk.steps[cut]
    elif walk.wait_at is not None and fate < 0.12:
        lines, status, current = lines[:walk.wait_at + 1], "waiting", walk.steps[walk.wait_at]
        waiting_reason, waiting_on = "Waiting on the EC request.", f"EC request #{pk}"
        follow_up_on = (opened + dt.timedelta(days=rng.randint(1, 10))).date()
    want = rng.randint(*events)
    # Went back and answered again (before the outcome), then notes, up to the wanted count.
    if walk.last_question is not None and walk.last_question < len(lines) and len(lines) + 2 <= want:
        again = lines[walk.last_question]
        at = walk.last_question + 1
        lines[at:at] = [("back", again[1], again[2], "", f"Went back to {again[2]}", None), again]
    if status == "closed" and rng.random() < 0.04 and walk.last_question is not None:
        reopen_count = 1 if rng.random() < 0.85 else 2
        again, end = lines[walk.last_question], lines[-1]
        for _ in range(reopen_count):
            lines += [("reopened", end[1], end[2], "", "Reopened to change an answer", None),
                      again, end]
    while len(lines) < want:
        lines.insert(len(lines) - (status == "closed"),
                     ("note", "", "", "", rng.choice(NOTES), None))
    minutes = rng.lognormvariate(2.0, 0.6)  # median ~7 minutes
    step = dt.timedelta(minutes=minutes / len(lines))
    closed_at = opened + dt.timedelta(minutes=minutes) if status == "closed" else None
    updated = closed_at or opened + step * len(lines)
    outcome_key, outcome_title, disposition = walk.outcome if status == "closed" and walk.outcome else ("", "", "")
    group = f"{GROUP_BASE + int(GROUPS * rng.random() ** 1.5)}"
    subject = f'{{"group_number": "{group}"}}' if flow.asks_subject else "{}"
    path = json.dumps([key for key, line in zip(walk.steps, walk.lines, strict=True)
                       if line[0] == "answer"][:len(lines)])
    case_copy.write_row((
        pk, flow.key, flow.version, flow.title, user, opened, updated, closed_at, status,
        disposition, outcome_key, outcome_title, current, path, "{}", "{}", waiting_reason,
        waiting_on, follow_up_on, reopen_count, "", None, str(flow.caller_type), subject, "",
        False,
    ))
    for seq, (kind, key, title, shown, answer, value) in enumerate(lines, start=1):
        event_copy.write_row((pk, seq, kind, key, title, shown, answer, value, None, user,
                              opened + step * seq))
    return len(lines)


def audit_rows(cursor: psycopg.Cursor) -> None:
    """The audit trail's rows for the cases: who opened and who closed each."""
    cursor.execute(
        "INSERT INTO supportdesk_auditentry (user_id, action, object_type, object_id, summary, created_at) "
        "SELECT opened_by_id, 'case.open', 'supportdesk.case', id::text, 'Opened ' || flow_title, opened_at "
        "FROM supportdesk_case UNION ALL "
        "SELECT opened_by_id, 'case.close', 'supportdesk.case', id::text, 'Closed: ' || disposition, closed_at "
        "FROM supportdesk_case WHERE closed_at IS NOT NULL ORDER BY 6"
    )


def review_rows(cursor: psycopg.Cursor, reviewer: int) -> None:
    """A supervisor's review on one closed case in fifty."""
    cursor.execute(
        "INSERT INTO supportdesk_casereview (case_id, reviewer_id, rating, note, created_at) "
        "SELECT id, %s, 1 + id %% 5, 'Handled as the source says.', closed_at + interval '1 day' "
        "FROM supportdesk_case WHERE status = 'closed' AND id %% 50 = 7", [reviewer],
    )
