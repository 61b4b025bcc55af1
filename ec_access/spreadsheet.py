"""The weekly batch spreadsheet sent to Access Management (seed 000, line 164: "Spreadsheet sent to
Access Management for processing on Monday").

The first sheet is the seed's BF report (line 238: "EC# Group # Group Name Platform FIN BUS SEGMENT
CD Business Functions"), one row per queued group, plus the SL app # Access Management adds the EC#
to. The second sheet lists the groups the batch did not queue, with the reason.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_COLUMNS = (
    "EC#", "Group #", "Group Name", "Platform", "FIN BUS SEGMENT CD", "Business Functions", "SL app #",
)
NOT_QUEUED_SHEET = "Not queued"
NOT_QUEUED_COLUMNS = ("Group #", "Group Name", "Outcome", "Reason")


class ReportRow(NamedTuple):
    """One line of the BF report as Customer Reporting prints it, and the SL app # it is for: the
    cells in column order, appended to the sheet as they are (cheap to build 100,000 times)."""

    ec_identifier: str
    group_number: str
    group_name: str  # upper case, as the report prints it
    platform_code: str
    fin_bus_segment_cd: str
    business_functions: str  # "7125, 7126, 8581"
    sl_app_number: str


class NotQueuedRow(NamedTuple):
    group_number: str
    group_name: str
    outcome: str  # "Not eligible" or "Skipped"
    reason: str


def batch_filename(week_start: dt.date) -> str:
    return f"EC-weekly-batch-{week_start.isoformat()}.xlsx"


def batch_workbook(
    *, week_start: dt.date, queued: Iterable[ReportRow], not_queued: Iterable[NotQueuedRow]
) -> bytes:
    """The XLSX bytes. openpyxl's write-only mode streams rows instead of keeping a cell object
    for each, which is what keeps 100,000 groups inside the batch's time budget."""
    workbook = Workbook(write_only=True)
    report = workbook.create_sheet(f"Week of {week_start.isoformat()}")
    report.append(REPORT_COLUMNS)
    for row in queued:
        if row.group_name.startswith("="):
            row = row._replace(group_name=_text_cell(report, row.group_name))
        report.append(row)
    skipped = workbook.create_sheet(NOT_QUEUED_SHEET)
    skipped.append(NOT_QUEUED_COLUMNS)
    for line in not_queued:
        if line.group_name.startswith("="):
            line = line._replace(group_name=_text_cell(skipped, line.group_name))
        skipped.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: Any, value: str) -> Any:
    """openpyxl writes a string that starts with "=" as a formula; a group name stays text."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell
