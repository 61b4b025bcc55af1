from __future__ import annotations

from supportdesk import clock
from supportdesk.pdf import render_pdf

from . import rules
from .queries import BFReport


def bf_report_pdf(report: BFReport) -> bytes:
    if not report.sendable:
        raise ValueError("A blank BF report, or one without an EC#, is never rendered for sending.")
    return render_pdf(
        "ec_access/bf_report_pdf.html",
        {"report": report, "rules": rules, "now": clock.now()},
    )
