"""The Noyo client against the local sandbox over real HTTP (the live server)."""

from __future__ import annotations

import logging

import pytest

from noyo_sync.models import SandboxAccessToken, SandboxGroupConnection
from noyo_sync.sandbox.faults import sandbox_fail
from noyo_sync.transport import NoyoConflict, NoyoRefused, NoyoUnavailable

pytestmark = pytest.mark.django_db(transaction=True)


def group_data(carrier_group_id: str = "989101", **more: str) -> dict[str, str]:
    return {"carrier_group_id": carrier_group_id, "group_name": "FUSION CONTROLS INC", **more}


def test_it_creates_a_connection_with_a_bearer_token_it_fetched_once(noyo):
    transport = noyo.transport()
    created = transport.create_group_connection(carrier_id=noyo.carrier_id,
                                                group_data=group_data(), federal_ein="123456789")
    again = transport.get_group_connection(created.id)
    assert created.status == "created" and created.carrier_group_id == "989101"
    assert again.id == created.id and again.carrier_id == noyo.carrier_id
    assert SandboxAccessToken.objects.count() == 1  # cached for the second call
    assert SandboxGroupConnection.objects.get().federal_ein == "123456789"  # top level, as the spec


def test_it_shares_the_token_between_transports_until_it_is_refused(noyo):
    noyo.transport().list_group_connections()
    noyo.transport().list_group_connections()
    assert SandboxAccessToken.objects.count() == 1
    SandboxAccessToken.objects.all().delete()  # revoked on Noyo's side: 401, fetch again once
    noyo.transport().list_group_connections()
    assert SandboxAccessToken.objects.count() == 1


def test_it_refuses_bad_credentials_without_saying_them(noyo, caplog):
    caplog.set_level(logging.DEBUG)
    transport = noyo.transport(client_secret="wrong-secret-value")
    with pytest.raises(NoyoRefused) as refused:
        transport.list_group_connections()
    assert refused.value.status == 401
    assert "wrong-secret-value" not in str(refused.value) and "wrong-secret-value" not in repr(transport)


def test_it_never_logs_credentials_or_tokens(noyo, caplog, settings):
    settings.NOYO_CLIENT_ID, settings.NOYO_CLIENT_SECRET = "client-7f3a", "s3cret-9e1b-value"
    caplog.set_level(logging.DEBUG)
    transport = noyo.transport()
    transport.create_group_connection(carrier_id=noyo.carrier_id, group_data=group_data())
    transport.list_group_connections(carrier_id=noyo.carrier_id)
    assert caplog.records, "the test must see the client's logs"
    assert settings.NOYO_CLIENT_SECRET not in caplog.text and "client-7f3a" not in caplog.text
    assert "Bearer" not in caplog.text and "Basic" not in caplog.text


def test_it_reports_a_duplicate_as_a_conflict(noyo):
    transport = noyo.transport()
    transport.create_group_connection(carrier_id=noyo.carrier_id, group_data=group_data("767101"))
    with pytest.raises(NoyoConflict) as conflict:
        transport.create_group_connection(carrier_id=noyo.carrier_id, group_data=group_data("767101"))
    assert conflict.value.status == 409 and "already exists" in conflict.value.message
    assert SandboxGroupConnection.objects.count() == 1


@pytest.mark.parametrize("carrier_group_id", ["98910", "9891011", "98910a"])
def test_it_reports_a_bad_carrier_group_id_as_refused(noyo, carrier_group_id):
    with pytest.raises(NoyoRefused) as refused:
        noyo.transport().create_group_connection(carrier_id=noyo.carrier_id,
                                                 group_data=group_data(carrier_group_id))
    assert refused.value.status == 422 and "6-digit string" in refused.value.message
    assert not SandboxGroupConnection.objects.exists()


def test_it_pages_and_filters_the_list(noyo):
    transport = noyo.transport()
    for carrier_group_id in ("989001", "989002", "767003", "545004", "323005"):
        transport.create_group_connection(carrier_id=noyo.carrier_id, group_data=group_data(carrier_group_id))
    first = transport.list_group_connections(carrier_id=noyo.carrier_id, page_size=2)
    second = transport.list_group_connections(carrier_id=noyo.carrier_id, page_size=2, offset=first.next_offset)
    last = transport.list_group_connections(carrier_id=noyo.carrier_id, page_size=2, offset=second.next_offset)
    seen = [c.carrier_group_id for page in (first, second, last) for c in page.connections]
    assert seen == ["989001", "989002", "767003", "545004", "323005"]
    assert first.total == 5 and last.next_offset is None
    one = transport.list_group_connections(carrier_id=noyo.carrier_id, carrier_group_id="767003")
    assert [c.carrier_group_id for c in one.connections] == ["767003"]
    assert transport.list_group_connections(statuses=("created",)).total == 5
    assert transport.list_group_connections(statuses=("completed",)).total == 0


def test_it_asks_noyo_to_retry_only_where_noyo_allows_it(noyo):
    transport = noyo.transport()
    created = transport.create_group_connection(carrier_id=noyo.carrier_id, group_data=group_data("545101"))
    with pytest.raises(NoyoRefused) as refused:
        transport.retry_group_connection(created.id)
    assert refused.value.status == 422
    SandboxGroupConnection.objects.update(final_status="action_required",
                                          settles_at=SandboxGroupConnection.objects.get().submitted_at)
    retried = transport.retry_group_connection(created.id)
    assert retried.status == "processing"  # Noyo answers a retry with processing
    assert SandboxGroupConnection.objects.get().final_status == "completed"


def test_it_treats_a_500_as_unavailable(noyo):
    transport = noyo.transport()
    transport.list_group_connections()
    sandbox_fail("500")
    with pytest.raises(NoyoUnavailable) as unavailable:
        transport.list_group_connections()
    assert unavailable.value.status == 500 and unavailable.value.retry_after is None


@pytest.mark.parametrize("kind", ["503", "429"])
def test_it_reads_retry_after_from_a_503_or_429(noyo, kind):
    transport = noyo.transport()
    transport.list_group_connections()
    sandbox_fail(kind, retry_after=7)
    with pytest.raises(NoyoUnavailable) as unavailable:
        transport.list_group_connections()
    assert unavailable.value.status == int(kind) and unavailable.value.retry_after == 7


def test_it_gives_up_waiting_after_its_timeout(noyo):
    transport = noyo.transport(timeout=0.3)
    transport.list_group_connections()
    sandbox_fail("timeout", delay_seconds=1.0)
    with pytest.raises(NoyoUnavailable) as unavailable:
        transport.list_group_connections()
    assert "did not answer within 0.3 seconds" in unavailable.value.message


def test_it_treats_an_unreachable_noyo_as_unavailable(noyo):
    transport = noyo.transport(base_url="http://127.0.0.1:9", token_url="http://127.0.0.1:9/token")
    with pytest.raises(NoyoUnavailable):
        transport.list_group_connections()


def test_it_treats_a_failing_auth_endpoint_as_unavailable(noyo):
    sandbox_fail("503", retry_after=3)
    with pytest.raises(NoyoUnavailable) as unavailable:
        noyo.transport().list_group_connections()
    assert unavailable.value.retry_after == 3
