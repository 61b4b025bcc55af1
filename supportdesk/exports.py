"""CSV and XLSX exports that stream: rows are written as they are read, never all in memory.

The one writer for every spreadsheet SupportDesk makes (the supervisor's exports and the EC weekly
batch): a bold, frozen header row with Excel's filter buttons, and text that a spreadsheet would
read as a formula kept as text (OWASP, "CSV Injection"): a string starting with = + - @, a tab or
a carriage return gets a leading single quote in a CSV, and in an XLSX is a text cell with Excel's
quote prefix (the apostrophe Excel itself keeps when one types '=1+1). Numbers and dates stay typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel shows a duration cell as minutes:seconds, past the hour too (75:30, not 1:15:30).
DURATION_FORMAT = "[mm]:ss"


class _Echo:
    """csv.writer writes into this and gets the line back, so each row streams out at once."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_text(value) for value in row])


def write_sheet(
    workbook: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """One sheet of a write-only workbook: the labelled header, then the rows as they come.
    Returns how many rows it wrote."""
    sheet = workbook.create_sheet(title[:31])
    # The header stays in view while scrolling, and carries Excel's filter buttons.
    sheet.freeze_panes = "A2"
    for number, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(10, len(name) + 4)
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, name, bold) for name in header])
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    # Set after the rows: write-only mode writes the filter element when the sheet closes.
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{count + 1}"
    return count


def export_response(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse | FileResponse:
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    # openpyxl's write-only mode keeps one row in memory; the file spools to disk past 8 MB.
    workbook = Workbook(write_only=True)
    write_sheet(workbook, filename, header, rows)
    # Not a with-block: FileResponse closes the file once it has been streamed.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )


def minutes_seconds(value: dt.timedelta) -> str:
    """A duration as m:ss (4:05; 75:30 past the hour), the way a handle time is read."""
    seconds = round(value.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def _header_cell(sheet: Any, name: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, name)
    cell.font = font
    return cell


def csv_safe(value: str) -> str:
    """A string a spreadsheet would read as a formula, with the leading quote that keeps it text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        if not value.startswith(FORMULA_STARTS):
            return value
        # openpyxl would write "=..." as a formula; a text cell with the quote prefix stays text,
        # also when someone edits it in Excel.
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    if isinstance(value, dt.timedelta):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DURATION_FORMAT
        return cell
    # Excel has no time zones: write aware datetimes as local naive ones.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_safe(value)
    if isinstance(value, dt.timedelta):
        return minutes_seconds(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return value
