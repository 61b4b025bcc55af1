"""Every export keeps text that a spreadsheet would run as a formula as text (OWASP, "CSV
Injection"): a quote before it in a CSV, a quote-prefixed text cell in an XLSX. Numbers stay
numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from supportdesk.exports import csv_safe
from supportdesk.models import Case
from tests.factories import make_case

pytestmark = pytest.mark.django_db

HOSTILE = ('=HYPERLINK("http://example.com","x")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


@pytest.mark.parametrize("value", HOSTILE)
def test_a_csv_cell_gets_a_leading_quote(value: str) -> None:
    assert csv_safe(value) == f"'{value}"


@pytest.mark.parametrize("value", ["Sam Rivera", "", "1+1", "a=b", "SD-000001", "'quoted"])
def test_plain_text_is_left_alone(value: str) -> None:
    assert csv_safe(value) == value


def _download(client: Client, name: str, args: list[str]) -> bytes:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _sheet(content: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _assert_text(cell: Any, value: str) -> None:
    assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)


@pytest.fixture
def hostile_cases(specialist: AbstractUser) -> list[Case]:
    cases = []
    for value in HOSTILE:
        case = make_case(specialist)
        Case.objects.filter(pk=case.pk).update(flow_title=value, outcome_title=value)
        cases.append(case)
    return cases


def test_the_case_export_keeps_formulas_as_text(
    client: Client, supervisor: AbstractUser, hostile_cases: list[Case]
) -> None:
    client.force_login(supervisor)
    rows = list(csv.DictReader(io.StringIO(
        _download(client, "supervisor_cases_export", ["csv"]).decode(), newline=""
    )))
    assert sorted(row["Flow"] for row in rows) == sorted(f"'{value}" for value in HOSTILE)
    assert sorted(row["Outcome"] for row in rows) == sorted(f"'{value}" for value in HOSTILE)

    sheet = _sheet(_download(client, "supervisor_cases_export", ["xlsx"]))
    header = [cell.value for cell in sheet[1]]
    flows = {row[header.index("Flow")].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(flows) == set(HOSTILE)
    for value, row in flows.items():
        _assert_text(row[header.index("Flow")], value)
        _assert_text(row[header.index("Outcome")], value)
        assert row[header.index("Flow version")].data_type == "n"  # numbers stay numbers
        assert not row[header.index("Case")].quotePrefix  # SD-000001 is left alone


@pytest.mark.parametrize("value", HOSTILE)
def test_the_dashboard_export_keeps_formulas_as_text(
    client: Client, supervisor: AbstractUser, specialist: AbstractUser, value: str
) -> None:
    specialist.first_name, specialist.last_name = value, ""
    specialist.save()
    make_case(specialist)
    client.force_login(supervisor)
    args = ["specialists"]

    rows = list(csv.reader(io.StringIO(
        _download(client, "supervisor_dashboard_export", [*args, "csv"]).decode(), newline=""
    )))
    assert rows[1][0] == f"'{value.strip() or value}"

    sheet = _sheet(_download(client, "supervisor_dashboard_export", [*args, "xlsx"]))
    _assert_text(sheet["A2"], value.strip() or value)
    assert sheet["B2"].data_type == "n"
