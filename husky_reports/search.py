"""Find the report that answers a specialist's question ("which report shows ED visits?").

Plain word matching over each report's catalog text, rarer words weighing more and words in the
report's name twice as much. No database: the view passes the texts in.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)

STOP_WORDS = frozenset(["a", "about", "an", "and", "any", "are", "as", "at", "be", "can", "could", "do", "does", "find", "for", "from", "get", "has", "have", "how", "i", "in", "is", "it", "its", "me", "my", "need", "needs", "of", "on", "or", "our", "report", "reports", "see", "show", "shown", "shows", "that", "the", "their", "them", "this", "to", "was", "what", "where", "which", "who", "whose", "why", "will", "with", "would", "you", "your"])


def words(text: str) -> set[str]:
    """Lower-case words without stop words; a plural 's' is dropped (visits → visit)."""
    found = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word in STOP_WORDS:
            continue
        found.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return found


def rank(question: str, documents: Sequence[tuple[Key, str, str]]) -> list[Key]:
    """The keys of ``documents`` [(key, name, text)] that match ``question``, best first."""
    asked = words(question)
    if not asked:
        return []
    texts = [(key, words(name), words(name) | words(text)) for key, name, text in documents]
    seen_in = Counter(word for _, _, text in texts for word in text)
    scored = []
    for order, (key, name, text) in enumerate(texts):
        score = sum(
            math.log(1 + len(texts) / seen_in[word]) * (2 if word in name else 1)
            for word in asked & text
        )
        if score > 0:
            scored.append((-score, order, key))
    return [key for _, _, key in sorted(scored)]


# A member ID (H12345678), a date typed as digits, a phone or a claim number: no report name
# has a run of four digits.
_DIGITS = re.compile(r"\d{4,}|\b(?=\w*\d)(?=\w*[a-z])\w{6,}\b", re.IGNORECASE)


def looks_like_member_data(question: str, vocabulary: set[str]) -> bool:
    """Whether a catalog search looks like a member's name or ID rather than words about
    reports. The search only reads the catalog's report names and descriptions, so a word that
    is capitalised and not in them (``vocabulary``, from ``words``) is taken for a name, and a
    run of four digits or a long letters-and-digits code for an ID or a date."""
    if _DIGITS.search(question):
        return True
    for raw in re.findall(r"[^\W\d_][\w'’-]*", question):
        if not raw[0].isupper():
            continue
        found = words(raw)
        if found and not found <= vocabulary:
            return True
    return False
