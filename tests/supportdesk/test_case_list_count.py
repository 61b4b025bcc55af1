"""The case list's total comes from the CaseDay rollup when its filters are ones the rollup
answers exactly (dates in TIME_ZONE days, flow, status, disposition, changed after the outcome),
and equals the COUNT(*) of the listed cases; other filters, or another time zone, count them."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from supportdesk.engine import Disposition
from supportdesk.forms import flow_areas
from supportdesk.models import Case
from supportdesk.views.supervisor import filter_cases
from tests.clock import PINNED_DAY
from tests.factories import make_user
from tests.rollup_walk import ACROSS_MONTHS, FLOWS, walk, walk_flow_registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def walked(specialist, other_specialist, clock_at):
    users = [specialist, other_specialist, make_user("specialist3", None, first_name="Jo")]
    with walk_flow_registered():
        walk(random.Random(21), users, clock_at, cases=50, days=ACROSS_MONTHS)
        yield


def _query(params: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(params)
    return query


def _random_filters(rng: random.Random) -> QueryDict:
    params = QueryDict(mutable=True)
    first = PINNED_DAY - dt.timedelta(days=ACROSS_MONTHS + 5)
    if rng.random() < 0.7:
        params["opened_from"] = str(first + dt.timedelta(days=rng.randrange(ACROSS_MONTHS + 10)))
    if rng.random() < 0.7:
        params["opened_to"] = str(first + dt.timedelta(days=rng.randrange(ACROSS_MONTHS + 10)))
    if rng.random() < 0.4:
        params["flow"] = rng.choice([*FLOWS, *flow_areas()])
    if rng.random() < 0.3:
        params["status"] = rng.choice(list(Case.Status.values))
    if rng.random() < 0.3:
        params["disposition"] = rng.choice(list(Disposition.values))
    if rng.random() < 0.3:
        params["changed"] = rng.choice(["yes", "no"])
    return params


def test_it_counts_from_the_rollup_what_count_star_counts(walked):
    rng = random.Random(5)
    answered = 0
    for _ in range(150):
        params = _random_filters(rng)
        cases = filter_cases(params)
        rolled = cases.rolled_count()
        if not cases.form.is_valid():  # the end before the start: nothing listed, counted
            assert rolled is None, params.urlencode()
            continue
        assert rolled == filter_cases(params).qs.count(), params.urlencode()
        answered += rolled > 0
    assert answered > 30  # filters that match some cases


@pytest.mark.parametrize("params", [{"q": "824751"}, {"reviewed": "no"}])
def test_it_counts_the_cases_for_filters_the_rollup_cannot_answer(walked, params):
    assert filter_cases(_query(params)).rolled_count() is None


def test_it_counts_the_cases_for_a_specialist(walked, specialist):
    assert filter_cases(_query({"specialist": str(specialist.pk)})).rolled_count() is None


def test_it_counts_the_cases_when_the_dates_are_another_zones_days(walked):
    params = _query({"opened_from": str(PINNED_DAY - dt.timedelta(days=30))})
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert filter_cases(params).rolled_count() is None
        assert filter_cases(params).qs.count()  # the list still counts them


def test_the_list_shows_the_same_total_without_a_count_of_the_cases(walked, client, supervisor):
    client.force_login(supervisor)
    params = {"opened_from": str(PINNED_DAY - dt.timedelta(days=40)), "status": "closed"}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("supervisor_cases"), params)
    assert response.status_code == 200
    total = filter_cases(_query(params)).qs.count()
    assert total and response.context["page"].paginator.count == total
    assert f"{total} cases" in response.content.decode()
    case_table = connection.ops.quote_name(Case._meta.db_table)
    assert not [q for q in captured if "COUNT(*)" in q["sql"] and f"FROM {case_table}" in q["sql"]]
