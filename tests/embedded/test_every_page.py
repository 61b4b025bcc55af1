"""Every URL, as every role, answers without a server error: on the SQLite of `make run` (the
embedded pass of `make test`) and on PostgreSQL alike.

One test walks everything and lists every failure at once (role, URL, status, the exception),
so one run shows all that is broken rather than the first of it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from supportdesk.engine import registry
from tests.embedded.routes import DemoValues, routes

pytestmark = pytest.mark.django_db

# The pages whose query string changes what they compute: the dashboard per flow draws that
# flow's map coloured by traffic, and its exports cover that flow alone.
def _with_query_strings() -> Iterator[str]:
    for flow in registry.all():
        yield f"{reverse('supervisor_dashboard')}?flow={flow.key}"
        yield f"{reverse('supervisor_dashboard_export', args=['branches', 'csv'])}?flow={flow.key}"
    yield f"{reverse('supervisor_cases')}?status=closed&flow=arsos-routing"


def every_url() -> list[str]:
    values = DemoValues()
    urls = [route.url(kwargs) for route in routes() for kwargs in values.kwargs_for(route)]
    return urls + list(_with_query_strings())


def _problem(client: Client, url: str) -> str | None:
    """What went wrong with GET url, or None. Streamed bodies (CSV, XLSX) are read to the end:
    an error while streaming is an error of the page too. (The client closes the response
    itself; closing it again would close the test's database connection.)"""
    try:
        response: HttpResponse = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    except Exception as error:  # noqa: BLE001  (listed with the others below)
        return f"raised {error!r}"
    if response.status_code >= 500:
        cause = f": {response.exc_info[1]!r}" if response.exc_info else ""
        return f"answered {response.status_code}{cause}"
    return None


def test_it_answers_every_url_as_every_role_without_a_server_error(role_clients):
    urls = every_url()
    failures = [
        f"{role} GET {url} {problem}"
        for role, client in role_clients.items()
        for url in urls
        if (problem := _problem(client, url))
    ]
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)
    # The walk did reach the pages the issue was about.
    assert "/supervisor/" in urls and any(url.endswith(".pdf") for url in urls)
    assert any(url.endswith(".xlsx") for url in urls) and any(url.endswith(".csv") for url in urls)


def test_it_shows_the_supervisor_the_dashboard_with_its_figures(role_clients):
    response = role_clients["supervisor"].get(reverse("supervisor_dashboard"))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview["finished"] > 0 and overview["median"] is not None and overview["p90"] is not None
    assert role_clients["specialist"].get(reverse("supervisor_dashboard")).status_code == 403
