"""Signed out after 30 minutes without a request; a request restarts the 30 minutes, saving the
session at most once a minute (SessionActivityMiddleware)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_case

pytestmark = pytest.mark.django_db

URL = "/cases/"


@pytest.fixture
def clock(pinned_clock):
    """The process's clock, moved forward by the test (the session store reads it too)."""

    class Clock:
        def advance(self, **kwargs: float) -> None:
            pinned_clock.shift(dt.timedelta(**kwargs))

    return Clock()


def test_it_expires_a_session_after_thirty_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ACTIVITY_REFRESH == 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # the middleware refreshes instead
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


def session_saved(client, url=URL):
    """GET ``url``; whether the session row was written and a new cookie sent."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    wrote = any('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)
    assert wrote == (settings.SESSION_COOKIE_NAME in response.cookies)
    return wrote


def test_it_saves_the_session_at_most_once_a_minute(client, specialist, clock):
    client.force_login(specialist)
    assert session_saved(client)  # the first request marks the session active

    clock.advance(seconds=30)
    assert not session_saved(client)
    clock.advance(seconds=29)
    assert not session_saved(client)
    clock.advance(seconds=1)  # 60 s after the mark
    assert session_saved(client)
    assert not session_saved(client)


def test_it_signs_out_thirty_minutes_after_the_last_save(client, specialist, clock):
    """A request that did not save (within the minute) does not restart the 30 minutes: the
    session ends between 29 and 30 idle minutes after the last request."""
    client.force_login(specialist)
    assert session_saved(client)
    clock.advance(seconds=50)
    assert not session_saved(client)

    clock.advance(minutes=29, seconds=9)  # 29:59 after the save, 29:09 idle
    assert client.get(URL).status_code == 200  # this one saves again
    clock.advance(minutes=30, seconds=1)
    assert client.get(URL).status_code == 302


def test_it_gives_no_session_to_a_visitor_or_after_sign_out(client, specialist):
    assert client.get(reverse("login")).status_code == 200
    assert not Session.objects.exists()

    client.force_login(specialist)
    assert client.get(URL).status_code == 200
    assert Session.objects.count() == 1
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.exists()  # not re-created by the activity mark
