"""One date format across the app (issue 18). People read dates as DATE_FORMAT ("Tue Dec 1, 2026")
or DATETIME_FORMAT ("Tue Dec 1, 2026, 13:49"), from supportdesk/formats/en/formats.py; a
template names no other format, except the machine ones listed here, and those only where no
one reads them: in a ``datetime``/``id`` attribute or a comparison inside a ``{% %}`` tag."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from supportdesk.dates import date_text, datetime_text

TEMPLATES = Path(settings.BASE_DIR) / "templates"

FOR_PEOPLE = {"DATE_FORMAT", "DATETIME_FORMAT"}
FOR_MACHINES = {
    "c",  # ISO 8601, in <time datetime="…">
    "Y-m-d",  # an ISO date in an id (batch_list.html: id="week-2026-11-09")
    "YmdHi",  # comparing two moments to the minute (escalation_detail.html)
}
# ``|date:"…"``, ``|date:'…'`` and ``{% now "…" %}``.
FORMAT = re.compile(r"""\|date:(["'])(?P<a>[^"']*)\1|\{%\s*now\s+(["'])(?P<b>[^"']*)\3""")
MACHINE_PLACE = re.compile(r"""(?:datetime|id)="[^"]*$""")


def _format(match: re.Match[str]) -> str:
    return match["a"] if match["a"] is not None else match["b"]


def _place(text: str, match: re.Match[str]) -> str:
    """What holds the format: a tag's comparison, an attribute, or text people read."""
    start = match.start()
    if match["b"] is not None:  # {% now %} writes its date into the page
        return "text"
    if text.rfind("{%", 0, start) > text.rfind("%}", 0, start):
        return "tag"
    opened = text.rfind("{{", 0, start)
    return "attribute" if MACHINE_PLACE.search(text[max(0, opened - 200):opened]) else "text"


def formats_used() -> list[tuple[str, int, str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for match in FORMAT.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((str(path.relative_to(TEMPLATES)), line, _format(match), _place(text, match)))
    return found


def test_templates_write_dates_for_people_in_the_one_format():
    wrong = [f"{name}:{line} uses |date:\"{fmt}\"" for name, line, fmt, place in formats_used()
             if fmt not in FOR_PEOPLE | FOR_MACHINES]
    assert wrong == [], ("Use |date (DATE_FORMAT) or |date:\"DATETIME_FORMAT\":\n" + "\n".join(wrong))


def test_machine_formats_stay_where_no_one_reads_them():
    shown = [f"{name}:{line} shows |date:\"{fmt}\" to people" for name, line, fmt, place in formats_used()
             if fmt in FOR_MACHINES and place == "text"]
    assert shown == [], "\n".join(shown)


def test_the_checker_sees_each_kind_of_use():
    text = ('<td>{{ a|date:"M j, H:i" }}</td><time datetime="{{ a|date:"c" }}">'
            '{% if a|date:"YmdHi" != b|date:"YmdHi" %}<p>{{ a|date:"c" }}</p>{% now "Y" %}')
    found = [(_format(m), _place(text, m)) for m in FORMAT.finditer(text)]
    assert found == [("M j, H:i", "text"), ("c", "attribute"), ("YmdHi", "tag"), ("YmdHi", "tag"),
                     ("c", "text"), ("Y", "text")]


def test_python_and_templates_write_the_same_format(settings):
    settings.TIME_ZONE = "America/New_York"
    moment = dt.datetime(2026, 12, 1, 18, 49, tzinfo=dt.UTC)
    rendered = Template('{{ m|date }} | {{ m|date:"DATETIME_FORMAT" }}').render(Context({"m": moment}))
    assert rendered == "Tue Dec 1, 2026 | Tue Dec 1, 2026, 13:49"
    assert f"{date_text(moment)} | {datetime_text(moment)}" == rendered
    assert date_text(dt.date(2026, 12, 7)) == "Mon Dec 7, 2026"
