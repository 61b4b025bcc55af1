"""Specialists writing cases at the same moment lose no count: each writer's upsert adds to the
shared counters atomically, and writes that move the same counters in opposite directions (one
case closing, another reopening) wait for each other instead of deadlocking.

These tests commit (transaction=True): the racing threads use their own database connections.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from supportdesk import services
from supportdesk.engine import registry
from supportdesk.rollups import rebuild
from tests.factories import make_case
from tests.rollup_walk import rollup_rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL"),
]

PRE_SALE = [("sale_stage", {"choice": "pre_sale"})]  # ends the case at once
THREADS, CASES_EACH = 4, 5


def test_it_keeps_every_count_when_specialists_write_at_once(specialist, other_specialist):
    flow = registry.get("arsos-routing")
    closed = [make_case(user, answers=PRE_SALE) for user in (specialist, other_specialist)]
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        user = (specialist, other_specialist)[n % 2]
        try:
            start.wait()
            if n < 2:  # reopen a closed case while the others open and close theirs
                services.case_back(case=closed[n], user=user)
            for _ in range(CASES_EACH):
                case = services.case_open(flow=flow, user=user)
                services.case_answer(case=case, user=user, step_key="sale_stage",
                                     data={"choice": "pre_sale"})
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    kept = rollup_rows()
    rebuild()
    assert rollup_rows() == kept
    for grain in (False, True):  # the day rows, and the month rows that count the same
        assert sum(n for month, *_key, n in kept["case"] if month is grain) == 2 + THREADS * CASES_EACH
