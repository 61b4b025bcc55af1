"""Starring a flow: a POST (htmx or a plain form), per specialist, idempotent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from finder.models import FavouriteFlow

pytestmark = pytest.mark.django_db

FLOW = "ec-employer-access"
TITLE = "EC reports: verify or request an employer's access"


def star(client, flow_key=FLOW, **headers):
    return client.post(reverse("finder_star", args=[flow_key]), **headers)


def unstar(client, flow_key=FLOW, **headers):
    return client.post(reverse("finder_unstar", args=[flow_key]), **headers)


def test_it_stars_a_flow_and_lists_it_first(client, specialist):
    client.force_login(specialist)
    response = star(client, follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert FavouriteFlow.objects.filter(user=specialist, flow_key=FLOW).count() == 1
    page = response.content.decode()
    assert f"{TITLE}: added to your favourites." in page.replace("&#x27;", "'")
    yours = response.context["finder_yours"]
    assert [section.title for section in yours] == ["Favourites"]
    assert [row.flow.key for row in yours[0].rows] == [FLOW]
    assert page.index('id="flows-favourites"') < page.index('id="flows-employer"')


def test_it_unstars_a_flow(client, specialist):
    client.force_login(specialist)
    star(client)
    response = unstar(client, follow=True)
    assert not FavouriteFlow.objects.exists()
    assert "removed from your favourites" in response.content.decode()
    assert response.context["finder_yours"] == []


def test_it_stars_once_however_often_it_is_pressed(client, specialist):
    client.force_login(specialist)
    star(client)
    star(client)
    assert FavouriteFlow.objects.count() == 1
    unstar(client)
    unstar(client)  # already gone: nothing to do, no error
    assert FavouriteFlow.objects.count() == 0


def test_it_keeps_favourites_per_specialist(client, specialist, other_specialist):
    client.force_login(specialist)
    star(client)
    client.force_login(other_specialist)
    home = client.get(reverse("home"))
    assert home.context["finder_yours"] == []
    unstar(client)  # the other specialist's unstar touches only their own list
    assert FavouriteFlow.objects.filter(user=specialist).count() == 1


def test_it_swaps_the_lists_in_place_with_htmx(client, specialist):
    client.force_login(specialist)
    response = star(client, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="finder-flows"')
    assert 'id="flows-favourites"' in html
    assert 'aria-pressed="true"' in html
    assert reverse("finder_unstar", args=[FLOW]) in html  # the star now unstars


def test_it_refuses_an_unknown_flow_with_a_message(client, specialist):
    client.force_login(specialist)
    response = star(client, "no-such-flow", follow=True)
    assert response.status_code == 200
    assert "That flow is not offered any more" in response.content.decode()
    assert not FavouriteFlow.objects.exists()
    htmx = star(client, "no-such-flow", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and htmx["HX-Redirect"] == reverse("home")


def test_it_refuses_get(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("finder_star", args=[FLOW])).status_code == 405
    assert client.get(reverse("finder_unstar", args=[FLOW])).status_code == 405
    assert not FavouriteFlow.objects.exists()


def test_it_is_for_specialists_only(client, supervisor):
    client.force_login(supervisor)
    assert star(client).status_code == 403
    assert not FavouriteFlow.objects.exists()


def test_it_ignores_a_favourite_whose_flow_is_gone(client, specialist):
    FavouriteFlow.objects.create(user=specialist, flow_key="retired-flow")
    client.force_login(specialist)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and response.context["finder_yours"] == []
