"""The home page's flows: grouped by caller type, each flow once per list, the most used first;
the specialist's favourites and recent flows on top; every row one link that starts the flow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from finder import panel
from finder.models import FavouriteFlow
from supportdesk.engine import CallerType, registry
from supportdesk.models import Case
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_it_groups_every_flow_by_caller_type_once(client, specialist):
    response = home(client, specialist)
    groups = response.context["finder_groups"]
    labels = {caller.value: caller.label for caller in CallerType}
    assert [group.title for group in groups] == [
        labels[c] for c in CallerType if any(f.caller_type == c for f in registry.all())]
    keys = [row.flow.key for group in groups for row in group.rows]
    assert sorted(keys) == sorted(flow.key for flow in registry.all())
    for group in groups:
        assert {row.flow.caller_type for row in group.rows} == {group.id}


def test_it_makes_each_row_one_link_to_the_start_form(client, specialist):
    html = home(client, specialist).content.decode()
    for flow in registry.all():
        url = reverse("case_open", args=[flow.key])
        links = re.findall(rf'<a class="flow-link" href="{re.escape(url)}"', html)
        assert len(links) == 1, flow.key  # no favourites or recent flows yet
    assert 'class="card"' not in html.split('id="finder-flows"')[1].split("My open cases")[0]


def test_it_lists_the_most_used_flow_first_in_its_group(client, specialist, other_specialist):
    for _ in range(3):
        make_case(other_specialist, "noyo-member-change-rejected")
    employer = home(client, specialist).context["finder_groups"][0]
    assert employer.id == CallerType.EMPLOYER
    assert employer.rows[0].flow.key == "noyo-member-change-rejected"


def test_it_lists_recent_flows_from_the_specialists_own_cases(client, specialist, other_specialist):
    make_case(other_specialist, "husky-provider-portal")  # someone else's: not this one's recent
    make_case(specialist, "noyo-connect-group")
    make_case(specialist, "ec-questions")
    make_case(specialist, "noyo-connect-group")  # again: listed once, as the latest
    Case.objects.filter(flow_key="ec-questions").update(opened_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    yours = home(client, specialist).context["finder_yours"]
    assert [section.title for section in yours] == ["Recently used"]
    assert [row.flow.key for row in yours[0].rows] == ["noyo-connect-group", "ec-questions"]


def test_it_keeps_recent_flows_to_three_and_leaves_out_favourites(client, specialist):
    for key in ("ec-questions", "noyo-connect-group", "husky-provider-portal", "arsos-routing"):
        make_case(specialist, key)
    FavouriteFlow.objects.create(user=specialist, flow_key="arsos-routing")
    yours = home(client, specialist).context["finder_yours"]
    assert [section.title for section in yours] == ["Favourites", "Recently used"]
    assert [row.flow.key for row in yours[0].rows] == ["arsos-routing"]
    recent = [row.flow.key for row in yours[1].rows]
    assert len(recent) == panel.RECENT_FLOWS and "arsos-routing" not in recent


def test_it_has_no_finder_for_other_roles(client, supervisor, access_user):
    for user in (supervisor, access_user):
        html = home(client, user).content.decode()
        assert 'id="finder-q"' not in html and "finder.js" not in html


def test_it_loads_its_own_script_and_stylesheet_only_on_a_specialists_home(client, specialist):
    html = home(client, specialist).content.decode()
    assert re.search(r'<script src="[^"]*js/finder\.[^"]*js" defer>', html)
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/finder\.[^"]*css">', html)
    assert "style=" not in html and "onclick" not in html  # the Content-Security-Policy allows neither
