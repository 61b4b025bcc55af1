"""The flow finder on make run's SQLite: no full-text search there, so the fallback (word
beginnings and digits) answers, with the same examples as PostgreSQL's (tests/finder)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from finder import search
from tests.finder.examples import EXAMPLES

pytestmark = pytest.mark.django_db


def test_it_searches_by_word_beginnings_on_sqlite():
    if connection.vendor != "sqlite":  # the suite's PostgreSQL pass: tests/finder covers it
        pytest.skip("PostgreSQL answers with full-text search, not the fallback")
    assert search.method_for() == search.WORDS


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.what)
def test_it_finds_each_example_on_sqlite(example):
    example.check(search.find(example.typed))


def test_it_answers_the_home_pages_search_on_sqlite(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse("finder_search"), {"q": "1-800-4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "HUSKY provider portal" in response.content.decode()
    starred = client.post(reverse("finder_star", args=["arsos-routing"]), follow=True)
    assert [row.flow.key for row in starred.context["finder_yours"][0].rows] == ["arsos-routing"]
