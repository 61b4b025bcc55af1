"""The local sandbox itself: the seed's status per prefix within 10 seconds, uniqueness, format,
machine-to-machine access, and being told to fail."""

from __future__ import annotations

import base64
import datetime as dt
import time

import pytest
from django.urls import reverse

from noyo_sync.models import SandboxFault, SandboxGroupConnection
from noyo_sync.sandbox.faults import sandbox_fail, sandbox_recover
from tests.noyo_sync.make import age_sandbox

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

        def create(self, carrier_group_id: str, **group_data: str):
            body = {"carrier_id": settings.NOYO_CARRIER_ID,
                    "group_data": {"carrier_group_id": carrier_group_id, "group_name": "ACME", **group_data}}
            return client.post(CONNECTIONS, body, content_type="application/json", **auth)

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
