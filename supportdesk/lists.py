"""Filtered, paginated lists: a django-filter FilterSet over a form the app already shows, and
one paginate helper for every list.

The lists' forms (labels, choices, placeholders, validation messages, the date-order check)
stay as they are in each app's forms.py: a FormFilterSet validates with Meta.form itself instead
of building a form from its filters, so every page and every test that reads a form keeps what
it saw. The filters say only how a cleaned value narrows the queryset. A form with an error
lists nothing, as every list did before: a half-applied filter would show cases that do not
match what the supervisor typed.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


class FormFilterSet(django_filters.FilterSet):
    """A FilterSet whose form is ``Meta.form`` as written, with a filter for each of its fields."""

    def get_form_class(self) -> type[forms.Form]:
        form_class: type[forms.Form] = self._meta.form
        return form_class

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.form.is_valid():
            return queryset.none()
        filtered: QuerySet[Any] = super().filter_queryset(queryset)
        return filtered


class CountedPaginator(Paginator):
    """A Paginator told its items' count (from a rollup, say) instead of running COUNT(*)."""

    def __init__(self, items: QuerySet[Any], per_page: int, *, count: int) -> None:
        super().__init__(items, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: set it


def paginate(request: HttpRequest, items: QuerySet[Any], per_page: int, *,
             count: int | None = None) -> tuple[Page[Any], str]:
    """The page ``?page=`` asks for (the last one if beyond, the first if not a number), and the
    rest of the query string, for the page links to keep the filters. ``count``: the items'
    count when the caller knows it exactly without a COUNT(*)."""
    paginator = (Paginator(items, per_page) if count is None
                 else CountedPaginator(items, per_page, count=count))
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
