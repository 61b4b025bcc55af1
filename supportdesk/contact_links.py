"""Contacts in a step's text as links: e-mail addresses as ``mailto:``, phone numbers as
``tel:`` (digits only, an extension as ``;ext=``), web addresses as plain links.

The text is escaped piece by piece and only the links this module builds are markup, so HTML
in a flow's text stays text. Used by the ``contact_links`` template filter.
"""

from __future__ import annotations

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_EMAIL = r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
# A URL ends before a space, a quote or an angle bracket; a trailing full stop, comma or an
# unmatched closing parenthesis is the sentence's, not the address's (trimmed below).
_URL = r"(?P<url>https?://[^\s<>\"'`]+)"
# North American numbers as the documents write them: 1-800-448-6262, (860) 555-0100,
# 800.555.1234, +1 800 555 1234, with an optional "ext 12" / "x12" / "extension 12".
_PHONE = (
    r"(?P<phone>(?<![\w.+-])(?P<number>(?:\+?1[-. ]?)?(?:\(\d{3}\)[-. ]?|\d{3}[-. ])\d{3}[-. ]\d{4})"
    r"(?:,?\s*(?:ext\.?|extension|x)\s*(?P<ext>\d{1,6}))?)(?![\w-])"
)
_CONTACT = re.compile(f"{_URL}|{_EMAIL}|{_PHONE}", re.IGNORECASE)
_TRAILING = ".,;:!?"


def _trim_url(url: str) -> tuple[str, str]:
    """The address and what follows it in the sentence ("(see https://x.org/a)." → ")."."""
    tail = ""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        tail = url[-1] + tail
        url = url[:-1]
    return url, tail


def _tel(number: str, ext: str | None) -> str:
    digits = re.sub(r"\D", "", number)
    return f"tel:{digits};ext={ext}" if ext else f"tel:{digits}"


def link_contacts(text: object) -> SafeString:
    """``text`` escaped, with its e-mail addresses, phone numbers and web addresses as links.
    Text already marked safe is HTML someone built: it is returned as it is."""
    if isinstance(text, SafeString):  # what mark_safe() gives (Django's only SafeData)
        return text
    text = "" if text is None else str(text)
    parts: list[str] = []
    last = 0
    for match in _CONTACT.finditer(text):
        parts.append(escape(text[last:match.start()]))
        last = match.end()
        if url := match.group("url"):
            url, tail = _trim_url(url)
            parts.append(format_html('<a href="{}">{}</a>', url, url) + escape(tail))
        elif email := match.group("email"):
            parts.append(format_html('<a href="mailto:{}">{}</a>', email, email))
        else:
            phone = match.group("phone")
            parts.append(format_html('<a href="{}" class="tel">{}</a>',
                                     _tel(match.group("number"), match.group("ext")), phone))
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))
