"""PDF renders with WeasyPrint, from ordinary templates."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from .models import Case


def transcript_pdf(case: Case) -> bytes:
    from weasyprint import HTML  # imported late: it parses its stylesheets on import (~1 s)

    html = render_to_string(
        "supervisor/transcript_pdf.html",
        {"case": case, "events": case.events.select_related("user"), "now": timezone.now()},
    )
    return HTML(string=html).write_pdf()
