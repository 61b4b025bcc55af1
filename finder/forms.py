from __future__ import annotations

from django import forms

from .text import MAX_QUESTION


class FinderForm(forms.Form):
    """What the specialist types in the finder. Sent as a POST: it stays out of URLs, the
    browser's history and the access logs."""

    q = forms.CharField(label="Find a flow", max_length=MAX_QUESTION, required=False, strip=True)
