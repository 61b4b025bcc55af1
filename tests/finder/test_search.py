"""The search over the flows, on PostgreSQL (full-text) and by word beginnings (the fallback
SQLite uses): the same examples, the same answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finder import search
from finder.search import POSTGRES, WORDS
from tests.finder.examples import EXAMPLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.what)
def test_it_finds_each_example_with_full_text_search(example):
    example.check(search.find(example.typed, method=POSTGRES))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.what)
def test_it_finds_each_example_by_word_beginnings_too(example):
    example.check(search.find(example.typed, method=WORDS))


def test_it_uses_full_text_search_on_postgresql():
    assert search.method_for() == POSTGRES
    search.find("warm up")  # the index is checked once per process: not in the captured queries
    with CaptureQueriesContext(connection) as captured:
        matches = search.find("employer access")
    assert matches
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "@@" in sql and "to_tsquery" in sql and "ts_rank" in sql


def test_it_matches_english_word_forms_on_postgresql():
    """Stemming: "employers" finds the flows that say "employer"."""
    assert {m.flow.key for m in search.find("employers", method=POSTGRES)} >= {"ec-employer-access"}


def test_it_gives_the_same_flows_either_way_for_every_example():
    for example in EXAMPLES:
        full_text = [match.flow.key for match in search.find(example.typed, method=POSTGRES)]
        words = [match.flow.key for match in search.find(example.typed, method=WORDS)]
        assert set(words) <= set(full_text), (example.typed, full_text, words)
        assert full_text[0] == words[0], (example.typed, full_text, words)


def test_it_names_the_step_and_marks_what_was_typed():
    match = search.find("by-pass IVR")[0]
    assert match.step_title
    assert ("IVR", True) in match.snippet


def test_it_lists_each_flow_once_best_first():
    matches = search.find("group")
    keys = [match.flow.key for match in matches]
    assert len(keys) == len(set(keys)) >= 3


@pytest.mark.parametrize("typed", ["", "   ", "!!!", "a", "& | ! ( ) : * <-> '"])
def test_it_finds_nothing_in_nothing_and_never_fails_on_tsquery_syntax(typed):
    assert search.find(typed, method=POSTGRES) == []
    assert search.find(typed, method=WORDS) == []


@pytest.mark.parametrize("typed", ["agent's", "o'neil & co:*", "1st-5th", "(800)", "ü-umlaut", "x" * 500])
def test_it_reads_odd_input_safely(typed):
    search.find(typed, method=POSTGRES)
    search.find(typed, method=WORDS)


def test_it_finds_nothing_for_a_word_no_flow_says():
    assert search.find("zebedeea quillfeather") == []
    assert search.find("zebedeea quillfeather", method=WORDS) == []
