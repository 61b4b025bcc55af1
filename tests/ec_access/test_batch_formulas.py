"""The weekly batch spreadsheet keeps a group name that looks like a formula as text, with the
exports' one writer: quote-prefixed text cells, and the header frozen with its filter."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.ec_access.make import make_group, make_product
from tests.ec_access.test_batch import HEADER, WEDNESDAY, new_group, run

pytestmark = pytest.mark.django_db

HOSTILE = ('=HYPERLINK("http://example.com","x")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


def test_it_keeps_every_hostile_group_name_as_text() -> None:
    for number, value in enumerate(HOSTILE):
        new_group(group_number=f"{100001 + number}", name=value)
        dental = make_group(f"{200001 + number}", name=value, portal_registered_on=WEDNESDAY)
        make_product(dental, "dental")

    report, not_queued = load_workbook(io.BytesIO(bytes(run().run.spreadsheet))).worksheets

    assert tuple(cell.value for cell in report[1]) == HEADER
    assert (report.freeze_panes, report.auto_filter.ref) == ("A2", f"A1:G{len(HOSTILE) + 1}")
    names = {row[2].value: row[2] for row in report.iter_rows(min_row=2)}
    skipped = {row[1].value: row[1] for row in not_queued.iter_rows(min_row=2)}
    assert set(names) == {value.upper() for value in HOSTILE}  # as the BF report prints it
    assert set(skipped) == set(HOSTILE)
    for found in (names, skipped):
        for cell in found.values():
            assert (cell.data_type, cell.quotePrefix) == ("s", True)
