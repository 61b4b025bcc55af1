"""Supervisor dashboard: figures against hand-computed ones, constant query counts, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from supportdesk import insights, rollups
from supportdesk.models import Case
from tests.factories import make_case

pytestmark = pytest.mark.django_db

PRE_SALE = [("sale_stage", {"choice": "pre_sale"})]
SI = [("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "billing"}),
      ("si_member", {"choice": "existing"}), ("si_my_humana_business", {}),
      ("si_result", {"choice": "submitted"})]


def timed(case: Case, minutes: float, days_ago: int = 0) -> Case:
    opened = timezone.now() - dt.timedelta(days=days_ago, hours=1)
    fields = {"opened_at": opened}
    if not case.is_open:
        fields["closed_at"] = opened + dt.timedelta(minutes=minutes)
    Case.objects.filter(pk=case.pk).update(**fields)
    # The times move behind the services' back (as a bulk load would): recount the rollups.
    rollups.rebuild()
    return case


def period() -> insights.Period:
    today = timezone.localdate()
    return insights.Period(today - dt.timedelta(days=6), today)


@pytest.fixture
def sample(specialist, other_specialist):
    """Four closed cases (2, 4, 6, 20 minutes), one open today, one closed last month."""
    for minutes, answers, user in ((2, PRE_SALE, specialist), (4, PRE_SALE, specialist),
                                   (6, SI, specialist), (20, SI, other_specialist)):
        timed(make_case(user, answers=answers), minutes)
    make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    timed(make_case(specialist, answers=PRE_SALE), 1, days_ago=40)


def test_it_counts_started_finished_and_handle_times(sample):
    figures = insights.overview(period())
    assert (figures["started"], figures["finished"], figures["open"]) == (5, 4, 1)
    assert figures["finished_share"] == 80.0
    assert figures["median"] == dt.timedelta(minutes=5)  # between 4 and 6
    # percentile_cont(0.9) over 2, 4, 6, 20: 6 + 0.7 * (20 - 6) = 15.8 minutes
    assert abs(figures["p90"].total_seconds() - 15.8 * 60) < 1


def test_it_shares_out_dispositions(sample):
    rows = {row["key"]: (row["count"], row["share"]) for row in insights.dispositions(period())}
    assert rows == {"referred": (2, 50.0), "answered": (2, 50.0)}


def test_it_shows_where_open_cases_stop(sample):
    [row] = insights.drop_off(period())
    assert (row["current_step"], row["open"], row["abandoned"]) == ("topic", 1, 0)
    Case.objects.filter(status="open").update(updated_at=timezone.now() - dt.timedelta(days=2))
    assert insights.drop_off(period())[0]["abandoned"] == 1


def test_it_ranks_branches_and_specialists(sample):
    top = insights.top_branches(period())[0]
    assert (top["step"], top["answer"], top["count"]) == (
        "Is this a pre-sale or a post-sale question?", "Post-sale: a customer service need for a member", 3)
    assert {r["answer"] for r in insights.top_branches(period())} >= {"Billing issues"}
    assert [(r["name"], r["started"], r["finished"]) for r in insights.specialists(period())] == [
        ("Sam Rivera", 4, 3), ("specialist2", 1, 1)]


def test_it_counts_traffic_per_step_and_branch(sample):
    steps, branches = insights.step_traffic(insights.Period(period().start, period().end, "arsos-routing"))
    # The open case stands on "topic" but has not answered it, so only two cases passed it.
    assert steps["sale_stage"] == 5 and steps["topic"] == 2
    assert branches[("sale_stage", "pre_sale")] == 2 and branches[("route", "service_inquiry")] == 2


def test_it_renders_with_the_flow_map_coloured(client, supervisor, sample):
    client.force_login(supervisor)
    body = client.get(reverse("supervisor_dashboard"), {"flow": "arsos-routing"}).content.decode()
    assert "Median handle time" in body and "5 min 00 s" in body
    assert "classDef heat3" in body and "Is this a pre-sale or a post-sale question? · 5" in body
    assert "<svg class=\"chart\"" in body


def test_it_keeps_the_query_count_flat_as_cases_grow(client, supervisor, specialist):
    client.force_login(supervisor)
    url = reverse("supervisor_dashboard") + "?flow=arsos-routing"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(10):
        make_case(specialist, answers=PRE_SALE)
    queries()  # the first request saves the session (its activity mark); the next ones do not
    few = queries()
    Case.objects.bulk_create([
        Case(flow_key="arsos-routing", flow_version=1, flow_title="Agent RSOS", opened_by=specialist,
             current_step="topic", caller_type="agent") for _ in range(990)])
    assert queries() == few


def test_it_explains_a_bad_range(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("supervisor_dashboard"), {"start": "2026-05-02", "end": "2026-05-01"})
    assert response.status_code == 200 and b"The end date is before the start date." in response.content
    response = client.get(reverse("supervisor_dashboard"), {"start": "nonsense", "flow": "x"})
    assert response.status_code == 200 and response.context["form"].errors


def test_it_exports_a_table_as_csv_and_xlsx(client, supervisor, sample):
    client.force_login(supervisor)
    response = client.get(reverse("supervisor_dashboard_export", args=["dispositions", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Disposition", "Cases", "Share %"] and len(rows) == 3
    response = client.get(reverse("supervisor_dashboard_export", args=["specialists", "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == ["Specialist", "Cases started", "Cases finished"]
    assert [c.value for c in sheet[2]] == ["Sam Rivera", 4, 3]
    assert client.get(reverse("supervisor_dashboard_export", args=["nope", "csv"])).status_code == 404


def test_it_exports_the_filtered_case_list(client, supervisor, sample):
    client.force_login(supervisor)
    response = client.get(reverse("supervisor_cases_export", args=["csv"]), {"status": "closed"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Case" and len(rows) == 1 + 5
    assert all(row[10] == "Closed" for row in rows[1:])
    response = client.get(reverse("supervisor_cases_export", args=["xlsx"]), {"status": "open"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 2 and sheet.cell(2, 1).value.startswith("SD-")


@pytest.mark.parametrize("name,args", [
    ("supervisor_dashboard", []), ("supervisor_dashboard_export", ["dispositions", "csv"]),
    ("supervisor_cases_export", ["csv"]),
])
def test_it_is_for_supervisors_only(client, specialist, access_user, name, args):
    for user in (specialist, access_user):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 403


def test_it_shows_the_arsos_sla_without_member_data(client, supervisor, specialist):
    from agent_rsos.demo import load_agent_rsos_demo
    from agent_rsos.models import Escalation

    load_agent_rsos_demo(timezone.localdate())
    client.force_login(supervisor)
    body = client.get(reverse("supervisor_dashboard")).content.decode()
    overdue = Escalation.objects.filter(status__in=Escalation.OPEN_STATES, next_due_at__lte=timezone.now())
    assert overdue.exists()
    for escalation in overdue:
        assert f"#{escalation.pk}</a>" in body
    for escalation in Escalation.objects.exclude(member_last_name=""):
        assert escalation.member_last_name not in body and escalation.member_id not in body
    response = client.get(reverse("supervisor_dashboard_export", args=["arsos-sla", "csv"]))
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header == "Week of,Sent,Measured,On time,Follow-ups missed,Compliant,Compliance"


def test_it_reads_the_open_cases_once_for_the_drop_off_and_the_abandoned(
        client, supervisor, specialist, clock_at):
    make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    clock_at(timezone.now() + dt.timedelta(days=2))  # the open case is abandoned now
    client.force_login(supervisor)
    client.get(reverse("supervisor_dashboard"))  # the first request saves the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("supervisor_dashboard"))
    case_table = connection.ops.quote_name(Case._meta.db_table)
    open_reads = [q for q in captured
                  if f"FROM {case_table}" in q["sql"] and "'open'" in q["sql"]]
    assert len(open_reads) == 1, [q["sql"] for q in open_reads]
    assert response.context["overview"]["abandoned"] == 1
    assert response.context["drop_off"][0]["abandoned"] == 1
