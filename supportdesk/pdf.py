"""PDF renders with WeasyPrint, from ordinary templates."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from supportdesk import clock

from .models import Case


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: it parses its stylesheets on import (~1 s)

    return HTML(string=render_to_string(template, context)).write_pdf()


def transcript_pdf(case: Case) -> bytes:
    return render_pdf(
        "supervisor/transcript_pdf.html",
        {"case": case, "events": case.events.select_related("user"), "now": clock.now()},
    )
