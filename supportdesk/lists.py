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


def paginate(request: HttpRequest, items: QuerySet[Any], per_page: int) -> tuple[Page[Any], str]:
    """The page ``?page=`` asks for (the last one if beyond, the first if not a number), and the
    rest of the query string, for the page links to keep the filters."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
