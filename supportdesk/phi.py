"""The no-member-data rule for what a specialist types freely (a case note).

DESIGN.md, Data care: "Member names, IDs and dates of birth are protected health information:
never log them, never put them in URLs". A case's transcript is read by supervisors and printed
to PDF, so a note must not carry them either. The case page says so; ``find_member_data``
enforces it. Plain functions over plain values: the date is passed in, nothing is read.

What is refused, and why (our reading; no document lists member ID formats):

- A **member ID**: letters then six or more digits, as on a Humana ID card (H55501234, the ARSOS
  mailbox's "Member ID #"); a Medicare number (MBI, 1EG4-TE5-MK73); a Social Security number
  (123-45-6789); and any number written after a member-ID label ("member ID", "client ID": the
  HUSKY Client ID is nine digits, 111111111 in the provider-portal document, the same shape as
  an SL app number, so an unlabelled nine-digit number stays allowed).
- A **date of birth**: any full date (day, month and year) on or before ``today``, however it is
  written (2/19/1958, 1958-02-19, Feb 19, 1958, 19 February 1958, 19580219): on a call about a
  member, a past date with its year is the likeliest date of birth, and a newborn's is recent.
  A future date (a follow-up) and a date without its year ("Dec 8") are allowed. Anything after
  a birth label ("DOB", "date of birth", "born").
- A **member's name** written after a name label ("member name: …", "patient's name is …").
  Names are otherwise not detectable; the page asks never to type them.

What stays allowed, because notes need it: group numbers (824751), SL app numbers (5550013),
EC identifiers, ServiceNow numbers (INC0012345, REQ0012345, RITM0012345), SupportDesk case
references (SD-000123), EC request numbers (#12), agent SANs, and phone numbers
(1-800-448-6262, (860) 555-0100, 800.555.1234 ext 12). An eight-digit number that reads as a
date (20240101) is taken for one unless written after its label ("group 20240101").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
          "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"

# Labels after which a number is not a member's: the subject's own numbers and the systems'.
_ALLOWED_LABEL = re.compile(
    r"(?:\b(?:group|grp|sl\s*app|app|ec|san|agent|request|req|ref|reference|incident|ticket"
    r"|case|inquiry|si)\b\.?\s*(?:number|no\.?|#|id)?\s*[:#=]?\s*)$",
    re.IGNORECASE,
)
# Prefixes of numbers that are the systems' own, not a member's (ServiceNow, EC, SL apps).
_ALLOWED_PREFIXES = {"INC", "REQ", "CHG", "PRB", "CS", "SR", "EC", "SL", "SD", "SI"}

_LABELLED_BIRTH = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)"
    rf"[\s:#=.-]{{0,4}}(?:is\s+|was\s+|on\s+)?(?P<value>(?:{_MONTH}\s*)?\S*\d\S*)",
    re.IGNORECASE,
)
_LABELLED_ID = re.compile(
    r"\b(?:member|client|subscriber|patient|medicaid|medicare|humana|husky|insured)(?:'s|’s)?"
    r"\s*(?:id|i\.d\.|number|no\.?|#)(?:\s*(?:number|no\.?|#))?"
    r"[\s:#=.-]{0,4}(?:is\s+)?(?P<value>\S*\d\S*)|\bmbi[\s:#=.-]{0,4}(?P<mbi>\S*\d\S*)",
    re.IGNORECASE,
)
# The label in any case, the name capitalised ("member name is not needed" is allowed).
_LABELLED_NAME = re.compile(
    r"\b(?i:(?:member|patient|subscriber|insured|enrollee)(?:'s|’s)?\s+(?:full\s+|last\s+"
    r"|first\s+)?name[\s:=-]{0,4}(?:is\s+)?)(?P<value>[A-Z][\w'’-]+)",
)
# A phone number after a label ("the Medicare number 1-800-457-4708") is not a member's.
_PHONE = re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[.-]\d{4}")
_MEMBER_ID = re.compile(r"\b(?P<prefix>[A-Z]{1,3})(?P<digits>\d{6,11})[A-Z0-9]{0,3}\b",
                        re.IGNORECASE)
_MBI_LETTER = "[AC-HJKMNP-RT-Y]"
_MBI = re.compile(
    rf"\b[1-9]{_MBI_LETTER}[{_MBI_LETTER[1:-1]}0-9]\d-?{_MBI_LETTER}[{_MBI_LETTER[1:-1]}0-9]\d"
    rf"-?{_MBI_LETTER}{{2}}\d{{2}}\b",
    re.IGNORECASE,
)
_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")

_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)"
                           r"(?P<year>\d{4}|\d{2})(?![\d/-]|\.\d)")
_ISO_DATE = re.compile(r"(?<![\d/.-])(?P<year>\d{4})(?P<sep>[/.-])(?P<a>\d{1,2})(?P=sep)"
                       r"(?P<b>\d{1,2})(?![\d/-]|\.\d)")
_NAMED_DATE = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>jan|feb|mar|apr|may|jun|jul"
    rf"|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?P<year2>\d{{4}})\b",
    re.IGNORECASE,
)
_COMPACT_DATE = re.compile(r"(?<![\w-])(?P<digits>\d{8})(?![\w-])")


@dataclass(frozen=True)
class MemberData:
    """What was found: its kind in the specialist's words, and the text that looks like it."""

    kind: str  # "a member ID", "a date of birth", "a member's name", ...
    text: str

    @property
    def message(self) -> str:
        """The refusal without the text itself: safe to raise, and so to reach a log."""
        return self.refusal("note")

    @property
    def quoted_message(self) -> str:
        """The refusal quoting what was found, for the page only (never a log or a URL)."""
        return self.refusal("note", quoted=True)

    def refusal(self, what: str, *, quoted: bool = False) -> str:
        """The refusal for a free text called ``what`` ("note", "report", "answer"); quoting
        what was found only when ``quoted`` (for the page, never a log or a URL)."""
        article = "an" if what[:1] in "aeiou" else "a"
        found = f"{self.kind}: “{self.text}”" if quoted else self.kind
        return (f"This {what} holds what looks like {found}. Member names, IDs and dates of "
                f"birth never go in {article} {what}: take it out. Nothing was saved. Group, SL "
                "app, incident, request and phone numbers are fine.")


def find_member_data(text: str, *, today: dt.date) -> MemberData | None:
    """The first thing in ``text`` that looks like a member's ID, date of birth or name, or
    None when the text may be kept (see the module's docstring for what counts)."""
    if match := _LABELLED_BIRTH.search(text):
        return MemberData("a date of birth", match.group("value"))
    for match in _LABELLED_ID.finditer(text):
        value = match.group("value") or match.group("mbi")
        if not _PHONE.search(value):
            return MemberData("a member ID", value)
    if match := _LABELLED_NAME.search(text):
        return MemberData("a member's name", match.group("value"))
    if match := _SSN.search(text):
        return MemberData("a Social Security number", match.group())
    if match := _MBI.search(text):
        return MemberData("a Medicare number", match.group())
    for match in _MEMBER_ID.finditer(text):
        if match.group("prefix").upper() in _ALLOWED_PREFIXES or _after_allowed_label(text, match):
            continue
        return MemberData("a member ID", match.group())
    if found := _past_date(text, today):
        return MemberData("a date of birth", found)
    return None


def _after_allowed_label(text: str, match: re.Match[str]) -> bool:
    return bool(_ALLOWED_LABEL.search(text[max(0, match.start() - 24): match.start()]))


def _past_date(text: str, today: dt.date) -> str | None:
    """The first full date in ``text`` on or before ``today``, as written."""
    for match in _NUMERIC_DATE.finditer(text):
        year = _full_year(match.group("year"), today)
        a, b = int(match.group("a")), int(match.group("b"))
        # Month first as written in the US (2/19/1958; 12/8/2026 is December 8th); day first
        # (19/02/1958) only where month first is no date.
        month, day = (a, b) if _is_date(year, a, b) else (b, a)
        if _on_or_before(year, month, day, today):
            return match.group()
    for match in _ISO_DATE.finditer(text):
        if _on_or_before(int(match.group("year")), int(match.group("a")), int(match.group("b")),
                         today):
            return match.group()
    for match in _NAMED_DATE.finditer(text):
        month_name = (match.group("month") or match.group("month2")).lower()[:3]
        day = int(match.group("day") or match.group("day2"))
        year = int(match.group("year") or match.group("year2"))
        if _on_or_before(year, MONTHS[month_name], day, today):
            return match.group()
    for match in _COMPACT_DATE.finditer(text):
        digits = match.group("digits")
        if _after_allowed_label(text, match):
            continue
        year_first = _on_or_before(int(digits[:4]), int(digits[4:6]), int(digits[6:]), today)
        month_first = _on_or_before(int(digits[4:]), int(digits[:2]), int(digits[2:4]), today)
        if year_first or month_first:
            return digits
    return None


def _full_year(written: str, today: dt.date) -> int:
    """A two-digit year is the latest year it can be that is not after this one (58 → 1958,
    25 → 2025 in 2026)."""
    if len(written) == 4:
        return int(written)
    year = today.year - today.year % 100 + int(written)
    return year if year <= today.year else year - 100


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _on_or_before(year: int, month: int, day: int, today: dt.date) -> bool:
    """Whether year-month-day is a real date, no earlier than 1900, on or before ``today``."""
    if year < 1900:
        return False
    try:
        return dt.date(year, month, day) <= today
    except ValueError:
        return False
