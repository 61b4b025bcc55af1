"""Case history: Today / Yesterday / This week / Last 7 days fill the opening dates, on the
day the clock says (in TIME_ZONE), and the filters do not each say "(optional)"."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from supportdesk.forms import case_date_presets

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 11, 18)
MONDAY = dt.date(2026, 11, 16)
SUNDAY = dt.date(2026, 11, 22)


def ranges(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    return {p.label: (p.start, p.end) for p in case_date_presets(today=today)}


def test_it_counts_the_week_from_monday_on_a_wednesday():
    assert ranges(WEDNESDAY) == {
        "Today": (WEDNESDAY, WEDNESDAY),
        "Yesterday": (dt.date(2026, 11, 17), dt.date(2026, 11, 17)),
        "This week": (MONDAY, WEDNESDAY),
        "Last 7 days": (dt.date(2026, 11, 12), WEDNESDAY),
    }


def test_it_starts_this_week_today_on_a_monday():
    assert ranges(MONDAY)["This week"] == (MONDAY, MONDAY)
    assert ranges(MONDAY)["Yesterday"] == (dt.date(2026, 11, 15),) * 2


def test_it_keeps_sunday_in_the_week_that_began_on_monday():
    assert ranges(SUNDAY)["This week"] == (MONDAY, SUNDAY)


def preset_links(client) -> dict[str, dict[str, list[str]]]:
    response = client.get(reverse("supervisor_cases"), {"status": "closed", "page": "2"})
    return {link["label"]: parse_qs(link["query"]) for link in response.context["presets"]}


def test_the_page_offers_the_presets_for_the_pinned_day_in_the_office_time_zone(
    client, supervisor, clock_at, on_day
):
    on_day(SUNDAY)
    client.force_login(supervisor)  # after moving the clock: a jump of days ends a session
    links = preset_links(client)
    assert links["This week"]["opened_from"] == [MONDAY.isoformat()]
    assert links["This week"]["opened_to"] == [SUNDAY.isoformat()]
    assert links["Today"]["status"] == ["closed"] and "page" not in links["Today"]
    # 11 p.m. on Monday in New York is already Tuesday in UTC: still Monday for the office.
    from tests.clock import office_moment

    clock_at(office_moment(MONDAY, dt.time(23, 0)))
    client.force_login(supervisor)
    assert preset_links(client)["Today"]["opened_from"] == [MONDAY.isoformat()]


def test_it_marks_the_chosen_preset(client, supervisor):
    client.force_login(supervisor)
    body = client.get(reverse("supervisor_cases"), {
        "opened_from": WEDNESDAY.isoformat(), "opened_to": WEDNESDAY.isoformat()}).content.decode()
    assert 'aria-current="true">Today</a>' in body
    assert 'aria-current="true">Yesterday' not in body


def test_it_does_not_mark_each_filter_optional_but_other_forms_still_do(client, supervisor, specialist):
    client.force_login(supervisor)
    assert "(optional)" not in client.get(reverse("supervisor_cases")).content.decode()
    # The dashboard's flow is still marked: only the case filter form opts out.
    assert "(optional)" in client.get(reverse("supervisor_dashboard")).content.decode()


def test_it_shows_errors_for_bad_preset_dates_without_failing(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("supervisor_cases"), {"opened_from": "yesterday", "opened_to": "2026-02-30"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"opened_from", "opened_to"}


def test_it_filters_by_an_area_of_several_flows(client, supervisor, specialist):
    from tests.factories import make_case

    ec = [make_case(specialist, key) for key in ("ec-questions", "ec-agent-cannot-see")]
    make_case(specialist)
    client.force_login(supervisor)
    response = client.get(reverse("supervisor_cases"), {"flow": "area:ec-reports"})
    assert set(response.context["page"].object_list) == set(ec)
    assert "Any EC reports flow" in response.content.decode()
    bad = client.get(reverse("supervisor_cases"), {"flow": "area:nonsense"})
    assert bad.status_code == 200 and "flow" in bad.context["form"].errors
