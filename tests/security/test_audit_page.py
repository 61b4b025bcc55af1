"""/supervisor/audit/: supervisors read the trail, filter it, page through it; nobody writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ec_access import services as ec
from supportdesk.models import AuditEntry
from tests.ec_access.make import make_request
from tests.factories import make_case

pytestmark = pytest.mark.django_db

URL = "/supervisor/audit/"


def backdate(action: str, days: int) -> None:
    """Move entries back in time: the trigger refuses UPDATE, so do it with the trigger off,
    the way only a test may."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred FK checks pending
        cursor.execute("ALTER TABLE supportdesk_auditentry DISABLE TRIGGER USER")
        cursor.execute("UPDATE supportdesk_auditentry SET created_at = created_at - %s "
                       "WHERE action = %s", [dt.timedelta(days=days), action])
        cursor.execute("ALTER TABLE supportdesk_auditentry ENABLE TRIGGER USER")


@pytest.fixture
def trail(specialist, access_user):
    case = make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])
    request = make_request()
    ec.ec_request_claim(request_id=request.pk, user=access_user)
    ec.ec_batch_run(week_of=dt.date(2026, 11, 9), trigger="beat", today=dt.date(2026, 11, 18))
    return case, request


def test_it_resolves_to_the_audit_view():
    assert reverse("supervisor_audit") == URL


@pytest.mark.parametrize(("role", "status"), [
    ("supervisor", 200), ("specialist", 403), ("other_specialist", 403), ("access_user", 403),
    ("outsider", 403),
])
def test_it_shows_the_trail_to_supervisors_only(request, client, trail, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == status
    if status == 200:
        assert b"Audit trail" in response.content
        assert b"EC request claimed" in response.content


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == redirect_to_login(URL)["Location"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_is_read_only(client, supervisor, trail, method):
    client.force_login(supervisor)
    before = AuditEntry.objects.count()
    assert getattr(client, method)(URL).status_code == 405
    assert AuditEntry.objects.count() == before


def test_it_shows_who_what_and_when_with_links_to_the_objects(client, supervisor, trail):
    case, request = trail
    client.force_login(supervisor)
    html = client.get(URL).content.decode()
    assert "Sam Rivera" in html  # the specialist's full name
    assert "SupportDesk" in html  # the weekly batch ran by itself
    assert f'href="{reverse("supervisor_case", args=[case.reference])}"' in html
    assert f'href="{reverse("ec_request", args=[request.pk])}"' in html
    assert "<code class=\"small\">ec_request.claim</code>" in html
    assert timezone.localtime().strftime("%Y-%m-%d") in html


def rows(response) -> list[tuple[str, str]]:
    return [(row.entry.action, row.who) for row in response.context["rows"]]


def test_it_filters_by_person(client, supervisor, access_user, trail):
    client.force_login(supervisor)
    assert rows(client.get(URL, {"user": access_user.pk})) == [("ec_request.claim", "access")]
    assert rows(client.get(URL, {"user": "system"})) == [("ec_batch.run", "SupportDesk")]


def test_it_filters_by_area_or_one_action(client, supervisor, trail):
    client.force_login(supervisor)
    areas = {action for action, _ in rows(client.get(URL, {"action": "case."}))}
    assert areas == {"case.open", "case.answer"}
    assert {a for a, _ in rows(client.get(URL, {"action": "case.open"}))} == {"case.open"}
    assert {a for a, _ in rows(client.get(URL, {"action": "ec_request."}))} == {"ec_request.claim"}


def test_it_filters_by_date_range(client, supervisor, trail):
    backdate("ec_batch.run", days=10)
    client.force_login(supervisor)
    today = timezone.localdate()
    recent = rows(client.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    assert recent and "ec_batch.run" not in {action for action, _ in recent}
    old = today - dt.timedelta(days=10)
    assert rows(client.get(URL, {"date_from": old.isoformat(), "date_to": old.isoformat()})) == [
        ("ec_batch.run", "SupportDesk")
    ]


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"date_from": "2026-02-30"}, "date_from", "Enter a valid date."),
    ({"date_from": "0001-01-01"}, "date_from", "Pick a date between 2000-01-01 and 2099-12-31."),
    ({"date_to": "9999-12-31"}, "date_to", "Pick a date between 2000-01-01 and 2099-12-31."),
    ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to", "“To” is before “From”."),
    ({"user": "'; DROP TABLE x; --"}, "user", "Select a valid choice."),
    ({"action": "case.delete"}, "action", "Select a valid choice."),
])
def test_it_explains_a_bad_filter_and_lists_nothing(client, supervisor, trail, params, field, message):
    client.force_login(supervisor)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert escape(message) in response.content.decode()
    assert rows(response) == []


def test_it_pages_through_a_long_trail(client, supervisor, specialist):
    for _ in range(26):
        make_case(specialist, answers=[("sale_stage", {"choice": "post_sale"})])  # 2 entries each
    client.force_login(supervisor)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.num_pages == 2
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 2
    newest, oldest = first.context["rows"][0].entry, second.context["rows"][-1].entry
    assert newest.created_at >= oldest.created_at
    assert client.get(URL, {"page": "999"}).context["page"].number == 2  # the last page
    assert client.get(URL, {"page": "abc"}).context["page"].number == 1


def test_it_links_the_trail_from_the_supervisors_look_up_menu_only(client, supervisor, specialist):
    client.force_login(supervisor)
    assert f'href="{URL}"'.encode() in client.get("/").content
    client.force_login(specialist)
    assert f'href="{URL}"'.encode() not in client.get("/").content
