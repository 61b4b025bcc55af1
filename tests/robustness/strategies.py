"""Hypothesis strategies for hostile input: what a browser, a script or a pasted spreadsheet sends.

Two alphabets. Python callers (forms, services, commands) can be handed any ``str``, lone
surrogates included. An HTTP body is bytes that Django decodes as UTF-8 with errors="replace", so
a surrogate can never reach a view (the test client cannot even encode one): the view tests use
every code point that UTF-8 can carry, NUL and the bidi controls included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# Bounded runs: the whole of tests/robustness stays well under a minute. deadline=None because
# a 100 kB value through a regex validator is legitimately slower than hypothesis's default.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written into the repository (.hypothesis/)
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the db and users are shared by the examples
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
# The slower entry points (a request or a transaction per example): fewer examples, and no
# shrinking, which can spend minutes on a 100 kB value; a failure prints the example as drawn.
FUZZ_FEW = settings(FUZZ, max_examples=30, phases=[Phase.explicit, Phase.reuse, Phase.generate])

NUL = "\x00"
SURROGATE = "\ud800"
RTL_OVERRIDE, RTL_MARK, LTR_MARK = "\u202e", "\u200f", "\u200e"
HUGE = 100_000  # characters: a pasted spreadsheet, a runaway script

NASTY = (
    "",
    " ",
    NUL,
    f"8247{NUL}51",
    f"{RTL_OVERRIDE}157428{LTR_MARK}",
    f"{RTL_MARK}Okonkwo{RTL_MARK}",
    "\ufeff824751",  # a byte order mark from Excel
    "٨٢٤٧٥١",  # Arabic-Indic digits: \d matches them
    "８２４７５１",  # full-width digits
    "824751\n",
    "\r\n\t",
    "'; DROP TABLE supportdesk_case; --",
    "<script>alert(1)</script>",
    "{{ request }}{% debug %}",
    "%s%s%n",
    "on",
    "true",
    "-1",
    "0",
    "1e309",
    "NaN",
    "99999999999999999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "https://",
    "javascript:alert(1)",
    "https://" + "a" * 600 + ".example",
)

# Values of 100 kB or more, built once: drawn as often as any other nasty value (a few percent of
# the fields), so they are always exercised without making every example slow.
HUGE_VALUES = tuple(char * (HUGE + extra) for extra, char in
                    enumerate(["x", "9", "é", "😀", NUL, RTL_MARK]))


def text(*, http: bool = False, max_size: int = 40) -> st.SearchStrategy[str]:
    """Arbitrary text: the nasty values above, random unicode, and values of 100 kB or more."""
    alphabet = st.characters(codec="utf-8") if http else st.characters(exclude_categories=())
    nasty = [value for value in NASTY if not (http and SURROGATE in value)]
    if not http:
        nasty.append(f"Okonkwo{SURROGATE}")
    return st.one_of(st.sampled_from([*nasty, *HUGE_VALUES]), st.text(alphabet, max_size=max_size))


def date_text() -> st.SearchStrategy[str]:
    """Dates from year 1 to 9999, and the strings just outside."""
    return st.one_of(
        st.dates(dt.date.min, dt.date.max).map(dt.date.isoformat),
        st.sampled_from(["0001-01-01", "9999-12-31", "10000-01-01", "0000-12-31", "2024-13-01",
                         "1900-01-01", "2199-12-31", "12/31/2024"]),
    )


def datetime_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.datetimes(dt.datetime.min, dt.datetime.max).map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
        st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59", "2024-02-30T10:00",
                         "2024-06-01T25:61"]),
    )


def value_for(field: forms.Field, *, http: bool) -> st.SearchStrategy[Any]:
    """What could arrive for ``field``: plausible values and hostile ones, in the shape a
    QueryDict holds them (a list per key)."""
    hostile = text(http=http)
    if isinstance(field, forms.MultipleChoiceField):
        offered = [str(key) for key, _ in field.choices if key != ""]
        items = st.one_of(st.sampled_from(offered), hostile) if offered else hostile
        return st.lists(items, max_size=6)
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        offered = [str(key) for key, _ in getattr(field, "choices", []) if key not in ("", None)]
        plausible = st.sampled_from(offered) if offered else st.integers(-5, 10**12).map(str)
        single = st.one_of(plausible, hostile)
    elif isinstance(field, forms.DateTimeField):
        single = st.one_of(datetime_text(), hostile)
    elif isinstance(field, forms.DateField):
        single = st.one_of(date_text(), hostile)
    elif isinstance(field, forms.IntegerField):
        single = st.one_of(st.integers(-(10**20), 10**20).map(str), hostile)
    elif isinstance(field, forms.BooleanField):
        single = st.one_of(st.sampled_from(["on", "", "false", "0", "1"]), hostile)
    else:
        single = hostile
    return st.lists(single, min_size=1, max_size=2)


def form_data(form_class: type[forms.BaseForm], *, prefix: str | None = None, http: bool = False,
              init_kwargs: Mapping[str, Any] | None = None,
              hints: Mapping[str, st.SearchStrategy[str]] | None = None,
              ) -> st.SearchStrategy[dict[str, list]]:
    """POST data for ``form_class``: any subset of its fields (missing fields included), each
    with plausible or hostile values, plus an unexpected key now and then. ``hints`` adds values
    that mean something in the test's database (an existing group number), so the examples also
    reach what lies behind a valid answer."""
    fields = form_class(**(init_kwargs or {})).fields
    hints = hints or {}
    optional = {}
    for name, field in fields.items():
        values = value_for(field, http=http)
        if name in hints:
            values = st.one_of(hints[name].map(lambda value: [value]), values)
        optional[f"{prefix}-{name}" if prefix else name] = values
    optional["unexpected"] = st.lists(text(http=http), min_size=1, max_size=1)
    return st.fixed_dictionaries({}, optional=optional)


def as_query(data: Mapping[str, list]) -> MultiValueDict:
    """The data as request.POST holds it (getlist for multiple choices)."""
    return MultiValueDict({key: list(values) for key, values in data.items()})


def strings_in(value: Any) -> list[str]:
    """Every string inside a cleaned value (dicts, lists, model instances' str excluded)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for item in [*value.keys(), *value.values()] for s in strings_in(item)]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for item in value for s in strings_in(item)]
    return []
