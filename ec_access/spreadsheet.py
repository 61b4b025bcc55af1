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
from typing import NamedTuple

from openpyxl import Workbook

from supportdesk.exports import XLSX_CONTENT_TYPE, write_sheet

__all__ = ["XLSX_CONTENT_TYPE", "NotQueuedRow", "ReportRow", "batch_filename", "batch_workbook"]
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
    """The XLSX bytes, written by the exports' one writer (a group name that looks like a
    formula stays text). openpyxl's write-only mode streams rows instead of keeping a cell object
    for each, which is what keeps 100,000 groups inside the batch's time budget."""
    workbook = Workbook(write_only=True)
    write_sheet(workbook, f"Week of {week_start.isoformat()}", REPORT_COLUMNS, queued)
    write_sheet(workbook, NOT_QUEUED_SHEET, NOT_QUEUED_COLUMNS, not_queued)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
