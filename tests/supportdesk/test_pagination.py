"""The one pagination partial every list includes."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def render(page_number: int, **context: object) -> str:
    page = Paginator(range(30), 10).page(page_number)
    return render_to_string("partials/pagination.html", {"page": page, **context})


def test_it_links_both_ways_keeping_the_lists_filters():
    html = render(2, query="status=open&q=824751")  # as QueryDict.urlencode() gives it
    assert 'href="?status=open&amp;q=824751&amp;page=1">← Previous</a>' in html
    assert 'href="?status=open&amp;q=824751&amp;page=3">Next →</a>' in html
    assert "Page 2 of 3" in html


def test_it_says_newer_and_older_for_a_newest_first_list_without_filters():
    html = render(1, newest_first=True)
    assert 'href="?page=2">Older →</a>' in html
    assert "Newer" not in html and "Previous" not in html


def test_it_shows_nothing_for_a_single_page():
    page = Paginator(range(5), 10).page(1)
    assert render_to_string("partials/pagination.html", {"page": page}).strip() == ""
