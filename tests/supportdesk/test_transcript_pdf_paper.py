"""PDFs in one paper size (issue 18): the transcript is US Letter portrait, like the BF report,
each event kept whole, and a 16-event case fits on two pages."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from supportdesk import services
from supportdesk.pdf import transcript_lines, transcript_pdf
from tests.factories import make_case

pytestmark = pytest.mark.django_db

LETTER_PORTRAIT = (612.0, 792.0)  # points

# A long ARSOS path: its steps carry the longest texts (a nine-line Service Inquiry procedure).
PATH = [
    ("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "billing"}),
    ("si_member", {"choice": "existing"}), ("si_my_humana_business", {}),
    ("si_result", {"choice": "unresolved"}), ("escalation", {"choice": "mailbox"}),
    ("mailbox_line", {"mailbox_line-individual": "on"}),
]


def pdf_info(content: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_size(info: dict[str, str]) -> tuple[float, float]:
    width, height = re.match(r"\s*([\d.]+) x ([\d.]+) pts", info["Page size"]).groups()
    return float(width), float(height)


def sixteen_events(user):
    """The ARSOS path, then Back and the same answer again until the case has 16 events (each
    Back discards the drafted escalation and the answer drafts a new one: long artifacts)."""
    case = make_case(user, answers=PATH)
    while case.events.count() < 16:
        case = services.case_back(case=case, user=user)
        step, data = PATH[len(case.path)]
        case = services.case_answer(case=case, user=user, step_key=step, data=data).case
    assert case.events.count() == 16
    return case


def test_the_transcript_is_letter_portrait_and_16_events_fit_on_two_pages(specialist, tmp_path):
    info = pdf_info(transcript_pdf(sixteen_events(specialist)), tmp_path)

    assert page_size(info) == LETTER_PORTRAIT
    assert int(info["Pages"]) <= 2


def test_the_printed_line_does_not_repeat_the_step_title(specialist):
    case = make_case(specialist, answers=PATH[:1])
    line = next(line for line in transcript_lines(case) if line.event.step_key == "sale_stage")
    assert line.event.shown.startswith(line.event.step_title)
    assert not line.shown.startswith(line.event.step_title) and line.shown
