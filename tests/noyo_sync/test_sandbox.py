"""The local sandbox itself: the seed's status per prefix within 10 seconds, uniqueness, format,
machine-to-machine access, and being told to fail."""

from __future__ import annotations

import base64
import datetime as dt
import importlib
import time

import pytest
from django.apps import apps
from django.urls import reverse

from noyo_sync.models import GroupConnection, SandboxFault, SandboxGroupConnection
from noyo_sync.sandbox.faults import sandbox_fail, sandbox_recover
from supportdesk import clock
from tests.noyo_sync.make import age_sandbox, request_connection

pytestmark = pytest.mark.django_db

CONNECTIONS = "/noyo/sandbox/api/v1/group_connections"


@pytest.fixture
def api(client, settings):
    settings.NOYO_SANDBOX_ENABLED = True
    basic = base64.b64encode(f"{settings.NOYO_CLIENT_ID}:{settings.NOYO_CLIENT_SECRET}".encode()).decode()
    token = client.post("/noyo/sandbox/auth/public/token", {"grant_type": "client_credentials"},
                        content_type="application/json", HTTP_AUTHORIZATION=f"Basic {basic}").json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token['access_token']}"}

    class Api:
        carrier_id = settings.NOYO_CARRIER_ID

        def create(self, carrier_group_id: str, *, top: dict | None = None, **group_data: str):
            body = {"carrier_id": settings.NOYO_CARRIER_ID,
                    "group_data": {"carrier_group_id": carrier_group_id, "group_name": "ACME", **group_data},
                    **(top or {})}
            return client.post(CONNECTIONS, body, content_type="application/json", **auth)

        def retry(self, connection_id: str, body: object = None):
            return client.put(f"{CONNECTIONS}/{connection_id}/retry", body if body is not None else {},
                              content_type="application/json", **auth)

        def get(self, connection_id: str):
            return client.get(f"{CONNECTIONS}/{connection_id}", **auth)

        def list(self, **params: str):
            return client.get(CONNECTIONS, params, **auth)

    return Api()


@pytest.mark.parametrize(("carrier_group_id", "resulting"), [
    ("989101", "noyo_review"),
    ("767101", "waiting_on_carrier"),
    ("545101", "action_required"),
    ("323101", "unable_to_connect"),
    ("212101", "carrier_authorization"),
    ("100101", "completed"),
])
def test_it_moves_each_prefix_to_its_status_within_10_seconds(api, carrier_group_id, resulting):
    created = api.create(carrier_group_id)
    assert created.status_code == 201
    connection_id = created.json()["id"]
    assert created.json()["status"] == "created"
    row = SandboxGroupConnection.objects.get()
    assert row.settles_at - row.submitted_at <= dt.timedelta(seconds=10)
    assert row.processing_at < row.settles_at

    age_sandbox((row.processing_at - row.submitted_at).total_seconds())
    assert api.get(connection_id).json()["status"] == "processing"
    age_sandbox(10)
    assert api.get(connection_id).json()["status"] == resulting
    listed = api.list(carrier_id=api.carrier_id, status=resulting).json()
    assert [c["id"] for c in listed["response"]] == [connection_id]


def test_it_reaches_the_status_on_its_own_as_time_passes(api, settings):
    settings.NOYO_SANDBOX_SETTLE_SECONDS = 0.6
    connection_id = api.create("767555").json()["id"]
    time.sleep(0.8)
    assert api.get(connection_id).json()["status"] == "waiting_on_carrier"


def test_it_never_takes_longer_than_the_seeds_10_seconds(api, settings):
    settings.NOYO_SANDBOX_SETTLE_SECONDS = 60
    api.create("989101")
    row = SandboxGroupConnection.objects.get()
    assert row.settles_at - row.submitted_at == dt.timedelta(seconds=10)


def test_it_keeps_connections_unique_by_carrier_and_carrier_group_id(api):
    assert api.create("989101").status_code == 201
    again = api.create("989101")
    assert again.status_code == 409
    assert again.json() == {"message": again.json()["message"], "status": 409}
    assert api.create("989102").status_code == 201  # the final digits iterate the test
    assert SandboxGroupConnection.objects.count() == 2


@pytest.mark.parametrize("carrier_group_id", ["98910", "9891011", "98910a", "", 989101])
def test_it_refuses_a_carrier_group_id_that_is_not_a_6_digit_string(api, carrier_group_id):
    refused = api.create(carrier_group_id)
    assert refused.status_code == 422
    assert "6-digit string" in refused.json()["message"]
    assert not SandboxGroupConnection.objects.exists()


def test_it_refuses_unknown_fields_and_a_missing_group_name(api, client, settings):
    assert api.create("989101", plan_type="hmo").status_code == 422
    assert api.create("989101", federal_ein="12-345").status_code == 422
    assert api.list(page_size="0").status_code == 400
    assert api.list(carrier_group_id="989101").status_code == 400  # needs a single carrier_id


def test_it_wants_its_own_bearer_token_and_no_session(client, specialist, settings):
    settings.NOYO_SANDBOX_ENABLED = True
    anonymous = client.get(CONNECTIONS)
    assert anonymous.status_code == 401  # not a redirect to the login page
    assert anonymous.json()["status"] == 401
    client.force_login(specialist)
    assert client.get(CONNECTIONS).status_code == 401  # a session is not a token
    assert client.get(CONNECTIONS, HTTP_AUTHORIZATION="Bearer made-up").status_code == 401


def test_it_refuses_wrong_client_credentials(client, settings):
    settings.NOYO_SANDBOX_ENABLED = True
    basic = base64.b64encode(f"{settings.NOYO_CLIENT_ID}:nope".encode()).decode()
    response = client.post("/noyo/sandbox/auth/public/token", {"grant_type": "client_credentials"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 401


def test_it_is_switched_off_where_the_setting_says_so(client, settings):
    settings.NOYO_SANDBOX_ENABLED = False
    assert client.get(CONNECTIONS).status_code == 404
    assert client.post(reverse("noyo_sandbox_token")).status_code == 404


def test_it_fails_as_told_then_recovers(api):
    sandbox_fail("503", times=2, retry_after=9)
    for _ in range(2):
        failed = api.list()
        assert failed.status_code == 503 and failed["Retry-After"] == "9"
    assert api.list().status_code == 200
    sandbox_fail("500", times=None, after=1)
    assert api.list().status_code == 200
    assert api.list().status_code == 500 and api.list().status_code == 500
    assert sandbox_recover() == 1
    assert api.list().status_code == 200 and not SandboxFault.objects.exists()


def test_it_refuses_an_unknown_fault():
    with pytest.raises(ValueError):
        sandbox_fail("418")


def test_it_answers_with_every_field_the_spec_requires(api, clock_at):
    created = api.create("100101").json()
    assert {"id", "version", "created", "modified", "organization_id", "group_id", "carrier_id",
            "request_type", "status", "group_data", "setup_result", "setup_metadata"} <= set(created)
    assert created["request_type"] == "initial" and created["carrier_id"] == api.carrier_id
    assert isinstance(created["created"], int) and created["created"] == created["modified"]
    clock_at(clock.now() + dt.timedelta(seconds=10))
    completed = api.get(created["id"]).json()
    assert completed["status"] == "completed" and isinstance(completed["completed"], int)
    assert completed["version"] != created["version"] and completed["modified"] > created["modified"]
    assert api.get(created["id"]).json()["version"] == completed["version"]  # same status, same version


def test_it_takes_the_specs_create_fields(api):
    created = api.create("989101", broker_tin="123-45-6789", broker_federal_ein="987654321",
                         employer_email_address="hr@acme.example",
                         top={"federal_ein": "123456789", "data_exchange_configuration": "edi",
                              "ignore_eligibility": True})
    assert created.status_code == 201, created.json()
    row = SandboxGroupConnection.objects.get()
    assert (row.federal_ein, row.data_exchange_configuration, row.ignore_eligibility) == ("123456789", "edi", True)
    assert row.group_data["broker_tin"] == "123-45-6789" and "federal_ein" not in row.group_data
    assert created.json()["federal_ein"] == "123456789"


def test_it_refuses_a_federal_ein_inside_group_data_and_names_it(api):
    refused = api.create("989101", federal_ein="123456789")
    assert refused.status_code == 422 and "federal_ein" in refused.json()["message"]


def test_it_refuses_a_carrier_it_does_not_know(api, client, settings):
    assert api.create("989101", top={"carrier_id": "2613a221-d3c8-4c8a-86d5-e7e885fd1da9"}).status_code == 404
    assert api.create("989101", top={"carrier_id": "humana-sandbox"}).status_code == 422
    # The carrier UUID is read in any case, and answered in its canonical form.
    upper = api.create("989101", top={"carrier_id": settings.NOYO_CARRIER_ID.upper()})
    assert upper.status_code == 201 and upper.json()["carrier_id"] == settings.NOYO_CARRIER_ID


def test_it_retries_with_the_specs_body_then_completes(api):
    connection_id = api.create("545101").json()["id"]
    assert api.retry(connection_id).status_code == 422  # still created: nothing to retry
    age_sandbox(10)
    before = api.get(connection_id).json()
    assert before["status"] == "action_required"
    retried = api.retry(connection_id, {"carrier_group_id": "545102", "employer_email_address": "hr@acme.example"})
    assert retried.status_code == 201
    assert retried.json()["status"] == "processing" and retried.json()["version"] != before["version"]
    assert retried.json()["group_data"]["employer_email_address"] == "hr@acme.example"
    row = SandboxGroupConnection.objects.get()
    assert row.carrier_group_id == "545102" and row.retries == 1
    assert row.settles_at - row.submitted_at <= dt.timedelta(seconds=10)
    age_sandbox(10)
    assert api.get(connection_id).json()["status"] == "completed"
    assert api.retry(connection_id).status_code == 422  # completed: nothing to retry


@pytest.mark.parametrize(("body", "named"), [
    ({"carrier_group_id": "10000001"}, "6-digit string"),  # the spec's example: Humana's rule
    ({"group_name": "ACME"}, "group_name"),
    ({"broker_tin": "12"}, "broker_tin"),
])
def test_it_refuses_a_retry_body_it_cannot_take(api, body, named):
    connection_id = api.create("323101").json()["id"]
    age_sandbox(10)
    refused = api.retry(connection_id, body)
    assert refused.status_code == 422 and named in refused.json()["message"]
    assert SandboxGroupConnection.objects.get().retries == 0


def test_it_refuses_a_retry_onto_a_carrier_group_id_taken_already(api):
    api.create("989101")
    connection_id = api.create("323101").json()["id"]
    age_sandbox(10)
    assert api.retry(connection_id, {"carrier_group_id": "989101"}).status_code == 409
    assert api.retry("not-a-uuid").status_code == 404


def test_it_sorts_pages_and_counts_the_list(api):
    for carrier_group_id in ("989001", "767002", "545003"):
        api.create(carrier_group_id)
        age_sandbox(1)
    newest_first = api.list(sort_by="created", sort_direction="desc", page_size="2", offset="2").json()
    assert [c["group_data"]["carrier_group_id"] for c in newest_first["response"]] == ["989001"]
    assert newest_first["meta"] == {"offset": 2, "page_num": 2, "page_size": 2, "total_records": 3}
    for bad in ({"sort_by": "name"}, {"sort_direction": "up"}, {"offset": "-2"}, {"page_size": "1001"},
                {"id": "1,2"}, {"status": "done"}, {"organization_id": "acme"}):
        refused = api.list(**bad)
        assert refused.status_code == 400 and refused.json()["status"] == 400, bad


def test_the_migration_moves_the_old_carrier_id_to_the_uuid(specialist, settings):
    migration = importlib.import_module("noyo_sync.migrations.0006_sandbox_follows_spec")
    assert migration.NEW_CARRIER_ID == settings.NOYO_CARRIER_ID
    old = request_connection(specialist, "989101", send=False)
    clash = request_connection(specialist, "767101", send=False)
    GroupConnection.objects.filter(pk__in=[old.pk, clash.pk]).update(carrier_id="humana-sandbox")
    kept = request_connection(specialist, "767101", send=False)  # already under the UUID
    now = old.requested_at
    SandboxGroupConnection.objects.create(carrier_id="humana-sandbox", carrier_group_id="989101",
                                          processing_at=now, settles_at=now, final_status="noyo_review")

    migration.carrier_id_to_uuid(apps, None)

    assert GroupConnection.objects.get(pk=old.pk).carrier_id == settings.NOYO_CARRIER_ID
    assert GroupConnection.objects.get(pk=kept.pk).carrier_id == settings.NOYO_CARRIER_ID
    assert GroupConnection.objects.get(pk=clash.pk).carrier_id == "humana-sandbox"  # not two at once
    assert SandboxGroupConnection.objects.get().carrier_id == settings.NOYO_CARRIER_ID
