"""Finding a flow by what was typed: PostgreSQL's full-text search, and the same search by
word beginnings on any other database (SQLite, under `make run`).

Both read the entries of ``finder.index``; both match every typed word by its beginning (as
you type, "conn" already finds "connection") and every typed number by its digits. PostgreSQL
adds English stemming ("employers" finds "employer") and ranks with ts_rank, titles first; the
fallback ranks the same way by hand (a word in a title counts more than one in the text).
What was typed is never logged and never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from supportdesk import flow_content
from supportdesk.engine import Flow

from . import index, text
from .models import FlowSearchEntry

POSTGRES, WORDS = "postgres", "words"
TITLE_WEIGHT, TEXT_WEIGHT = 1.0, 0.4  # as ts_rank's default weights for A and B
SNIPPET_CHARS = 140


@dataclass(frozen=True)
class Hit:
    flow_key: str
    step_key: str
    position: int
    heading: str
    body: str
    rank: float


@dataclass(frozen=True)
class Match:
    """A flow found, and where: the step that matched best (``step_title``; "" when the flow's
    own title or description matched best, ``in_title`` telling which), a piece of that text
    with what was typed marked, and how many of its other steps match too."""

    flow: Flow
    step_title: str
    in_title: bool
    snippet: tuple[tuple[str, bool], ...]
    more_steps: int


def method_for(using: str = DEFAULT_DB_ALIAS) -> str:
    return POSTGRES if connections[using].vendor == "postgresql" else WORDS


def _entries(question: text.Question, using: str) -> QuerySet[FlowSearchEntry]:
    entries = FlowSearchEntry.objects.using(using)
    for number in question.numbers:
        entries = entries.filter(digits__contains=number)
    return entries


def search_vector() -> Any:
    """Titles weigh A, texts B; English stems, plus the words as written (so that a word cut
    short while typing, or an address, still matches). Migration 0002 indexes this very
    expression with GIN."""
    from django.contrib.postgres.search import SearchVector

    return (SearchVector("heading", config="english", weight="A")
            + SearchVector("body", "keywords", config="english", weight="B")
            + SearchVector("heading", config="simple", weight="A")
            + SearchVector("body", "keywords", config="simple", weight="B"))


def _postgres_hits(question: text.Question, using: str) -> list[Hit]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    entries = _entries(question, using)
    fields = ("flow_key", "step_key", "position", "heading", "body")
    if not question.words:
        return [Hit(**row, rank=TEXT_WEIGHT) for row in entries.values(*fields)]
    # A raw tsquery built from words alone (letters and digits: nothing tsquery would read as
    # an operator), each a prefix; every word must match, stemmed or as written.
    query = reduce(and_, (
        SearchQuery(f"{word}:*", search_type="raw", config="english")
        | SearchQuery(f"{word}:*", search_type="raw", config="simple")
        for word in question.words
    ))
    vector = search_vector()
    rows = (entries.annotate(document=vector).filter(document=query)
            .annotate(rank=SearchRank(vector, query)).values(*fields, "rank"))
    return [Hit(**row) for row in rows]


def _words_hits(question: text.Question, using: str) -> list[Hit]:
    entries = _entries(question, using)
    for word in question.words:
        entries = entries.filter(words__contains=f" {word}")
    hits = []
    for entry in entries.only("flow_key", "step_key", "position", "heading", "body"):
        heading = text.tokens(entry.heading)
        rank = sum(TITLE_WEIGHT if any(token.startswith(word) for token in heading) else TEXT_WEIGHT
                   for word in question.words) or TEXT_WEIGHT
        hits.append(Hit(entry.flow_key, entry.step_key, entry.position, entry.heading, entry.body,
                        rank))
    return hits


def find(typed: str, *, method: str | None = None, using: str = DEFAULT_DB_ALIAS,
         limit: int = 10) -> list[Match]:
    """The flows that match what was typed, best first, each once."""
    question = text.read_question(typed)
    if not question:
        return []
    latest = flow_content.latest_all()  # a publish rewords them: it re-indexes here
    index.ensure_fresh(using, latest)
    method = method or method_for(using)
    hits = _postgres_hits(question, using) if method == POSTGRES else _words_hits(question, using)
    by_flow: dict[str, list[Hit]] = {}
    for hit in sorted(hits, key=lambda hit: (-hit.rank, hit.position)):
        by_flow.setdefault(hit.flow_key, []).append(hit)
    matches = []
    flows = {flow.key: flow for flow in latest}
    for flow_key, flow_hits in by_flow.items():
        flow = flows.get(flow_key)
        if flow is None:
            continue
        best = flow_hits[0]
        steps = sum(1 for hit in flow_hits if hit.step_key and hit is not best)
        in_title = not best.step_key and any(
            pattern.search(flow.title) for pattern in _patterns(question))
        body = best.body if best.step_key else flow.summary
        matches.append((-best.rank, flow.title, Match(
            flow=flow, step_title=best.heading if best.step_key else "", in_title=in_title,
            snippet=snippet(body, question), more_steps=steps)))
    return [match for _rank, _title, match in sorted(matches, key=lambda m: m[:2])][:limit]


def _patterns(question: text.Question) -> list[re.Pattern[str]]:
    """Where the typed words and numbers stand in a text: a word by its beginning (or by its
    first five letters, for a stemmed match), a number with any separators between its digits."""
    patterns = []
    for word in question.words:
        for start in dict.fromkeys((word, word[:5])):
            patterns.append(re.compile(rf"(?<![^\W_]){re.escape(start)}[^\W_]*", re.IGNORECASE))
    for number in question.numbers:
        spaced = r"[\s.\-()–/]{0,3}".join(re.escape(digit) for digit in number)
        patterns.append(re.compile(spaced))
    return patterns


def snippet(body: str, question: text.Question) -> tuple[tuple[str, bool], ...]:
    """The first line of ``body`` (a paragraph, a bullet point, a choice) that holds something
    typed, cut around it, as (text, marked) parts; the text's beginning when nothing is found."""
    lines = [" ".join(line.split()) for line in body.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ()
    patterns = _patterns(question)
    for line in lines:
        found = [(m.start(), m.end()) for pattern in patterns for m in pattern.finditer(line)]
        if found:
            return _cut(line, found)
    return _cut(lines[0], [])


def _cut(line: str, found: list[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    first = min((start for start, _end in found), default=0)
    start = 0
    if first > SNIPPET_CHARS // 3:
        space = line.find(" ", first - SNIPPET_CHARS // 3)
        start = space + 1 if 0 <= space < first else first
    end = min(len(line), start + SNIPPET_CHARS)
    if end < len(line) and line.rfind(" ", start, end) > first:
        end = line.rfind(" ", start, end)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    at = start
    for mark_start, mark_end in sorted(found):
        mark_start, mark_end = max(mark_start, at), min(mark_end, end)
        if mark_end <= mark_start:
            continue
        if mark_start > at:
            parts.append((line[at:mark_start], False))
        parts.append((line[mark_start:mark_end], True))
        at = mark_end
    if at < end:
        parts.append((line[at:end], False))
    if end < len(line):
        parts.append(("…", False))
    return tuple(parts)
