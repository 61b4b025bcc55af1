"""From a case back to the list with its filters and page; newer and older case in that list."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from supportdesk.models import Case
from supportdesk.views.supervisor import PAGE_SIZE
from tests.factories import make_case

pytestmark = pytest.mark.django_db

CLOSED = [("sale_stage", {"choice": "pre_sale"})]


@pytest.fixture
def signed_in(client, supervisor):
    client.force_login(supervisor)
    return client


def closed_cases(user, count: int) -> list[Case]:
    """``count`` closed cases, a minute apart, newest last."""
    cases = [make_case(user, answers=CLOSED) for _ in range(count)]
    start = timezone.now() - dt.timedelta(hours=3)
    for n, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(opened_at=start + dt.timedelta(minutes=n))
    return cases


def case_page(client, case: Case, back: str):
    response = client.get(reverse("supervisor_case", args=[case.reference]), {"back": back})
    assert response.status_code == 200
    return response.context


def test_the_list_links_each_case_with_its_filters(signed_in, specialist):
    [case] = closed_cases(specialist, 1)
    body = signed_in.get(reverse("supervisor_cases"), {"status": "closed", "page": "1"}).content.decode()
    assert f'{reverse("supervisor_case", args=[case.reference])}?back=status%3Dclosed"' in body


def test_the_case_history_link_keeps_the_filters_and_the_page(signed_in, specialist):
    cases = closed_cases(specialist, PAGE_SIZE + 3)
    make_case(specialist)  # open: filtered out
    on_page_2 = cases[1]  # newest first: the 27th of 28 closed cases
    context = case_page(signed_in, on_page_2, urlencode({"status": "closed", "page": "1"}))
    back = parse_qs(urlparse(context["back_url"]).query)
    assert urlparse(context["back_url"]).path == reverse("supervisor_cases")
    assert back == {"status": ["closed"], "page": ["2"]}
    listed = signed_in.get(context["back_url"]).context["page"].object_list
    assert on_page_2 in listed


def test_it_steps_to_the_newer_and_older_case_in_the_filtered_list(signed_in, specialist, other_specialist):
    mine = closed_cases(specialist, 3)
    closed_cases(other_specialist, 2)  # interleaved in time, filtered out
    back = urlencode({"specialist": specialist.pk})
    middle = case_page(signed_in, mine[1], back)
    assert middle["newer"]["reference"] == mine[2].reference
    assert middle["older"]["reference"] == mine[0].reference
    assert parse_qs(urlparse(middle["older"]["url"]).query) == {"back": [back]}
    newest, oldest = case_page(signed_in, mine[2], back), case_page(signed_in, mine[0], back)
    assert newest["newer"] is None and newest["older"]["reference"] == mine[1].reference
    assert oldest["older"] is None and oldest["newer"]["reference"] == mine[1].reference
    body = signed_in.get(reverse("supervisor_case", args=[mine[2].reference]), {"back": back}).content.decode()
    assert "Newest in the list" in body and f"Older: {mine[1].reference}" in body


def test_it_breaks_ties_on_the_same_opening_moment_by_reference(signed_in, specialist):
    cases = closed_cases(specialist, 3)
    Case.objects.update(opened_at=timezone.now())
    middle = case_page(signed_in, cases[1], "")
    assert (middle["newer"]["reference"], middle["older"]["reference"]) == (
        cases[2].reference, cases[0].reference)


def test_a_bad_or_foreign_back_query_falls_back_to_the_plain_list(signed_in, specialist):
    [case] = closed_cases(specialist, 1)
    for back in ("opened_from=nonsense", "specialist=abc", "status=bogus"):
        context = case_page(signed_in, case, back)
        assert context["back_url"] == reverse("supervisor_cases") and "newer" not in context
    context = case_page(signed_in, case, "status=closed&next=https://evil.example/&page=x")
    assert parse_qs(urlparse(context["back_url"]).query) == {"status": ["closed"], "page": ["1"]}


def test_a_case_page_without_a_list_links_to_the_plain_list(signed_in, specialist):
    [case] = closed_cases(specialist, 1)
    response = signed_in.get(reverse("supervisor_case", args=[case.reference]))
    assert response.context["back_url"] == reverse("supervisor_cases")
    assert b"Older:" not in response.content


def test_a_review_posted_from_the_case_page_is_unaffected(signed_in, specialist):
    [case] = closed_cases(specialist, 1)
    response = signed_in.post(reverse("supervisor_case_review", args=[case.reference]), {"rating": "", "note": ""})
    assert response.status_code == 200 and response.context["review_form"].errors
