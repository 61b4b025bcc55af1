"""Dashboard charts: pixel-sized text (no viewBox), short handle times in seconds, and the
cases-per-day chart's numbers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from supportdesk import insights, rollups
from supportdesk.models import Case
from supportdesk.views.dashboard import _duration
from supportdesk.views.dashboard_charts import bar_chart, day_chart
from tests.clock import PINNED_DAY, office_moment
from tests.factories import make_case

PRE_SALE = [("sale_stage", {"choice": "pre_sale"})]


@pytest.mark.parametrize("seconds,shown", [
    (3, "3 s"), (45, "45 s"), (59.4, "59 s"), (60, "1 min 00 s"), (245, "4 min 05 s"),
    (38 * 60, "38 min"), (3.5 * 3600, "3.5 h"),
])
def test_it_says_short_handle_times_in_seconds(seconds, shown):
    assert _duration(dt.timedelta(seconds=seconds)) == shown
    assert _duration(None) == "—"


def test_the_charts_draw_text_in_pixels_not_in_a_scaled_viewbox():
    rows = [{"label": "Referred to another team", "count": 3}, {"label": "Answered", "count": 1}]
    svg = str(bar_chart(rows, "label", "count", "Outcomes"))
    days = str(day_chart([{"day": PINNED_DAY, "count": 2}], "Per day"))
    for chart in (svg, days):
        assert "viewBox" not in chart and 'width="100%"' in chart
    assert 'width="85%"' in svg and 'width="28.33%"' in svg  # 3 → the longest bar, 1 → a third


@pytest.mark.django_db
def test_it_counts_cases_per_day_in_the_office_time_zone(specialist):
    def opened_at(case: Case, moment: dt.datetime) -> None:
        Case.objects.filter(pk=case.pk).update(opened_at=moment)
        # The times move behind the services' back (as a bulk load would): recount the rollups.
        rollups.rebuild()

    monday = PINNED_DAY - dt.timedelta(days=2)
    for _ in range(3):
        make_case(specialist, answers=PRE_SALE)  # today, 10:00
    opened_at(make_case(specialist), office_moment(monday, dt.time(23, 30)))  # UTC: Tuesday
    opened_at(make_case(specialist), office_moment(monday, dt.time(0, 5)))
    opened_at(make_case(specialist), office_moment(monday - dt.timedelta(days=1), dt.time(12)))
    days = insights.cases_per_day(insights.Period(monday, PINNED_DAY))
    assert [(row["day"], row["count"]) for row in days] == [
        (monday, 2), (monday + dt.timedelta(days=1), 0), (PINNED_DAY, 3)]


@pytest.mark.django_db
def test_the_dashboard_draws_and_exports_cases_per_day(client, supervisor, specialist):
    make_case(specialist, answers=PRE_SALE)
    Case.objects.filter(pk=make_case(specialist).pk).update(opened_at=timezone.now() - dt.timedelta(days=2))
    # The times move behind the services' back (as a bulk load would): recount the rollups.
    rollups.rebuild()
    client.force_login(supervisor)
    body = client.get(reverse("supervisor_dashboard")).content.decode()
    chart = re.search(r'<svg class="chart chart-days".*?</svg>', body, re.S).group(0)
    assert chart.count("<rect") == 30  # the default range: 30 days
    assert "<title>Nov 18: 1 case</title>" in chart and "<title>Nov 16: 1 case</title>" in chart
    assert "<title>Nov 17: 0 cases</title>" in chart
    assert "Busiest day: 1 case" in chart and ">Oct 20<" in chart and ">Nov 18<" in chart
    assert "(optional)" in body  # the dashboard's own form keeps its marks
    response = client.get(reverse("supervisor_dashboard_export", args=["cases-per-day", "csv"]))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "Day,Cases opened" and len(lines) == 31
    assert lines[-3:] == ["2026-11-16,1", "2026-11-17,0", "2026-11-18,1"]


@pytest.mark.django_db
def test_the_drop_off_export_names_flows_by_title(client, supervisor, specialist):
    make_case(specialist)
    client.force_login(supervisor)
    response = client.get(reverse("supervisor_dashboard_export", args=["drop-off", "csv"]))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert "arsos-routing" not in "\n".join(lines)
    assert lines[1].startswith("Agent RSOS")
