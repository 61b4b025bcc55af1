"""The local sandbox against Noyo's published OpenAPI, over real HTTP: every answer of every
group-connection operation validates against the vendored spec (tests/noyo_sync/contract.py), and
a bounded schemathesis pass finds no server error and no answer outside the spec's schemas.

Where Humana's documentation narrows the spec (seed 004: a 6-digit carrier group ID), the
sandbox refuses with a 4xx; that is allowed here, a 5xx or a malformed 2xx never is."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from noyo_sync.models import SandboxGroupConnection
from supportdesk import clock
from tests.noyo_sync.contract import SPEC_PATH, Recorder, check_response, spec

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1/group_connections"


def create_example() -> dict:
    """The spec's own create body (requestBody … examples.success)."""
    operation = spec().spec / "paths" / API / "post" / "requestBody" / "content" / "application/json"
    return json.loads(json.dumps((operation / "examples" / "success" / "value").read_value()))


def bearer(base_url: str, client_id: str, secret: str) -> str:
    answer = httpx.post(f"{base_url}/auth/public/token", json={"grant_type": "client_credentials"},
                        auth=(client_id, secret))
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


class SandboxClient(httpx.Client):
    """An httpx client, with what the tests read beside it."""

    recorder: Recorder
    token: str
    carrier_id: str


@pytest.fixture
def sandbox(noyo, settings):
    """An httpx client on the live sandbox, its token fetched, every exchange recorded."""
    recorder = Recorder()
    token = bearer(noyo.base_url, settings.NOYO_CLIENT_ID, settings.NOYO_CLIENT_SECRET)
    with SandboxClient(base_url=noyo.base_url, headers={"Authorization": f"Bearer {token}"},
                        event_hooks=recorder.hooks(), timeout=5) as client:
        client.recorder = recorder
        client.token = token
        client.carrier_id = noyo.carrier_id
        yield client


def body(sandbox, carrier_group_id: str, **group_data: str) -> dict:
    return {"carrier_id": sandbox.carrier_id,
            "group_data": {"carrier_group_id": carrier_group_id, "group_name": "FUSION CONTROLS INC",
                           **group_data}}


def later(clock_at, seconds: float) -> None:
    clock_at(clock.now() + dt.timedelta(seconds=seconds))


def test_it_answers_every_operation_as_the_spec_says(sandbox, clock_at):
    created = sandbox.post(API, json={
        **body(sandbox, "545101", broker_federal_ein="987654321", broker_tin="12-3456789",
               employer_email_address="benefits@fusion.example"),
        "federal_ein": "123456789", "data_exchange_configuration": "api", "ignore_eligibility": False,
    })
    assert created.status_code == 201, created.text
    connection = created.json()
    assert connection["status"] == "created" and connection["request_type"] == "initial"
    assert connection["federal_ein"] == "123456789" and "completed" not in connection
    url = f"{API}/{connection['id']}"

    seen = [connection]
    for seconds in (3, 8):  # processing at a quarter of the 8 s, settled at 8 s
        later(clock_at, seconds)
        seen.append(sandbox.get(url).json())
    assert [c["status"] for c in seen] == ["created", "processing", "action_required"]

    retried = sandbox.put(f"{url}/retry", json={"carrier_group_id": "545102", "broker_tin": "123-45-6789",
                                                "federal_ein": "111222333"})
    assert retried.status_code == 201, retried.text
    assert retried.json()["status"] == "processing"
    assert retried.json()["group_data"]["carrier_group_id"] == "545102"
    seen.append(retried.json())
    later(clock_at, 9)
    completed = sandbox.get(url).json()
    seen.append(completed)
    assert completed["status"] == "completed" and completed["completed"] == completed["modified"]
    assert completed["federal_ein"] == "111222333"

    assert len({c["version"] for c in seen}) == len(seen)  # a new version at each status change
    modified = [c["modified"] for c in seen]
    assert modified == sorted(modified) and modified[0] < modified[-1]
    assert len({c["created"] for c in seen}) == 1

    listed = sandbox.get(API, params={"carrier_id": sandbox.carrier_id, "carrier_group_id": "545102",
                                      "status": "completed,processing", "sort_by": "modified",
                                      "sort_direction": "desc", "page_size": 5, "offset": 0}).json()
    assert [c["id"] for c in listed["response"]] == [connection["id"]]
    assert listed["meta"] == {"offset": 0, "page_num": 1, "page_size": 5, "total_records": 1}

    # The 4xx answers, in Noyo's error body.
    assert sandbox.put(f"{url}/retry", json={}).status_code == 422  # completed: nothing to retry
    assert sandbox.post(API, json=body(sandbox, "545102")).status_code == 409
    assert sandbox.get(f"{API}/00000000-0000-4000-8000-000000000000").status_code == 404
    assert sandbox.get(API, params={"sort_by": "colour"}).status_code == 400

    assert sandbox.recorder.check_all() == 10


def test_it_takes_the_specs_create_example_as_far_as_humana_allows(sandbox):
    example = create_example()
    refused = sandbox.post(API, json=example)
    # The example's "10000000" has 8 digits; Humana's carrier group ID has 6 (seed 004).
    assert refused.status_code == 422 and "6-digit string" in refused.json()["message"]
    example["group_data"]["carrier_group_id"] = "100000"
    created = sandbox.post(API, json=example)
    assert created.status_code == 201, created.text
    assert created.json()["carrier_id"] == example["carrier_id"] == sandbox.carrier_id
    assert created.json()["federal_ein"] == example["federal_ein"]
    assert sandbox.recorder.check_all() == 2


@pytest.mark.parametrize(("change", "status", "named"), [
    ({"group_data": {"carrier_group_id": "989101", "group_name": "X", "federal_ein": "123456789"}},
     422, "federal_ein"),
    ({"plan_type": "hmo"}, 422, "plan_type"),
    ({"organization_id": "d61fa455-adf4-4dc4-8c57-6d779ba9475e"}, 422, "organization_id"),
    ({"carrier_id": "humana-sandbox"}, 422, "unknown carrier"),
    ({"carrier_id": "2613a221-d3c8-4c8a-86d5-e7e885fd1da9"}, 404, "unknown carrier"),
    ({"data_exchange_configuration": "fax"}, 422, "data_exchange_configuration"),
    ({"group_data": {"carrier_group_id": "989101", "group_name": "X", "employer_email_address": "no"}},
     422, "employer_email_address"),
])
def test_it_refuses_what_noyo_would_refuse_in_noyos_error_body(sandbox, change, status, named):
    refused = sandbox.post(API, json={**body(sandbox, "989101"), **change})
    assert refused.status_code == status and named in refused.json()["message"]
    check_response(refused.request, refused)  # the request itself may be outside the spec
    assert not SandboxGroupConnection.objects.exists()


@pytest.mark.parametrize("params", [
    {"sort_by": "colour"}, {"sort_direction": "sideways"}, {"page_size": "0"}, {"page_size": "ten"},
    {"offset": "-1"}, {"id": "not-a-uuid"}, {"carrier_id": "humana-sandbox"}, {"organization_id": "x"},
    {"status": "lost"}, {"carrier_group_id": "989101"}, {"carrier_group_id": "98\x0001"},
])
def test_it_refuses_a_bad_list_query_with_a_message_not_a_crash(sandbox, params):
    if "carrier_group_id" in params and "\x00" in params["carrier_group_id"]:
        params = {**params, "carrier_id": sandbox.carrier_id}
    refused = sandbox.get(API, params=params)
    assert refused.status_code == 400, refused.text
    check_response(refused.request, refused)


def test_it_sorts_and_filters_the_list_as_the_spec_says(sandbox, clock_at):
    ids = {}
    for carrier_group_id in ("767001", "100002", "989003"):
        ids[carrier_group_id] = sandbox.post(API, json=body(sandbox, carrier_group_id)).json()["id"]
        later(clock_at, 1)
    later(clock_at, 10)  # all settled: waiting_on_carrier, completed, noyo_review

    def listed(**params: object) -> list[str]:
        answer = sandbox.get(API, params=params)
        assert answer.status_code == 200, answer.text
        return [c["group_data"]["carrier_group_id"] for c in answer.json()["response"]]

    assert listed() == ["767001", "100002", "989003"]
    assert listed(sort_by="created", sort_direction="desc") == ["989003", "100002", "767001"]
    assert listed(sort_by="status") == ["100002", "989003", "767001"]
    assert listed(sort_by="modified", sort_direction="desc")[0] == "989003"
    assert listed(status="noyo_review,completed", sort_by="status", sort_direction="desc") == ["989003", "100002"]
    assert listed(id=f"{ids['767001']},{ids['989003']}") == ["767001", "989003"]
    assert listed(organization_id="00000000-0000-4000-8000-00000000beef") == ["767001", "100002", "989003"]
    assert listed(organization_id="d61fa455-adf4-4dc4-8c57-6d779ba9475e") == []
    assert listed(carrier_id="2613a221-d3c8-4c8a-86d5-e7e885fd1da9") == []
    assert listed(page_size=2, offset=2) == ["989003"]
    page = sandbox.get(API, params={"page_size": 2, "offset": 2}).json()["meta"]
    assert page == {"offset": 2, "page_num": 2, "page_size": 2, "total_records": 3}
    assert sandbox.recorder.check_all() > 0


# --- schemathesis -----------------------------------------------------------------------------

MAX_EXAMPLES = 25
HYPOTHESIS = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
CHECKS = [not_a_server_error, response_schema_conformance]
OPERATIONS = [(API, "GET"), (API, "POST"), (f"{API}/{{connection_id}}", "GET"),
              (f"{API}/{{connection_id}}/retry", "PUT")]


def _six_digits(case) -> str:
    """A carrier group ID Humana takes, stable for the case (derandomized runs stay the same)."""
    return str(100000 + int(hashlib.sha256(repr(case.body).encode()).hexdigest(), 16) % 900000)


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_spec(noyo, settings):
    started = time.monotonic()
    token = bearer(noyo.base_url, settings.NOYO_CLIENT_ID, settings.NOYO_CLIENT_SECRET)
    auth = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_path(SPEC_PATH)
    statuses: list[int] = []

    def call(case, checks=CHECKS) -> None:
        response = case.call_and_validate(base_url=noyo.base_url, headers=auth, checks=checks)
        assert response.status_code < 500
        statuses.append(response.status_code)

    # A connection to read and retry, waiting for a retry (action_required).
    waiting = httpx.post(f"{noyo.base_url}{API}", headers=auth, json={
        "carrier_id": noyo.carrier_id, "group_data": {"carrier_group_id": "545999", "group_name": "X"}})
    SandboxGroupConnection.objects.update(processing_at=clock.now(), settles_at=clock.now())
    known = {"connection_id": waiting.json()["id"]}

    passes = [
        (schema[API]["GET"].as_strategy(), None),
        (schema[API]["POST"].as_strategy(), None),  # mostly unknown carriers and IDs: 404, 422
        (schema[API]["POST"].as_strategy(), "ours"),  # our carrier, a 6-digit ID: 201 or 409
        (schema[f"{API}/{{connection_id}}"]["GET"].as_strategy(), None),
        (schema[f"{API}/{{connection_id}}"]["GET"].as_strategy(path_parameters=known), None),
        (schema[f"{API}/{{connection_id}}/retry"]["PUT"].as_strategy(), None),
        (schema[f"{API}/{{connection_id}}/retry"]["PUT"].as_strategy(path_parameters=known), None),
    ]
    def run(strategy, ours: bool = False, checks=CHECKS) -> None:
        @HYPOTHESIS
        @given(case=strategy)
        def each(case) -> None:
            if ours and isinstance(case.body, dict):
                group_data = case.body.get("group_data")
                case.body = {**case.body, "carrier_id": noyo.carrier_id}
                if isinstance(group_data, dict):
                    case.body["group_data"] = {**group_data, "carrier_group_id": _six_digits(case)}
            call(case, checks)

        each()

    for strategy, variant in passes:
        run(strategy, ours=variant == "ours")
    # Data outside the spec (wrong types, missing fields): refused, never a crash.
    for path, method in OPERATIONS:
        run(schema[path][method].as_strategy(GenerationMode.NEGATIVE), checks=[not_a_server_error])

    assert len(statuses) >= len(passes) * 5, statuses
    assert {200, 201, 404, 422} <= set(statuses), sorted(set(statuses))
    assert time.monotonic() - started < 60
