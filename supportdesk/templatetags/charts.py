"""Server-side SVG bar charts: no chart library, no CDN, readable without JavaScript.
Every chart on a page sits above the table it draws."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

ROW, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 26, 230, 360, 70


@register.simple_tag
def bar_chart(rows: Sequence[dict[str, Any]], label: str, value: str, title: str) -> SafeString:
    """A horizontal bar chart of ``rows`` (dicts), bars sized by ``value``, named by ``label``."""
    if not rows:
        return format_html('<p class="muted small">{}</p>', "Nothing to chart in this range.")
    top = max(float(row[value] or 0) for row in rows) or 1.0
    height = ROW * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="17" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="4" width="{}" height="17" rx="3" class="chart-bar"></rect>'
        '<text x="{}" y="17" class="chart-value">{}</text></g>',
        (
            (
                i * ROW, LABEL_WIDTH - 8, _short(str(row[label])), LABEL_WIDTH,
                max(2, round(BAR_WIDTH * float(row[value] or 0) / top)),
                LABEL_WIDTH + max(2, round(BAR_WIDTH * float(row[value] or 0) / top)) + 6,
                row[value],
            )
            for i, row in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">'
        "<title>{}</title>{}</svg>",
        width, height, title, title, bars,
    )


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
