"""PDFs in one paper size (issue 18): the BF report is US Letter portrait, like the transcript."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from ec_access.pdf import bf_report_pdf
from ec_access.queries import bf_report
from tests.ec_access.make import make_eligible_group

pytestmark = pytest.mark.django_db


def test_the_bf_report_is_one_letter_portrait_page(on_day, tmp_path):
    today = on_day(dt.date(2026, 12, 9))
    group, _ = make_eligible_group(group_number="824751")
    path = tmp_path / "bf.pdf"
    path.write_bytes(bf_report_pdf(bf_report(group, today)))

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Page size:       612 x 792 pts (letter)" in info
    assert "Pages:           1" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "computed Wed Dec 9, 2026, 10:00 from SupportDesk data" in text  # the one date format
