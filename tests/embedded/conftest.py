"""The demo data `make run` loads, and a client signed in as each role (and as nobody)."""

from __future__ import annotations

import base64
import io
import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ec_access import services as ec_services
from ec_access.models import ECBatchRun
from ec_access.services.batch import ec_batch_run, previous_week
from supportdesk import clock
from tests.factories import make_user

# The demo logins of load_demo, by the role they hold.
DEMO_LOGINS = {"specialist": "specialist", "access management": "access", "supervisor": "supervisor"}


@pytest.fixture
def demo(db):
    """load_demo, as make run calls it, plus last week's EC batch run (for its spreadsheet) and
    one claimed request, so that every kind of page has a row to show."""
    call_command("load_demo", stdout=io.StringIO())
    today = clock.today()
    ec_batch_run(week_of=previous_week(today), trigger=ECBatchRun.Trigger.COMMAND, today=today)
    access = get_user_model().objects.get(username=DEMO_LOGINS["access management"])
    ec_services.ec_request_claim_next(user=access)


def _signed_in(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _noyo_api_client() -> Client:
    """What the Noyo poller is to the sandbox: a Bearer token from its own token endpoint."""
    client = Client(raise_request_exception=False)
    basic = base64.b64encode(f"{settings.NOYO_CLIENT_ID}:{settings.NOYO_CLIENT_SECRET}".encode()).decode()
    response = client.post(reverse("noyo_sandbox_token"), json.dumps({"grant_type": "client_credentials"}),
                           content_type="application/json", headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200, response.content
    return Client(raise_request_exception=False,
                  headers={"Authorization": f"Bearer {response.json()['access_token']}"})


@pytest.fixture
def role_clients(demo) -> dict[str, Client]:
    """A test client per role, keeping errors as 500 responses (every failure gets listed)."""
    make_user("outsider", None)
    admin = make_user("admin", None, is_staff=True, is_superuser=True)
    clients = {role: _signed_in(username) for role, username in DEMO_LOGINS.items()}
    clients["anonymous"] = Client(raise_request_exception=False)
    clients["outsider (no role)"] = _signed_in("outsider")
    clients["admin (superuser)"] = _signed_in(admin.username)
    clients["Noyo API client"] = _noyo_api_client()
    return clients
