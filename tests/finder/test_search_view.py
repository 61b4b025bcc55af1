"""The finder's search through the pages: as you type (htmx), and as a plain form. Always a POST:
what was typed never reaches a URL, a redirect, an htmx header or a log record."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.test_no_phi_in_logs_or_urls import (
    FIRST_NAME,
    LAST_NAME,
    MEMBER_ID,
    URL_HEADERS,
    RecordingClient,
)

pytestmark = pytest.mark.django_db

SEARCH = "finder_search"


def test_it_answers_as_you_type_with_the_results_alone(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(SEARCH), {"q": "agentsupport@hum"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html
    assert "Agent RSOS: route a member service request" in html
    assert "In step: <strong>Agent Support handles this</strong>" in html
    assert f'href="{reverse("case_open", args=["arsos-routing"])}"' in html
    assert "<mark>agentsupport</mark>" in html


def test_it_shows_the_home_page_with_results_without_javascript(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(SEARCH), {"q": "8776065172"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and 'id="finder-flows"' in html and "My open cases" in html
    assert "HUSKY provider portal: access, reports and members" in html.split('id="finder-results"')[1]
    assert 'value="8776065172"' in html  # the box keeps what was typed


def test_it_says_so_when_nothing_matches(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(SEARCH), {"q": "walrus"}, HTTP_HX_REQUEST="true")
    assert "No flow mentions “walrus”" in response.content.decode()


def test_it_clears_the_results_for_an_empty_box(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse(SEARCH), {"q": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content.decode().strip() == ""


def test_it_refuses_get_so_nothing_typed_lands_in_a_url(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse(SEARCH), {"q": "agent"}).status_code == 405
    home = client.get(reverse("home"), {"q": "agent"})
    assert home.status_code == 200 and home.context["finder_matches"] == []  # a ?q= is ignored


def test_it_posts_from_the_page_with_the_csrf_token(specialist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(specialist)
    html = client.get(reverse("home")).content.decode()
    form = re.search(r'<form class="finder-search" method="post" action="([^"]+)"[^>]*hx-post="([^"]+)"', html)
    assert form and form.group(1) == form.group(2) == reverse(SEARCH)
    box = re.search(r'<input id="finder-q"[^>]*>', html).group(0)
    assert 'hx-post="' + reverse(SEARCH) + '"' in box and "hx-get" not in html.split("finder-search")[1].split("</form>")[0]
    assert client.post(reverse(SEARCH), {"q": "agent"}, HTTP_HX_REQUEST="true").status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    sent = client.post(reverse(SEARCH), {"q": "agent", "csrfmiddlewaretoken": token}, HTTP_HX_REQUEST="true")
    assert sent.status_code == 200


def test_it_keeps_member_data_typed_into_it_out_of_urls_and_logs(specialist, caplog):
    caplog.set_level(logging.DEBUG)
    client = RecordingClient()
    client.force_login(specialist)
    for typed in (f"{FIRST_NAME} {LAST_NAME}", MEMBER_ID):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.post(reverse(SEARCH), {"q": typed}, **headers)
            assert response.status_code == 200
            assert not any(header in response for header in URL_HEADERS)
            assert response.context["finder_matches"] == []
    client.get(reverse("home"))
    leaked = [url for url in client.urls if any(value in url for value in (FIRST_NAME, LAST_NAME, MEMBER_ID))]
    assert not leaked
    logged = "\n".join(record.getMessage() + repr(record.args) for record in caplog.records)
    assert not any(value in logged for value in (FIRST_NAME, LAST_NAME, MEMBER_ID))


def test_it_is_for_specialists_only(client, supervisor, access_user):
    for user in (supervisor, access_user):
        client.force_login(user)
        assert client.post(reverse(SEARCH), {"q": "agent"}).status_code == 403
