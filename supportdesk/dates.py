"""Dates and times in texts written from Python (step texts, refusals, case notes), in the one
format the templates use: ``date_text`` as ``{{ value|date }}`` ("Tue Dec 1, 2026"),
``datetime_text`` as ``{{ value|date:"DATETIME_FORMAT" }}`` ("Tue Dec 1, 2026, 13:49"), both from
supportdesk/formats/en/formats.py.

Not for machines: exports, ServiceNow fields and filenames keep ISO 8601, and a text whose
format a source document prescribes keeps that format.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format


def date_text(value: dt.date) -> str:
    """The day, as people read it on every page. A datetime is first put in office time."""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return date_format(value, "DATE_FORMAT")


def datetime_text(value: dt.datetime) -> str:
    """The moment in office time (``TIME_ZONE``), as people read it on every page."""
    return date_format(_local(value), "DATETIME_FORMAT")


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value
