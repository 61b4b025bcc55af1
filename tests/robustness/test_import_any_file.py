"""The EC data import (ec_access.importing, `manage.py import_ec_data`) fed any file: every known
header with rows of arbitrary cells (unicode, NUL, 100 kB, dates from year 1 to 9999), random
bytes, text that is not UTF-8, CSV cells over the csv module's field limit, and .xlsx files that are
not workbooks. The answer is a summary or ImportRefused listing what is wrong (CommandError for
the command); a refused file imports nothing, and a dry run never writes."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ec_access.importing import HEADERS, ImportRefused, ImportSummary, ec_data_import
from ec_access.models import BusinessFunction, EmployerGroup, PortalUser, Product, SLApplication
from tests.robustness.strategies import FUZZ_FEW, date_text, text

pytestmark = pytest.mark.django_db

PLAUSIBLE = {  # values that mean something in each column, so some rows get through
    "group_number": st.sampled_from(["824751", "735190", "100001"]),
    "mtv_shell_group_number": st.sampled_from(["", "824751"]),
    "platform": st.sampled_from(["MTV", "CAS", ""]),
    "ec_number": st.sampled_from(["1177334", ""]),
    "fin_bus_segment_cd": st.sampled_from(["T", "S"]),
    "employees_enrolled": st.sampled_from(["45", "120", "-1"]),
    "product_type": st.sampled_from(["medical", "dental", "go365"]),
    "kind": st.sampled_from(["employer", "agency", "pseudo"]),
    "sl_app_number": st.sampled_from(["5550001", "5550002"]),
    "business_functions": st.sampled_from(["7125, 7126", "8581", ""]),
}


def rows() -> tuple:
    return tuple(model.objects.count() for model in
                 (EmployerGroup, Product, SLApplication, PortalUser, BusinessFunction))


def cell(column: str) -> st.SearchStrategy[str]:
    values = [text(http=True)]
    if column in PLAUSIBLE:
        values.append(PLAUSIBLE[column])
    if column.endswith(("_on", "_from", "_to")):
        values.append(date_text())
    return st.one_of(*values)


@st.composite
def table(draw) -> tuple[str, list[list[str]]]:
    kind = draw(st.sampled_from(sorted(HEADERS)))
    columns = list(HEADERS[kind])
    header = draw(st.one_of(st.just(columns), st.permutations(columns),
                            st.lists(text(http=True), max_size=4)))
    body = draw(st.lists(st.lists(st.one_of(*[cell(c) for c in columns]), max_size=len(columns) + 1),
                         max_size=3))
    return kind, [list(header), *body]


def csv_bytes(records: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(records)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(records: list[list[str]]) -> bytes:
    workbook = Workbook()
    for record in records:  # openpyxl cannot store control characters in a cell at all
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in record])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def imported(path, *, dry_run: bool) -> ImportSummary | ImportRefused:
    try:
        return ec_data_import(path=path, dry_run=dry_run)
    except ImportRefused as refused:
        assert str(refused).strip()
        return refused


@settings(FUZZ_FEW, max_examples=60)  # cheap: a file and a transaction per example
@given(data=table(), as_xlsx=st.booleans(), dry_run=st.booleans())
def test_it_imports_any_table_whole_or_refuses_it_whole(tmp_path_factory, data, as_xlsx, dry_run):
    _, records = data
    path = tmp_path_factory.mktemp("import") / ("ec.xlsx" if as_xlsx else "ec.csv")
    path.write_bytes(xlsx_bytes(records) if as_xlsx else csv_bytes(records))
    before = rows()

    result = imported(path, dry_run=dry_run)

    if isinstance(result, ImportRefused) or dry_run:
        assert rows() == before
    else:
        added = sum(rows()) - sum(before)
        assert 0 <= added <= result.created and result.created + result.updated <= len(records) - 1


@FUZZ_FEW
@given(content=st.one_of(st.binary(max_size=2000), st.binary(min_size=1).map(lambda b: b"PK\x03\x04" + b)),
       suffix=st.sampled_from([".csv", ".xlsx", ".txt", ""]))
def test_it_refuses_any_bytes_with_a_message(tmp_path_factory, content, suffix):
    path = tmp_path_factory.mktemp("import") / f"ec{suffix}"
    path.write_bytes(content)
    before = rows()
    assert isinstance(imported(path, dry_run=False), ImportRefused)  # no header row matches
    assert rows() == before


@pytest.mark.parametrize("name,content,message", [
    ("latin1.csv", ",".join(HEADERS["groups"]).encode() + b"\n824751,CAF\xc9 DU NORD,MTV,,T,4,,no,\n",
     "is not UTF-8 text (byte"),
    ("huge.csv", ",".join(HEADERS["groups"]).encode() + b"\n824751," + b"x" * 200_000 + b",MTV\n",
     "cannot be read as CSV: field larger than field limit"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "is not an Excel workbook SupportDesk can read"),
    ("text.xlsx", b"group_number,name\n", "is not an Excel workbook SupportDesk can read"),
])
def test_it_refuses_a_file_it_cannot_read_with_a_clear_message(tmp_path, name, content, message):
    # Found by the tests above: these were a UnicodeDecodeError, a csv.Error and a BadZipFile
    # traceback out of `manage.py import_ec_data`.
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_ec_data", str(path))
    assert rows() == (0, 0, 0, 0, BusinessFunction.objects.count())


@pytest.mark.parametrize("kind", sorted(HEADERS))
def test_it_refuses_a_nul_in_a_key_column_with_the_rows_message(tmp_path, kind):
    # Found by the tests above: the row's natural key (username, SL app #...) went into a query
    # before the row form could refuse the NUL, and PostgreSQL failed the import.
    columns = HEADERS[kind]
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(csv_bytes([list(columns), ["8247\x0051" for _ in columns]]))
    with pytest.raises(ImportRefused, match="Null characters are not allowed"):
        ec_data_import(path=path)
    assert rows() == (0, 0, 0, 0, BusinessFunction.objects.count())
