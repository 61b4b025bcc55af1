"""The index review of bench/dashboard.py --explain: every supervisor list and filter, requested as
the supervisor, each of its queries on the big tables run again under EXPLAIN (ANALYZE, BUFFERS).

Not a bench of its own: bench_table.py skips bench/_*.py.

The lists of the apps get rows in proportion to the cases (SQL from the cases, as the services
would have written them): an EC request for one EC case in five, an ARSOS escalation for one
ARSOS case in ten, a Noyo connection for one group in four. Each list is reviewed twice: with
the review's indexes (NEW_INDEXES) dropped inside a transaction that is rolled back
("before"), then with them ("after"), so one build gives both plans.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import timedelta

import _year_data as year_data
import psycopg
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from supportdesk import clock

# The indexes of the review (supportdesk 0015, ec_access 0011, noyo_sync 0010): the "before"
# plans run without them.
NEW_INDEXES = ("case_status_opened_at", "case_opened_by_opened_at", "case_reopened_opened_at",
               "ec_request_open_queue", "noyo_connection_requested")
BIG_TABLES = ("supportdesk_case", "supportdesk_caseevent", "supportdesk_auditentry",
              "ec_access_ecrequest", "agent_rsos_escalation", "noyo_sync_groupconnection")
SHOWN = 3  # pages whose plans are printed in full


@dataclass
class Reviewed:
    label: str
    url: str
    page_ms: float
    plans: list[tuple[float, str]]  # (execution ms, plan text) per query on a big table

    @property
    def slowest_ms(self) -> float:
        return max((ms for ms, _plan in self.plans), default=0.0)


def other_lists(dsn: str) -> None:
    """EC requests, escalations and Noyo connections in proportion to the cases."""
    groups = year_data.GROUPS
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute("SET session_replication_role = replica")
        specialist = db.execute("SELECT min(opened_by_id) FROM supportdesk_case").fetchone()[0]
        db.execute(
            "INSERT INTO ec_access_employergroup (id, group_number, name, platform, ec_number, "
            "report_platform_code, fin_bus_segment_cd, employees_enrolled, is_reregistration) "
            "SELECT n, (%s + n)::text, 'BENCH GROUP ' || n, 'MTV', '', '', 'T', 20, false "
            "FROM generate_series(0, %s - 1) n", [year_data.GROUP_BASE, groups])
        db.execute(
            "INSERT INTO ec_access_slapplication (id, sl_app_number, kind, group_id, agent_san, "
            "ec_identifier) SELECT n, (7000000 + n)::text, 'employer', n, '', '' "
            "FROM generate_series(0, %s - 1) n", [groups])
        # The newest request of a group is open (queued or claimed) when its case is; others decided.
        db.execute(
            "INSERT INTO ec_access_ecrequest (source, state, group_id, sl_app_id, ec_identifier, "
            "business_functions, expedited, case_id, requested_by_id, created_at, claimed_by_id, "
            "claimed_at, decided_at, reject_reason, reject_note) "
            "SELECT 'specialist', CASE WHEN open THEN (CASE WHEN id %% 3 = 0 THEN 'claimed' ELSE 'queued' END) "
            "  WHEN id %% 7 = 0 THEN 'rejected' ELSE 'granted' END, g, g, 'EC' || id, '[\"reports\"]', "
            "  id %% 10 = 0, id, opened_by_id, opened_at, "
            "  CASE WHEN open AND id %% 3 = 0 THEN opened_by_id END, "
            "  CASE WHEN open AND id %% 3 = 0 THEN opened_at END, "
            "  CASE WHEN NOT open THEN opened_at + interval '1 day' END, "
            "  CASE WHEN NOT open AND id %% 7 = 0 THEN 'other' ELSE '' END, '' "
            "FROM (SELECT c.*, (c.subject->>'group_number')::int - %s AS g, "
            "  c.status <> 'closed' AND row_number() OVER (PARTITION BY c.subject->>'group_number' "
            "  ORDER BY c.id DESC) = 1 AS open "
            "  FROM supportdesk_case c WHERE c.flow_key LIKE 'ec-employer%%' AND c.id %% 5 = 0) c",
            [year_data.GROUP_BASE])
        db.execute(
            "INSERT INTO agent_rsos_escalation (case_id, owner_id, line_of_business, status, topic, "
            "agent_name, agent_san, member_id, member_first_name, member_last_name, reference_number, "
            "summary, created_at, sent_at, acknowledged_at, responded_at, last_update_at, closed_at, "
            "escalated_to, response_due_at, follow_up_due_at, next_due_at, next_due_kind, "
            "follow_ups_missed) "
            "SELECT id, opened_by_id, CASE WHEN id %% 2 = 0 THEN 'Medicare' ELSE 'HumanaOne' END, "
            "  CASE WHEN status = 'closed' THEN 'resolved' ELSE 'sent' END, 'billing', 'Agent Bench', "
            "  'SAN' || id, 'M' || id, 'Bench', 'Member', '', 'Billing question.', opened_at, opened_at, "
            "  NULL, CASE WHEN status = 'closed' THEN opened_at + interval '1 day' END, NULL, "
            "  CASE WHEN status = 'closed' THEN opened_at + interval '2 days' END, '', "
            "  opened_at + interval '2 days', NULL, "
            "  CASE WHEN status <> 'closed' THEN opened_at + interval '2 days' END, "
            "  CASE WHEN status <> 'closed' THEN 'response' ELSE '' END, 0 "
            "FROM supportdesk_case WHERE flow_key = 'arsos-routing' AND id %% 10 = 0", [])
        db.execute(
            "INSERT INTO noyo_sync_groupconnection (group_id, carrier_id, carrier_group_id, group_name, "
            "federal_ein, broker_federal_ein, people, existing_coverage, previous_transfers_deactivated, "
            "noyo_id, noyo_group_id, status, status_changed_at, last_error, noyo_modified, "
            "noyo_event_created, adopted_differences, requested_by_id, requested_at) "
            "SELECT n, 'bench-carrier', lpad((100000 + n)::text, 6, '0'), 'BENCH GROUP ' || n, '', '', "
            "  10, false, false, 'noyo-' || n, '', CASE WHEN n %% 9 = 0 THEN 'processing' ELSE "
            "  'created' END, now() - n * interval '5 minutes', '', 0, 0, '', %s, "
            "  now() - n * interval '5 minutes' FROM generate_series(0, %s - 1, 4) n",
            [specialist, groups])
        for table in ("ec_access_employergroup", "ec_access_slapplication", "ec_access_ecrequest",
                      "agent_rsos_escalation", "noyo_sync_groupconnection"):
            db.execute(f"VACUUM (ANALYZE) {table}")
        counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("ec_access_ecrequest", "agent_rsos_escalation", "noyo_sync_groupconnection")}
    print("lists of the apps: " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))


def urls(days: int, specialists: list[int]) -> list[tuple[str, str]]:
    today = clock.today()
    week = f"opened_from={today - timedelta(days=6)}&opened_to={today}"
    mid_group = year_data.GROUP_BASE + year_data.GROUPS // 2
    specialist = specialists[len(specialists) // 2]
    cases = "/supervisor/cases/"
    return [
        ("case list", cases),
        ("case list, page 40", f"{cases}?page=40"),
        ("case list, q typical group", f"{cases}?q={mid_group}"),
        ("case list, q busiest group", f"{cases}?q={year_data.GROUP_BASE}"),
        ("case list, q case reference", f"{cases}?q=SD-000123"),
        ("case list, flow", f"{cases}?flow=arsos-routing"),
        ("case list, flow area", f"{cases}?flow=area:ec-reports"),
        ("case list, rare flow", f"{cases}?flow=noyo-member-change-rejected"),
        ("case list, disposition", f"{cases}?disposition=referred"),
        ("case list, status open", f"{cases}?status=open"),
        ("case list, status waiting", f"{cases}?status=waiting"),
        ("case list, status closed", f"{cases}?status=closed"),
        ("case list, specialist", f"{cases}?specialist={specialist}"),
        ("case list, reviewed", f"{cases}?reviewed=yes"),
        ("case list, not reviewed", f"{cases}?reviewed=no"),
        ("case list, changed", f"{cases}?changed=yes"),
        ("case list, never changed", f"{cases}?changed=no"),
        ("case list, opened this week", f"{cases}?{week}"),
        ("case list, open + flow", f"{cases}?status=open&flow=arsos-routing"),
        ("case list, specialist + week", f"{cases}?specialist={specialist}&{week}"),
        ("audit trail", "/supervisor/audit/"),
        ("audit trail, user", f"/supervisor/audit/?user={specialist}"),
        ("audit trail, area", "/supervisor/audit/?action=case."),
        ("audit trail, dates", f"/supervisor/audit/?date_from={today - timedelta(days=6)}&date_to={today}"),
        ("EC queue (open)", "/ec/queue/"),
        ("EC queue, granted", "/ec/queue/?state=granted"),
        ("EC queue, group", f"/ec/queue/?state=&group={mid_group}"),
        ("ARSOS overview (open)", "/arsos/escalations/overview/"),
        ("ARSOS overview, all", "/arsos/escalations/overview/?state="),
        ("Noyo connections", "/noyo/connections/"),
        ("Noyo connections, open", "/noyo/connections/?status=open"),
    ]


CURSOR = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH HOLD FOR ', re.IGNORECASE)
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")


def _review_one(client: Client, label: str, url: str) -> Reviewed:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        page_ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = CURSOR.sub("", query["sql"])
            if not sql.startswith("SELECT") or not any(f'"{t}"' in sql for t in BIG_TABLES):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            match = EXECUTION.search(plan)
            plans.append((float(match.group(1)) if match else 0.0, f"{sql}\n{plan}"))
    return Reviewed(label, url, page_ms, plans)


def _review(client: Client, pages: list[tuple[str, str]], without: tuple[str, ...]) -> list[Reviewed]:
    reviewed = []
    for label, url in pages:
        client.get(url)  # warm
        with transaction.atomic():
            with connection.cursor() as cursor:
                for name in without:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
            reviewed.append(_review_one(client, label, url))
            transaction.set_rollback(True)
    return reviewed


def review(client: Client, days: int, specialists: list[int], dsn: str, out: str = "") -> None:
    other_lists(dsn)
    pages = urls(days, specialists)
    before = _review(client, pages, NEW_INDEXES)
    after = _review(client, pages, ())
    print("\nindex review: each list's page time and its slowest query (EXPLAIN ANALYZE), "
          "without the review's indexes → with them")
    print(f"  {'list':<32} {'page ms':>16} {'slowest query ms':>22}  query plan's top node (after)")
    for old, new in zip(before, after, strict=True):
        top = _top_node(new)
        print(f"  {new.label:<32} {old.page_ms:>7.1f} → {new.page_ms:>6.1f} "
              f"{old.slowest_ms:>10.1f} → {new.slowest_ms:>8.1f}  {top}")
    if out:
        with open(out, "w") as every:
            for old, new in zip(before, after, strict=True):
                for when, reviewed in (("before", old), ("after", new)):
                    every.write(f"\n=== {reviewed.label} ({reviewed.url}), {when}: page {reviewed.page_ms:.1f} ms\n")
                    every.writelines(f"[{ms:.1f} ms]\n{plan}\n" for ms, plan in reviewed.plans)
        print(f"every plan, before and after: {out}")
    slowest = sorted(range(len(before)), key=lambda n: before[n].slowest_ms, reverse=True)[:SHOWN]
    for n in slowest:
        for when, reviewed in (("before", before[n]), ("after", after[n])):
            print(f"\n--- {reviewed.label} ({reviewed.url}), {when}: page {reviewed.page_ms:.1f} ms")
            for ms, plan in sorted(reviewed.plans, key=lambda p: p[0], reverse=True)[:2]:
                print(f"[{ms:.1f} ms]\n{plan}")


def _top_node(reviewed: Reviewed) -> str:
    if not reviewed.plans:
        return ""
    _ms, text = max(reviewed.plans, key=lambda p: p[0])
    nodes = [line.strip().removeprefix("->").strip().split("  (")[0]
             for line in text.splitlines()[1:] if "(cost=" in line]
    return " / ".join(nodes[:3])[:110]
