"""The weekly batch task on a real Celery worker and a real Redis broker, and two runs racing.

These tests commit (transaction=True): the worker thread and the racing threads use their own
database connections, which only see committed rows.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection

from ec_access.models import ECBatchRun, ECRequest, ECRequestEvent
from ec_access.services import batch as batch_service
from ec_access.services import ec_batch_run
from ec_access.tasks import run_weekly_ec_batch
from supportdesk.celery import app as celery_app
from tests.ec_access.make import make_eligible_group, make_group, make_product

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = dt.date(2026, 11, 16)
WEEK_START = dt.date(2026, 11, 9)
WEDNESDAY = dt.date(2026, 11, 11)
TIMEOUT_S = 30


def wait_until(condition, what):
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {TIMEOUT_S} s waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def worker():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "run under scripts/testenv.py"
    finished = []

    def note(sender=None, task_id=None, **kwargs):
        if getattr(sender, "name", None) == run_weekly_ec_batch.name:
            finished.append(task_id)

    task_postrun.connect(note, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield finished
    finally:
        task_postrun.disconnect(note)


@pytest.fixture
def new_groups():
    make_eligible_group(group_number="100001", portal_registered_on=WEDNESDAY)
    make_eligible_group(group_number="100002", portal_registered_on=dt.date(2026, 11, 15))
    dental = make_group("100003", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")


def test_it_runs_last_weeks_batch_on_the_worker_and_a_second_delivery_changes_nothing(
    worker, on_day, new_groups
):
    on_day(MONDAY)  # the Monday beat fires; timezone.localdate() is patched for the worker thread too
    task_id = str(uuid.uuid4())

    run_weekly_ec_batch.apply_async(task_id=task_id)
    wait_until(ECBatchRun.objects.exists, "the batch run")
    wait_until(lambda: len(worker) == 1, "the task to finish")
    run = ECBatchRun.objects.get()
    assert (run.week_start, run.trigger, run.started_by) == (WEEK_START, "beat", None)
    assert (run.groups_seen, run.queued_count, run.ineligible_count) == (3, 2, 1)
    requests = ECRequest.objects.count()
    assert requests == 2 and ECRequestEvent.objects.count() == 2

    run_weekly_ec_batch.apply_async(task_id=task_id)  # the same message delivered again
    run_weekly_ec_batch.delay()  # and the task sent a second time
    wait_until(lambda: len(worker) == 3, "the repeated deliveries to finish")

    assert ECBatchRun.objects.count() == 1
    assert ECRequest.objects.count() == requests and ECRequestEvent.objects.count() == requests
    assert ECBatchRun.objects.get().finished_at == run.finished_at


def test_it_lets_exactly_one_of_two_concurrent_runs_create_the_week(monkeypatch, new_groups):
    # Both runs pass the "already ran?" check before either inserts: the unique week_start makes the
    # second insert wait for the first to commit, then fail; that run rolls back and reports it.
    both_checked = threading.Barrier(2, timeout=TIMEOUT_S)

    def nothing_yet(week_start):
        both_checked.wait()
        return None

    monkeypatch.setattr(batch_service, "_finished_run", nothing_yet)
    results, errors = [], []

    def run_batch():
        try:
            results.append(ec_batch_run(week_of=WEDNESDAY, trigger="command", today=MONDAY))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_batch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert errors == []
    assert sorted(result.created for result in results) == [False, True]
    assert results[0].run.pk == results[1].run.pk
    assert results[0].counts == results[1].counts
    assert ECBatchRun.objects.count() == 1
    assert ECRequest.objects.count() == 2 and ECRequestEvent.objects.count() == 2
