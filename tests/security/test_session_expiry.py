"""Signed out after 30 minutes without a request; every request restarts the 30 minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_case

pytestmark = pytest.mark.django_db

URL = "/cases/"


@pytest.fixture
def clock(monkeypatch):
    """timezone.now(), moved forward by the test (the session store reads it)."""
    real_now = timezone.now

    class Clock:
        offset = dt.timedelta()

        def advance(self, **kwargs: float) -> None:
            self.offset += dt.timedelta(**kwargs)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


def test_it_expires_a_session_after_thirty_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"  # expiry checked server-side


def test_it_sends_the_cookie_with_the_thirty_minute_age(client, specialist):
    client.force_login(specialist)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_it_sends_a_request_after_thirty_idle_minutes_to_sign_in(client, specialist, clock):
    client.force_login(specialist)
    assert client.get(URL).status_code == 200

    clock.advance(minutes=30, seconds=5)
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == redirect_to_login(URL)["Location"]
    assert reverse("login") in response["Location"]


def test_it_counts_the_thirty_minutes_from_the_last_request(client, specialist, clock):
    client.force_login(specialist)
    assert client.get(URL).status_code == 200
    for _ in range(3):  # 75 minutes signed in, never 30 idle
        clock.advance(minutes=25)
        assert client.get(URL).status_code == 200

    clock.advance(minutes=31)
    assert client.get(URL).status_code == 302


def test_it_keeps_an_htmx_step_from_running_after_expiry(client, specialist, clock):
    case = make_case(specialist)
    client.force_login(specialist)
    url = reverse("case_step", args=[case.reference, "sale_stage"])
    clock.advance(minutes=31)

    response = client.post(url, {"choice": "post_sale"}, HTTP_HX_REQUEST="true")

    # htmx loads the sign-in page as a whole page, rather than swapping it into the step.
    assert response.status_code == 200
    assert response["HX-Redirect"] == redirect_to_login(url)["Location"]
    case.refresh_from_db()
    assert case.current_step == "sale_stage"  # nothing written by an expired session
