"""How the finder reads words and numbers, the same way in the index and in what is typed.

Plain functions over strings: no database. Words are compared by their beginning (typing
"conn" finds "connection"); numbers by their digits alone, wherever the dashes, dots, spaces
and brackets were ("8004", "1-800-4" and "(800) 457" all find 1-800-457-4708).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
# Between two digit runs of one number: a dash, dot, slash or bracket (a space around it), or
# one space before a group of three or more digits ("1 800 457"), never a word ("1st-5th").
_NUMBER_GLUE = re.compile(r"\s?[-./()–]\s?\(?|\)\s?|\s")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A web address: a host of at least two labels with a top-level domain of letters, so that
# "1.800.440.5071" and "e.g." are not hosts.
WEB = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s,;)]*)?", re.IGNORECASE)
PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")

# What is typed: enough for a name, an address or a phone number, never a pasted page.
MAX_QUESTION = 100
MAX_WORDS = 8
MAX_NUMBERS = 4


def tokens(text: str) -> list[str]:
    """The words of ``text``, lowercased: letters and digits, split at everything else."""
    return _TOKEN.findall(text.lower())


def digit_groups(text: str) -> list[str]:
    """The numbers in ``text``, each as its digits alone: "Call 1.877.606.5172 - prompt 4"
    gives ["18776065172", "4"]."""
    groups: list[str] = []
    previous_end = -1
    for run in _DIGITS.finditer(text):
        between = text[previous_end:run.start()] if groups else ""
        glued = groups and _NUMBER_GLUE.fullmatch(between) and (
            not between.isspace() or len(run.group()) >= 3)
        if glued:
            groups[-1] += run.group()
        else:
            groups.append(run.group())
        previous_end = run.end()
    return groups


def contacts(text: str) -> list[str]:
    """The e-mail addresses, web addresses and phone numbers ``text`` names, as written."""
    found = EMAIL.findall(text)
    without_emails = EMAIL.sub(" ", text)
    found += WEB.findall(without_emails)
    found += PHONE.findall(text)
    return list(dict.fromkeys(found))


def address_words(text: str) -> str:
    """The words inside the e-mail and web addresses of ``text`` ("agentsupport humana com"),
    which PostgreSQL's full-text parser would keep as one address each."""
    addresses = EMAIL.findall(text) + WEB.findall(EMAIL.sub(" ", text))
    return " ".join(word for address in addresses for word in tokens(address))


def word_column(text: str) -> str:
    """Every word between spaces, so that `contains(" " + typed)` finds a word by its start."""
    return f" {' '.join(tokens(text))} "


def digit_column(text: str) -> str:
    return f" {' '.join(digit_groups(text))} "


@dataclass(frozen=True)
class Question:
    """What was typed, as the search reads it: words (letters, or letters with digits such as
    "go365") matched by their start, and numbers matched by their digits."""

    words: tuple[str, ...]
    numbers: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words or self.numbers)


def read_question(typed: str) -> Question:
    typed = typed[:MAX_QUESTION]
    numbers = digit_groups(typed)
    # A letter alone ("a", the "s" of "agent's") would match half the words there are.
    words = [token for token in tokens(typed) if not token.isdigit() and len(token) > 1]
    return Question(words=tuple(dict.fromkeys(words))[:MAX_WORDS],
                    numbers=tuple(dict.fromkeys(numbers))[:MAX_NUMBERS])
