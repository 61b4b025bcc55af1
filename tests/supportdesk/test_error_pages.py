"""400, 403, 404 and 500 answer with the app's own pages in its layout: what happened and a way
home, never a traceback or the settings (the suite runs with DEBUG off, as `make run` does)."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path, reverse

pytestmark = pytest.mark.django_db

HOME_LINK = 'href="/">Go to the start page</a>'


@login_not_required
def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a developer's detail")


# The test-only URL conf: the app's URLs (the layout links to them) plus a view that fails.
urlpatterns = [path("test-only/fails/", fails), path("", include("supportdesk.urls"))]


def assert_friendly(response: HttpResponse, status: int, title: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert f"<title>{title} · SupportDesk</title>" in page
    assert 'class="brand"' in page  # the layout's header
    assert HOME_LINK in page
    assert "Traceback" not in page and "SECRET_KEY" not in page and "settings" not in page.lower()
    assert "Content-Security-Policy" in response.headers  # not a debug page
    return page


def test_it_shows_an_unknown_url_as_its_own_404(client):
    page = assert_friendly(client.get("/no/such/page/"), 404, "Page not found")
    assert "Page not found (404)" not in page  # Django's debug page
    assert "There is no page at this address" in page


def test_it_keeps_the_navigation_on_a_404_when_signed_in(client, supervisor):
    client.force_login(supervisor)
    page = assert_friendly(client.get("/no/such/page/"), 404, "Page not found")
    assert 'href="/supervisor/"' in page and "Sign out" in page


def test_it_shows_a_failing_view_as_its_own_500_without_a_traceback(client, settings, caplog):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/test-only/fails/")

    page = assert_friendly(response, 500, "Something went wrong")
    assert "Something went wrong on our side" in page
    assert "RuntimeError" not in page and "a developer&#x27;s detail" not in page
    assert "Sign out" not in page  # rendered without the request: nothing that could fail again
    # The error itself goes to the log (the console under make run).
    logged = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert logged and logged[0].exc_info[0] is RuntimeError


def test_it_names_the_role_a_page_needs_on_a_403(client, specialist):
    client.force_login(specialist)

    page = assert_friendly(client.get(reverse("supervisor_dashboard")), 403, "No access")

    assert "It is for Supervisor." in page
    assert "ask your supervisor to give you that role" in page
    assert 'href="/cases/"' in page  # the specialist's own navigation


def test_it_tells_a_user_without_any_role_to_ask_for_one(client, outsider):
    client.force_login(outsider)
    page = assert_friendly(client.get(reverse("ec_queue")), 403, "No access")
    assert "It is for Access management or Supervisor." in page
    assert "Your account has no SupportDesk role yet" in page


def test_it_explains_an_expired_form_on_a_csrf_403(specialist):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "specialist", "password": "x"})
    page = assert_friendly(response, 403, "Form expired")
    assert "This form has expired" in page


def test_it_shows_a_bad_request_as_its_own_400(client):
    response = client.get("/", HTTP_HOST="not-an-allowed-host.example")
    page = assert_friendly(response, 400, "Bad request")
    assert "SupportDesk could not read this request" in page
