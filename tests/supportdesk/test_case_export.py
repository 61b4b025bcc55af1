"""The case-list export reads like the page: labels, names, handle time; the XLSX keeps its
header in view and carries Excel's filter buttons."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from supportdesk.exports import minutes_seconds
from supportdesk.models import Case
from tests.factories import make_case

pytestmark = pytest.mark.django_db

ANSWERED = [("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "medicaid"})]


@pytest.fixture
def exported(client, supervisor, specialist):
    client.force_login(supervisor)
    closed = make_case(specialist, answers=ANSWERED, group_number="824751")
    opened = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk=closed.pk).update(opened_at=opened, closed_at=opened + dt.timedelta(minutes=4, seconds=5))
    make_case(specialist)  # still open: no handle time

    def export(fmt: str, **filters: str) -> bytes:
        response = client.get(reverse("supervisor_cases_export", args=[fmt]), filters)
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    return export


def test_it_writes_labels_names_and_handle_time_in_the_csv(exported):
    rows = list(csv.DictReader(io.StringIO(exported("csv").decode())))
    closed, still_open = sorted(rows, key=lambda row: row["Status"])
    assert closed["Specialist"] == "Sam Rivera"
    assert closed["Caller"] == "Agent"
    assert (closed["Status"], closed["Disposition"]) == ("Closed", "Referred to another team")
    assert closed["Handle time (min:s)"] == "4:05"
    assert (still_open["Status"], still_open["Handle time (min:s)"], still_open["Disposition"]) == ("Open", "", "")
    assert "+00:00" not in closed["Opened"]  # office time, as on the page


def test_it_freezes_the_header_and_filters_the_xlsx(exported):
    sheet = load_workbook(io.BytesIO(exported("xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}3"
    assert sheet["A1"].font.b
    rows = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    closed = next(row for row in rows if row["Status"] == "Closed")
    assert closed["Handle time (min:s)"] == dt.timedelta(minutes=4, seconds=5)
    assert (closed["Specialist"], closed["Caller"], closed["Disposition"]) == ("Sam Rivera", "Agent", "Referred to another team")
    assert isinstance(closed["Opened"], dt.datetime) and closed["Opened"].tzinfo is None


def test_an_empty_xlsx_still_has_its_header_and_filter(exported):
    sheet = load_workbook(io.BytesIO(exported("xlsx", status="waiting"))).active
    assert sheet.max_row == 1 and sheet.auto_filter.ref.endswith("1")


def test_bad_filters_export_nothing_rather_than_fail(exported):
    assert exported("csv", opened_from="nonsense").decode().count("\n") == 1


def test_it_writes_minutes_past_the_hour():
    assert minutes_seconds(dt.timedelta(seconds=59.6)) == "1:00"
    assert minutes_seconds(dt.timedelta(hours=1, minutes=15, seconds=30)) == "75:30"
