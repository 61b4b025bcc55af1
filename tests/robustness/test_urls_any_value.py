"""Values a view reads from the query string or the URL path itself, through Django's test
client, fed anything HTTP can carry: a group number (BF report look-up and page), a batch week, a
page number, a case status, a case reference. A page, a redirect or a 404; never a 500, and
reading never writes. Two of these were 500s (NUL reaching PostgreSQL; a week before year 1)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.robustness.strategies import FUZZ_FEW, text
from tests.robustness.web import web
from tests.robustness.writes import captured_writes

pytestmark = pytest.mark.django_db



RAW_PARAMS = [
    ("specialist", "ec_bf_report_lookup", "group"),
    ("access_user", "ec_batches", "week"),
    ("access_user", "ec_batches", "page"),
    ("specialist", "my_cases", "status"),
    ("specialist", "noyo_connection_new", "group"),
]


@pytest.mark.parametrize("role,name,param", RAW_PARAMS, ids=[f"{n}?{p}" for _, n, p in RAW_PARAMS])
@FUZZ_FEW
@given(value=text(http=True))
def test_it_reads_any_query_value_a_view_reads_itself(request, ec_group, role, name, param, value):
    client = web(request.getfixturevalue(role))
    with captured_writes() as writes:
        response = client.get(reverse(name), {param: value})
    assert response.status_code in (200, 302)
    assert writes == []


@pytest.mark.parametrize("path", ["/ec/groups/{}/bf-report/", "/ec/groups/{}/bf-report.pdf",
                                  "/cases/SD-{}/", "/supervisor/cases/SD-{}/"])
@FUZZ_FEW
@given(value=st.one_of(text(http=True), st.integers(0, 10**30).map(str)))
def test_it_answers_any_value_in_the_path_with_a_page_or_404(specialist, supervisor, ec_group, path,
                                                            value):
    client = web(supervisor if path.startswith("/supervisor") else specialist)
    response = client.get(path.format(quote(value, safe="")))
    assert response.status_code in (200, 302, 404, 409)


def test_it_refuses_a_nul_in_a_group_number_with_a_message_or_404(specialist):
    # Found by the tests above: PostgreSQL text cannot hold NUL, and these views queried with it.
    client = web(specialist)
    lookup = client.get(reverse("ec_bf_report_lookup"), {"group": "8247\x0051"})
    assert lookup.status_code == 200 and b"No employer group" in lookup.content
    assert client.get("/ec/groups/8247%0051/bf-report/").status_code == 404
    assert client.get("/ec/groups/%00/bf-report.pdf").status_code == 404


def test_it_ignores_a_batch_week_at_the_edge_of_the_calendar(access_user):
    # Found by the tests above: the week filter went 7 days before 0001-01-01.
    client = web(access_user)
    for week in ("0001-01-01", "0001-01-07", "9999-12-31"):
        assert client.get(reverse("ec_batches"), {"week": week}).status_code == 200
