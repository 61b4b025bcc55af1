"""Requesting a connection: refused before anything is sent, saved, then sent after the commit."""

from __future__ import annotations

import pytest

from noyo_sync.models import GroupConnection, GroupConnectionEvent, SandboxGroupConnection
from noyo_sync.sandbox.faults import sandbox_fail, sandbox_recover
from noyo_sync.services import ConnectionRefused, group_connection_retry, group_connection_send
from tests.noyo_sync.make import age_sandbox, make_group, request_connection


@pytest.fixture
def no_noyo(settings):
    """Any request that reached HTTP would fail loudly: nothing listens here."""
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"


@pytest.mark.django_db
@pytest.mark.parametrize("carrier_group_id", ["98910", "9891011", "98910a", " 98910"])
def test_it_refuses_a_malformed_carrier_group_id_before_sending(specialist, no_noyo, carrier_group_id):
    with pytest.raises(ConnectionRefused) as refused:
        request_connection(specialist, carrier_group_id)
    assert "The format expected is a 6-digit string." in refused.value.reasons[0]
    assert not GroupConnection.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("unsupported", "reason"), [
    (["dental_hmo"], "Dental HMO plans"),
    (["medical_hsa_hra_fsa"], "HSA/HRA/FSA options"),
    (["salary_class_life"], "class-based life coverage"),
    (["variable_waiting_periods"], "Variable waiting periods (class- or subgroup-based)"),
])
def test_it_refuses_groups_noyo_does_not_support_with_the_seeds_reason(specialist, no_noyo, unsupported,
                                                                        reason):
    with pytest.raises(ConnectionRefused) as refused:
        request_connection(specialist, unsupported=unsupported)
    assert reason in refused.value.reasons[0] and "Noyo does not support groups with:" in refused.value.reasons[0]
    assert not GroupConnection.objects.exists()


@pytest.mark.django_db
def test_it_refuses_until_the_census_file_and_group_number_exist(specialist, no_noyo):
    with pytest.raises(ConnectionRefused) as refused:
        request_connection(specialist, census_file_sent=False, group_number_issued=False)
    assert len(refused.value.reasons) == 2
    assert not GroupConnection.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_second_connection_for_the_same_carrier_group_id(specialist, no_noyo):
    first = request_connection(specialist, "989101", send=False)
    with pytest.raises(ConnectionRefused) as refused:
        request_connection(specialist, "989101", group=make_group())
    assert "unique by carrier ID and carrier group ID" in refused.value.reasons[0]
    assert first.group.group_number in refused.value.reasons[0]
    assert GroupConnection.objects.count() == 1


@pytest.mark.django_db
def test_it_allows_a_new_request_after_noyo_refused_the_first(specialist, no_noyo):
    first = request_connection(specialist, "989101", send=False)
    GroupConnection.objects.filter(pk=first.pk).update(status="refused")
    assert request_connection(specialist, "989101", send=False).pk != first.pk


@pytest.mark.django_db
def test_it_saves_the_request_with_its_history_and_flags_300_people(specialist, no_noyo):
    connection = request_connection(specialist, "212101", people=300, existing_coverage=True, send=False)
    assert connection.status == "not_sent" and connection.needs_manual_review
    [event] = connection.events.all()
    assert event.kind == "requested" and event.user == specialist
    assert "Groups with 300+ people will be manually reviewed by Humana" in event.note
    assert "previous data transfer methods are deactivated" in event.note
    assert not request_connection(specialist, "212102", people=299, send=False).needs_manual_review


@pytest.mark.django_db(transaction=True)
def test_it_sends_the_request_to_noyo_once_it_is_committed(noyo, specialist):
    connection = request_connection(specialist, "989101")
    connection.refresh_from_db()
    sandbox = SandboxGroupConnection.objects.get()
    assert connection.status == "created" and connection.noyo_id == str(sandbox.id)
    assert sandbox.group_data == {"carrier_group_id": "989101", "group_name": connection.group_name}
    assert [e.kind for e in connection.events.all()] == ["requested", "sent"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fault", ["500", "503", "timeout"])
def test_it_keeps_the_request_waiting_when_noyo_is_unreachable(noyo, specialist, fault):
    sandbox_fail(fault, times=None, delay_seconds=1.5)
    connection = request_connection(specialist, "989101")
    connection.refresh_from_db()
    assert connection.status == "not_sent" and connection.last_error and connection.send_claimed_at is None
    sandbox_recover()
    connection = group_connection_send(connection_id=connection.pk)
    assert connection.status == "created" and connection.last_error == ""
    assert SandboxGroupConnection.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_adopts_the_connection_when_an_earlier_answer_was_lost(noyo, specialist):
    earlier = noyo.transport().create_group_connection(
        carrier_id=noyo.carrier_id, group_data={"carrier_group_id": "767101", "group_name": "X"})
    connection = request_connection(specialist, "767101")
    connection.refresh_from_db()
    assert connection.noyo_id == earlier.id and connection.status == "created"
    assert "adopted" in connection.events.get(kind="sent").note


@pytest.mark.django_db(transaction=True)
def test_it_marks_a_request_noyo_refuses_and_says_why(noyo, specialist):
    connection = request_connection(specialist, "989101", send=False)
    # A carrier Noyo does not know: 422.
    GroupConnection.objects.filter(pk=connection.pk).update(carrier_id="another-carrier")
    connection = group_connection_send(connection_id=connection.pk)
    assert connection.status == "refused" and "unknown carrier" in connection.last_error
    assert connection.events.last().kind == GroupConnectionEvent.Kind.REFUSED


@pytest.mark.django_db(transaction=True)
def test_it_does_not_send_twice_while_another_sender_holds_the_request(noyo, specialist):
    connection = request_connection(specialist, "989101", send=False)
    GroupConnection.objects.filter(pk=connection.pk).update(send_claimed_at=connection.requested_at)
    assert group_connection_send(connection_id=connection.pk).status == "not_sent"
    assert not SandboxGroupConnection.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_asks_noyo_to_retry_an_action_required_connection(noyo, specialist):
    connection = request_connection(specialist, "545101")
    with pytest.raises(ConnectionRefused):
        group_connection_retry(connection_id=connection.pk, user=specialist)  # still created
    age_sandbox(10)
    GroupConnection.objects.filter(pk=connection.pk).update(status="action_required")
    connection = group_connection_retry(connection_id=connection.pk, user=specialist)
    assert connection.status == "processing"  # Noyo answers a retry with processing
    retry = connection.events.get(kind="retried")
    assert retry.previous_status == "action_required" and retry.user == specialist
    assert SandboxGroupConnection.objects.get().retries == 1
