"""The client against Noyo's published contract, not against our sandbox: every request it sends
is validated against the vendored OpenAPI, its token goes to the host Noyo documents, and it
copes with what the spec allows (a list without total_records). The stub answers with the
spec's own examples."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from noyo_sync.transport import ACCOUNTS_TOKEN_URL, NoyoTransport, token_url
from tests.noyo_sync.contract import Recorder, check_request, spec

CARRIER = "8fac0992-933a-4743-8dab-0d606ef2569e"


def example(path: str, method: str, status: str) -> dict:
    operation = spec().spec / "paths" / path / method / "responses" / status
    return dict((operation / "content" / "application/json" / "example").read_value())


RESULT = {**example("/api/v1/group_connections/{connection_id}", "get", "200"),
          "setup_metadata": {}, "status": "processing"}


class StubNoyo:
    """Noyo at its published hosts: the accounts host issues tokens, fulfillment answers."""

    def __init__(self, pages: list[list[dict]] | None = None, meta: Callable[[int, int], dict] | None = None):
        self.requests: list[httpx.Request] = []
        self.pages = pages or [[RESULT]]
        self.meta = meta or (lambda offset, size: {"offset": offset, "page_num": 1, "page_size": size})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if str(request.url) == ACCOUNTS_TOKEN_URL:
            return httpx.Response(200, json={"access_token": "t0k", "expires_in": 600_000})
        assert request.url.host == "fulfillment.noyo.com", request.url
        if request.method == "POST":
            return httpx.Response(201, json={**RESULT, "status": "created"})
        if request.url.path.endswith("/retry"):
            return httpx.Response(201, json=RESULT)
        if request.url.path == "/api/v1/group_connections":
            offset = int(request.url.params.get("offset", 0))
            size = int(request.url.params.get("page_size", 20))
            index = offset // size
            page = self.pages[index] if index < len(self.pages) else []
            return httpx.Response(200, json={"meta": self.meta(offset, size), "response": page})
        return httpx.Response(200, json=RESULT)


@pytest.fixture
def real_noyo(settings):
    settings.NOYO_TOKEN_URL = ""
    stub = StubNoyo()
    recorder = Recorder()
    transport = NoyoTransport.from_settings(base_url="https://fulfillment.noyo.com",
                                            http_transport=httpx.MockTransport(stub),
                                            event_hooks=recorder.hooks())
    transport.stub, transport.recorder = stub, recorder  # type: ignore[attr-defined]  # for the tests to read
    yield transport
    transport.close()


def test_tokens_come_from_noyos_accounts_host_and_the_sandbox_issues_its_own(settings):
    settings.NOYO_TOKEN_URL = ""
    assert token_url("https://fulfillment.noyo.com") == "https://accounts.noyo.com/auth/public/token"
    assert token_url("https://fulfillment-sandbox.noyo.com") == ACCOUNTS_TOKEN_URL
    assert token_url("http://127.0.0.1:8000/noyo/sandbox/") == (
        "http://127.0.0.1:8000/noyo/sandbox/auth/public/token")
    settings.NOYO_TOKEN_URL = "https://accounts.example/token"
    assert token_url("https://fulfillment.noyo.com") == "https://accounts.example/token"


def test_every_call_it_makes_follows_the_spec(real_noyo):
    created = real_noyo.create_group_connection(
        carrier_id=CARRIER, federal_ein="123456789",
        group_data={"carrier_group_id": "989101", "group_name": "FUSION CONTROLS INC",
                    "broker_federal_ein": "987654321"})
    real_noyo.get_group_connection(created.id)
    real_noyo.list_group_connections(carrier_id=CARRIER, statuses=("processing", "created"))
    real_noyo.retry_group_connection(created.id)
    real_noyo.retry_group_connection(created.id, carrier_group_id="989102")
    assert real_noyo.recorder.check_all() == 5
    token, create = real_noyo.stub.requests[:2]
    assert str(token.url) == ACCOUNTS_TOKEN_URL and token.headers["authorization"].startswith("Basic ")
    assert create.headers["authorization"] == "Bearer t0k"


def test_the_employer_ein_goes_at_the_top_level_of_the_create_body(real_noyo):
    real_noyo.create_group_connection(carrier_id=CARRIER, federal_ein="123456789",
                                      group_data={"carrier_group_id": "989101", "group_name": "X"})
    body = json.loads(real_noyo.stub.requests[-1].content)
    assert body["federal_ein"] == "123456789" and "federal_ein" not in body["group_data"]


@pytest.mark.parametrize("body", [
    {"carrier_id": "humana-sandbox", "group_data": {"carrier_group_id": "989101", "group_name": "X"}},
    {"carrier_id": CARRIER, "group_data": {"carrier_group_id": "989101"}},
    {"group_data": {"carrier_group_id": "989101", "group_name": "X"}},
], ids=["carrier not a uuid", "no group name", "no carrier"])
def test_the_contract_check_refuses_what_the_spec_refuses(body):
    """Not vacuous: bodies the spec refuses (our old carrier ID among them) fail the check."""
    request = httpx.Request("POST", "https://fulfillment.noyo.com/api/v1/group_connections", json=body)
    with pytest.raises(Exception, match="validation error"):
        check_request(request)


def test_it_pages_on_when_the_meta_has_no_total_records(real_noyo):
    """The spec's meta requires offset, page_num and page_size only: a full page means more."""
    rows = [{**RESULT, "id": f"dd9a1813-34f7-4c7e-86bc-f041f2cbd9{n:02d}"} for n in range(5)]
    real_noyo.stub.pages = [rows[:2], rows[2:4], rows[4:]]
    seen, offset = [], 0
    while offset is not None:
        page = real_noyo.list_group_connections(carrier_id=CARRIER, offset=offset, page_size=2)
        assert page.total is None
        seen += [connection.id for connection in page.connections]
        offset = page.next_offset
    assert seen == [row["id"] for row in rows]
    assert real_noyo.recorder.check_all() == 3


def test_it_stops_on_an_empty_page_after_a_full_one(real_noyo):
    rows = [{**RESULT, "id": f"dd9a1813-34f7-4c7e-86bc-f041f2cbd9{n:02d}"} for n in range(2)]
    real_noyo.stub.pages = [rows]
    first = real_noyo.list_group_connections(carrier_id=CARRIER, page_size=2)
    assert first.next_offset == 2
    assert real_noyo.list_group_connections(carrier_id=CARRIER, offset=2, page_size=2).next_offset is None


@pytest.mark.django_db
def test_the_poller_asks_only_for_what_can_still_change_and_sees_a_retry_made_at_noyo(
    real_noyo, specialist
):
    """Unable to connect is watched too: a retry made in Noyo's Command Center moves it on."""
    from noyo_sync.models import GroupConnection
    from noyo_sync.services import poll_group_connections
    from tests.noyo_sync.make import request_connection

    connection = request_connection(specialist, "323101", send=False)
    GroupConnection.objects.filter(pk=connection.pk).update(noyo_id=RESULT["id"],
                                                           status="unable_to_connect")
    run = poll_group_connections(transport=real_noyo)
    assert (run.outcome, run.changed) == ("ok", 1)
    connection.refresh_from_db()
    assert connection.status == "processing"
    [listing] = [r for r in real_noyo.stub.requests if r.method == "GET"]
    statuses = set(listing.url.params["status"].split(","))
    assert "unable_to_connect" in statuses and "processing" in statuses
    assert "completed" not in statuses
    assert real_noyo.recorder.check_all() == 1
