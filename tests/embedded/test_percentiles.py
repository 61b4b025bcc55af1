"""The dashboard's percentiles are the same numbers on SQLite as on PostgreSQL.

Both passes of `make test` run these with the same data and the same expected figures, worked
out by hand with percentile_cont's definition: sort the values, take position f × (n − 1),
interpolate linearly between the two values around it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from ec_access import insights as ec_insights
from ec_access import services as ec_services
from supportdesk import clock, insights, rollups
from supportdesk.models import Case
from supportdesk.percentile import Percentile, percentile_cont
from tests.ec_access.make import make_request
from tests.factories import make_case

PRE_SALE = [("sale_stage", {"choice": "pre_sale"})]  # ends the case at once (Agent Support)

# Five closed cases. Median: position 0.5 × 4 = 2, the third value: 3 min.
# 90th percentile: position 0.9 × 4 = 3.6, so 4 + 0.6 × (10 − 4) = 7.6 min = 7 min 36 s.
HANDLE_MINUTES = (4, 1, 10, 3, 2)
MEDIAN, P90 = dt.timedelta(minutes=3), dt.timedelta(minutes=7, seconds=36)


def minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def test_it_interpolates_like_percentile_cont():
    assert percentile_cont([4, 1, 3, 2], 0.5) == 2.5
    assert percentile_cont([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
    assert percentile_cont([7], 0.9) == 7
    assert percentile_cont([1, 2], 0) == 1 and percentile_cont([1, 2], 1) == 2
    assert percentile_cont([], 0.5) is None


def test_it_refuses_a_fraction_outside_zero_to_one():
    with pytest.raises(ValueError, match="between 0 and 1"):
        Percentile("closed_at", 1.5)


@pytest.fixture
def handled_cases(specialist):
    """The cases of HANDLE_MINUTES, opened this morning, and one still open (no handle time)."""
    start = clock.now() - dt.timedelta(hours=6)
    for index, handle in enumerate(HANDLE_MINUTES):
        case = make_case(specialist, answers=PRE_SALE)
        opened = start + minutes(20 * index)
        Case.objects.filter(pk=case.pk).update(opened_at=opened, closed_at=opened + minutes(handle))
    make_case(specialist)
    # The times move behind the services' back (as a bulk load would): recount the rollups.
    rollups.rebuild()


@pytest.mark.django_db
def test_it_computes_the_handle_time_median_and_90th_percentile_by_the_definition(handled_cases):
    figures = insights.overview(insights.Period(clock.today(), clock.today()))
    assert (figures["finished"], figures["open"]) == (5, 1)
    assert (figures["median"], figures["p90"]) == (MEDIAN, P90)


@pytest.mark.django_db
def test_it_shows_those_figures_on_the_dashboard(client, supervisor, handled_cases):
    client.force_login(supervisor)
    response = client.get(reverse("supervisor_dashboard"))
    assert (response.context["median"], response.context["p90"]) == ("3 min 00 s", "7 min 36 s")


@pytest.mark.django_db
def test_it_computes_the_queue_turnaround_medians_by_the_definition(access_user):
    """Three requests claimed 2, 4 and 9 minutes after they were made (median 4 min); two of
    them granted after 10 and 30 minutes (median of two: halfway, 20 min)."""
    made = clock.now().replace(microsecond=0) - dt.timedelta(hours=3)
    with time_machine.travel(made, tick=False):
        requests = [make_request() for _ in range(3)]
    for request, claimed in zip(requests, (2, 4, 9), strict=True):
        with time_machine.travel(made + minutes(claimed), tick=False):
            ec_services.ec_request_claim(request_id=request.pk, user=access_user)
    for request, granted in zip(requests, (10, 30), strict=False):  # the third stays claimed
        with time_machine.travel(made + minutes(granted), tick=False):
            ec_services.ec_request_grant(request_id=request.pk, user=access_user)

    figures = ec_insights.turnaround(insights.Period(clock.today(), clock.today()))
    assert (figures["requests"], figures["granted"]) == (3, 2)
    assert (figures["to_claim"], figures["to_grant"]) == (minutes(4), minutes(20))
