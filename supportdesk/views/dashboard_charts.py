"""The dashboard's charts, drawn on the server as SVG: no chart library, no CDN, readable
without JavaScript, each above the table it draws.

No viewBox: the SVG is as wide as its card and its text is set in pixels, so labels stay
13 px on a phone and on a wide screen alike (a scaled viewBox made them 6 to 18 px). Bars
are placed in percentages of the width, text in pixels beside them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# A label line above each bar, then the bar with its value: readable at any width.
ROW, BAR_TOP, BAR_HEIGHT = 40, 20, 14
# Bars take at most this share of the width, leaving room for the value after the longest.
BAR_SHARE = 85.0
DAY_PLOT_TOP, DAY_PLOT_HEIGHT, DAY_AXIS = 22, 120, 22
NOTHING = "Nothing to chart in this range."


def bar_chart(rows: Sequence[dict[str, Any]], label: str, value: str, title: str) -> SafeString:
    """A horizontal bar chart of ``rows`` (dicts), bars sized by ``value``, named by ``label``."""
    if not rows:
        return format_html('<p class="muted small">{}</p>', NOTHING)
    top = max(float(row[value] or 0) for row in rows) or 1.0
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="0" y="14" class="chart-label">{}</text>'
        '<rect x="0" y="{}" width="{}%" height="{}" rx="3" class="chart-bar"></rect>'
        '<text x="{}%" dx="6" y="{}" class="chart-value">{}</text></g>',
        (
            (i * ROW, _short(str(row[label])), BAR_TOP, width, BAR_HEIGHT, width,
             BAR_TOP + BAR_HEIGHT - 2, row[value])
            for i, row in enumerate(rows)
            for width in [_share(float(row[value] or 0), top)]
        ),
    )
    return format_html(
        '<svg class="chart" width="100%" height="{}" role="img" aria-label="{}">'
        "<title>{}</title>{}</svg>",
        ROW * len(rows), title, title, bars,
    )


def day_chart(days: Sequence[dict[str, Any]], title: str) -> SafeString:
    """Columns for ``days`` ({"day": date, "count": int}, one per day in order), with the
    busiest day's count on a gridline and the first and last dates under the axis."""
    if not days or not any(row["count"] for row in days):
        return format_html('<p class="muted small">{}</p>', NOTHING)
    top = max(row["count"] for row in days)
    slot = 100 / len(days)
    floor = DAY_PLOT_TOP + DAY_PLOT_HEIGHT
    columns = format_html_join(
        "",
        '<rect x="{}%" y="{}" width="{}%" height="{}" class="{}"><title>{}: {}</title></rect>',
        (
            (_pct(i * slot + slot * 0.1), floor - height, _pct(slot * 0.8), height,
             "chart-day" if row["count"] else "chart-day-empty",
             _day(row["day"]), _cases(row["count"]))
            for i, row in enumerate(days)
            for height in [max(1, round(DAY_PLOT_HEIGHT * row["count"] / top))]
        ),
    )
    first, last = days[0]["day"], days[-1]["day"]
    return format_html(
        '<svg class="chart chart-days" width="100%" height="{}" role="img" aria-label="{}">'
        "<title>{}</title>"
        '<line x1="0" x2="100%" y1="{}" y2="{}" class="chart-grid"></line>'
        '<text x="0" y="14" class="chart-value">{}</text>'
        '{}<line x1="0" x2="100%" y1="{}" y2="{}" class="chart-grid"></line>'
        '<text x="0" y="{}" class="chart-label chart-axis">{}</text>'
        '<text x="100%" y="{}" text-anchor="end" class="chart-label chart-axis">{}</text></svg>',
        floor + DAY_AXIS, title, title, DAY_PLOT_TOP, DAY_PLOT_TOP,
        f"Busiest day: {_cases(top)}", columns, floor, floor,
        floor + DAY_AXIS - 4, _day(first), floor + DAY_AXIS - 4, _day(last),
    )


def _share(part: float, whole: float) -> str:
    return _pct(max(0.4, BAR_SHARE * part / whole))


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _day(day: dt.date) -> str:
    return f"{day:%b} {day.day}"


def _cases(count: int) -> str:
    return f"{count} case{'' if count == 1 else 's'}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def duration(value: dt.timedelta | None) -> str:
    """45 s; 4 min 05 s; 38 min; 3.5 h: seconds while they matter, never "0.0 min"."""
    if value is None:
        return "—"
    seconds = round(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 10 * 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    minutes = seconds / 60
    return f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.1f} h"
