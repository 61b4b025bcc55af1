"""What the view tests share about the pages: the header htmx sends, and a case's step page."""

from __future__ import annotations

from django.urls import reverse

from supportdesk.models import Case

# What htmx adds to every request it makes: ``client.post(url, data, **HTMX)``.
HTMX = {"HTTP_HX_REQUEST": "true"}


def step_url(case: Case) -> str:
    """The page of the step the case stands on."""
    return reverse("case_step", args=[case.reference, case.current_step])
