"""PDF renders with WeasyPrint, from ordinary templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from supportdesk import clock

from .models import Case, CaseEvent


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: it parses its stylesheets on import (~1 s)

    return HTML(string=render_to_string(template, context)).write_pdf()


@dataclass(frozen=True)
class TranscriptLine:
    """One event as the printed transcript lays it out: its frozen text without the step's
    title, which the line already shows (the text begins with it)."""

    event: CaseEvent
    shown: str


def transcript_lines(case: Case) -> list[TranscriptLine]:
    lines = []
    for event in case.events.select_related("user"):
        first, _, rest = event.shown.partition("\n")
        shown = rest if event.step_title and first.strip() == event.step_title.strip() else event.shown
        lines.append(TranscriptLine(event=event, shown=shown.strip()))
    return lines


def transcript_pdf(case: Case) -> bytes:
    """Letter portrait like every SupportDesk PDF; each event kept whole on one page."""
    return render_pdf(
        "supervisor/transcript_pdf.html",
        {"case": case, "lines": transcript_lines(case), "now": clock.now()},
    )
