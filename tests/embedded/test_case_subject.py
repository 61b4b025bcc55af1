"""The supervisor's search by group on make run's SQLite, which cannot test JSON containment:
subjects.matching() compares the key there (PostgreSQL's GIN path: tests/supportdesk)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportdesk import subjects
from supportdesk.models import Case
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_it_finds_the_cases_of_a_group(specialist):
    wanted = make_case(specialist, "ec-employer-access", group_number="824751")
    make_case(specialist, "ec-employer-access", group_number="824752")
    make_case(specialist, "ec-employer-access", sl_app_number="824751")
    assert list(Case.objects.filter(subjects.matching("group_number", "824751"))) == [wanted]


def test_the_supervisors_list_finds_a_case_by_its_group(client, supervisor, specialist):
    wanted = make_case(specialist, "ec-employer-access", group_number="824751")
    make_case(specialist, "ec-employer-access", group_number="824752")
    client.force_login(supervisor)
    page = client.get(reverse("supervisor_cases"), {"q": "824751"}).content.decode()
    assert wanted.reference in page and "824752" not in page
