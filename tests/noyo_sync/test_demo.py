"""The demo connections: one per sandbox status, idempotent, and the first poll moves one."""

from __future__ import annotations

import datetime as dt

import pytest

from ec_access.demo import load_ec_demo
from noyo_sync.demo import DEMO_CONNECTIONS, load_noyo_sync_demo
from noyo_sync.models import GroupConnection, GroupConnectionEvent, SandboxGroupConnection
from noyo_sync.services import poll_group_connections

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _on_the_demo_day(on_day):
    on_day(TODAY)  # the demo's connections were sent two days before it, and have settled


@pytest.mark.django_db
def test_it_loads_one_connection_per_sandbox_status_once(specialist):
    load_ec_demo(TODAY)
    assert "5 connection(s) created" in load_noyo_sync_demo(TODAY)
    assert "0 connection(s) created, 5 already there" in load_noyo_sync_demo(TODAY)
    assert GroupConnection.objects.count() == SandboxGroupConnection.objects.count() == len(DEMO_CONNECTIONS)
    statuses = dict(GroupConnection.objects.values_list("carrier_group_id", "status"))
    assert statuses == {carrier_group_id: status for _, carrier_group_id, _, status in DEMO_CONNECTIONS}


@pytest.mark.django_db
def test_it_needs_a_specialist():
    assert "skipped" in load_noyo_sync_demo(TODAY)
    assert not GroupConnection.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_gives_the_first_poll_something_to_record(noyo, specialist):
    load_ec_demo(TODAY)
    load_noyo_sync_demo(TODAY)
    run = poll_group_connections(sleep=lambda seconds: None)
    assert run.outcome == "ok" and run.changed == 1
    assert GroupConnectionEvent.objects.get(poll_run=run).status == "noyo_review"
