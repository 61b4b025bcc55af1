"""The poller: records only changes, idempotent, and keeps every status through an outage."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from noyo_sync import tasks
from noyo_sync.models import GroupConnection, GroupConnectionEvent, PollRun, SandboxGroupConnection
from noyo_sync.sandbox.faults import sandbox_fail, sandbox_recover
from noyo_sync.services import group_connection_refresh, noyo_health, poll_group_connections
from tests.noyo_sync.make import age_sandbox, request_connection

pytestmark = pytest.mark.django_db(transaction=True)

PREFIXES = {"989101": "noyo_review", "767101": "waiting_on_carrier", "545101": "action_required",
            "323101": "unable_to_connect", "212101": "carrier_authorization"}


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def connections(noyo, specialist):
    made = [request_connection(specialist, carrier_group_id) for carrier_group_id in PREFIXES]
    assert all(c.status == "created" for c in GroupConnection.objects.all())
    return made


def statuses() -> dict[str, str]:
    return dict(GroupConnection.objects.values_list("carrier_group_id", "status"))


def test_it_records_each_prefixs_status_once_with_the_poll_that_saw_it(connections):
    age_sandbox(10)
    run = poll_group_connections(page_size=2, sleep=Sleeps())
    assert run.outcome == "ok" and run.pages == 3 and run.seen == 5 and run.changed == 5
    assert statuses() == PREFIXES
    events = GroupConnectionEvent.objects.filter(kind="status")
    assert events.count() == 5 and {e.poll_run_id for e in events} == {run.pk}
    assert {e.previous_status for e in events} == {"created"}

    again = poll_group_connections(page_size=2, sleep=Sleeps())
    assert again.outcome == "ok" and again.changed == 0
    assert GroupConnectionEvent.objects.filter(kind="status").count() == 5  # nothing recorded twice


def test_it_sees_the_progression_through_processing(connections):
    age_sandbox(2.5)
    poll_group_connections(sleep=Sleeps())
    assert set(statuses().values()) == {"processing"}
    age_sandbox(10)
    poll_group_connections(sleep=Sleeps())
    assert statuses() == PREFIXES
    history = list(GroupConnectionEvent.objects.filter(connection=connections[0], kind="status")
                   .values_list("previous_status", "status"))
    assert history == [("created", "processing"), ("processing", "noyo_review")]


def test_it_stops_watching_closed_connections(connections):
    age_sandbox(10)
    poll_group_connections(sleep=Sleeps())
    GroupConnection.objects.exclude(carrier_group_id="989101").update(status="completed")
    GroupConnection.objects.filter(carrier_group_id="989101").update(status="completed")
    run = poll_group_connections(sleep=Sleeps())
    assert run.pages == 0 and run.seen == 0  # nothing open: Noyo is not even asked


@pytest.mark.parametrize("fault", ["500", "timeout"])
def test_it_keeps_every_status_through_an_outage_and_catches_up_after(connections, fault):
    age_sandbox(10)
    sandbox_fail(fault, times=None, delay_seconds=1.5)
    sleeps = Sleeps()
    run = poll_group_connections(sleep=sleeps)
    assert run.outcome == "outage" and run.error and run.retries == 3
    assert sleeps == [1.0, 2.0, 4.0]  # backoff
    assert set(statuses().values()) == {"created"}  # never marked failed
    assert not GroupConnectionEvent.objects.filter(kind="status").exists()
    assert noyo_health()["down_since"] == run.started_at

    sandbox_recover()
    recovered = poll_group_connections(sleep=Sleeps())
    assert recovered.outcome == "ok" and statuses() == PREFIXES
    assert noyo_health()["down_since"] is None


def test_it_rides_out_a_short_outage_with_backoff(connections):
    age_sandbox(10)
    poll_group_connections(sleep=Sleeps())  # warms the token
    sandbox_fail("503", times=2, retry_after=5)
    GroupConnection.objects.update(status="processing")
    sleeps = Sleeps()
    run = poll_group_connections(sleep=sleeps)
    assert run.outcome == "ok" and run.retries == 2 and statuses() == PREFIXES
    assert sleeps == [5.0, 5.0]  # Retry-After is longer than the backoff: it wins


def test_it_loses_nothing_when_noyo_fails_half_way(connections):
    age_sandbox(10)
    poll_group_connections(page_size=2, sleep=Sleeps())  # warms the token, records all five
    GroupConnection.objects.update(status="processing")  # pretend we had missed the change
    sandbox_fail("500", times=None, after=1)  # the first page answers, then Noyo is down
    run = poll_group_connections(page_size=2, sleep=Sleeps())
    assert run.outcome == "outage" and run.pages == 1 and run.changed == 2
    assert sorted(statuses().values()).count("processing") == 3
    sandbox_recover()
    assert poll_group_connections(page_size=2, sleep=Sleeps()).changed == 3
    assert statuses() == PREFIXES


def test_it_sends_requests_that_waited_for_noyo(noyo, specialist):
    sandbox_fail("500", times=None)
    connection = request_connection(specialist, "989101")
    assert GroupConnection.objects.get(pk=connection.pk).status == "not_sent"
    assert poll_group_connections(sleep=Sleeps()).outcome == "outage"
    sandbox_recover()
    run = poll_group_connections(sleep=Sleeps())
    assert run.sent == 1 and GroupConnection.objects.get(pk=connection.pk).status == "created"
    assert connection.events.get(kind="sent").poll_run_id == run.pk


def test_it_keeps_an_unknown_status(connections):
    age_sandbox(10)
    SandboxGroupConnection.objects.update(final_status="connecting")  # not a status we know
    run = poll_group_connections(sleep=Sleeps())
    assert run.outcome == "ok" and run.changed == 0 and set(statuses().values()) == {"created"}


def test_it_runs_as_the_beat_task_and_as_a_command(connections, capsys, settings):
    settings.NOYO_BACKOFF_SECONDS = 0.01
    age_sandbox(10)
    result = tasks.poll_group_connections.run()
    assert result["outcome"] == "ok" and result["changed"] == 5
    assert PollRun.objects.get(pk=result["poll_run"]).trigger == "beat"
    call_command("noyo_poll")
    assert "0 changed" in capsys.readouterr().out
    sandbox_fail("500", times=None)
    with pytest.raises(CommandError, match="Statuses were kept"):
        call_command("noyo_poll")


def test_it_checks_one_connection_now(connections, specialist):
    age_sandbox(10)
    run = group_connection_refresh(connection_id=connections[0].pk, user=specialist)
    assert run.outcome == "ok" and run.changed == 1 and run.trigger == "page"
    event = connections[0].events.get(kind="status")
    assert event.status == "noyo_review" and event.user == specialist
    sandbox_fail("503", times=None)
    failed = group_connection_refresh(connection_id=connections[1].pk, user=specialist)
    assert failed.outcome == "outage"
    assert GroupConnection.objects.get(pk=connections[1].pk).status == "created"
