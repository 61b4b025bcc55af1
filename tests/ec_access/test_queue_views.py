"""The queue pages: Access management works them, supervisors read them, nobody else gets in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ec_access.models import ECRequest
from tests.ec_access.make import make_request

pytestmark = pytest.mark.django_db


def test_it_lists_open_requests_expedited_first_with_age_and_claimer(client, access_user):
    old = make_request()
    urgent = make_request(expedited=True)
    done = make_request()
    ECRequest.objects.filter(pk=done.pk).update(state="granted", decided_at="2026-11-01T10:00Z")
    client.force_login(access_user)
    response = client.get(reverse("ec_queue"))
    assert list(response.context["page"].object_list) == [urgent, old]
    body = response.content.decode()
    assert "Expedited" in body and "Claim next" in body and "minute" in body


@pytest.mark.parametrize(("params", "expected"), [
    ({"state": "granted"}, ["done"]),
    ({"state": ""}, ["old", "done", "batch"]),
    ({"source": "weekly_batch", "state": ""}, ["batch"]),
    ({"group": "GROUP"}, ["old"]),
])
def test_it_filters_by_state_source_and_group(client, supervisor, params, expected):
    made = {"old": make_request(), "done": make_request(), "batch": make_request(source="weekly_batch")}
    ECRequest.objects.filter(pk=made["done"].pk).update(state="granted", decided_at="2026-11-01T10:00Z")
    params = {k: (made["old"].group.group_number if v == "GROUP" else v) for k, v in params.items()}
    client.force_login(supervisor)
    listed = list(client.get(reverse("ec_queue"), params).context["page"].object_list)
    assert listed == [made[name] for name in expected]


def test_it_shows_a_supervisor_the_history_but_no_buttons(client, supervisor, access_user):
    request = make_request()
    client.force_login(supervisor)
    body = client.get(reverse("ec_request", args=[request.pk])).content.decode()
    assert "History" in body and "Created" in body
    assert "Claim</button>" not in body and "Claim next" not in client.get(reverse("ec_queue")).content.decode()


@pytest.mark.parametrize("name", ["ec_request_claim", "ec_request_grant", "ec_request_release", "ec_request_reject"])
def test_it_refuses_writes_from_supervisors_and_specialists(client, supervisor, specialist, name):
    request = make_request()
    for user in (supervisor, specialist):
        client.force_login(user)
        assert client.post(reverse(name, args=[request.pk]), {"reason": "duplicate"}).status_code == 403
    request.refresh_from_db()
    assert request.state == "queued" and request.events.count() == 1


def test_it_keeps_specialists_out_of_the_queue(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("ec_queue")).status_code == 403
    assert client.post(reverse("ec_queue_claim_next")).status_code == 403


def test_it_claims_grants_and_shows_the_result(client, access_user):
    request = make_request()
    client.force_login(access_user)
    response = client.post(reverse("ec_request_claim", args=[request.pk]), follow=True)
    assert b"You claimed EC request" in response.content and b"Grant\xe2\x80\xa6</a>" in response.content
    response = client.post(reverse("ec_request_grant", args=[request.pk]), follow=True)
    assert b"granted: EC 1177334 and business functions 7125, 7126, 8581 are on SL app" in response.content
    request.refresh_from_db()
    assert request.state == "granted"


def test_it_shows_a_clear_message_when_someone_else_claimed_first(client, access_user):
    from ec_access import services
    from supportdesk.roles import Role
    from tests.factories import make_user

    request = make_request()
    services.ec_request_claim(request_id=request.pk, user=make_user("robin", Role.ACCESS_MANAGEMENT,
                                                                     first_name="Robin", last_name="Lee"))
    client.force_login(access_user)
    response = client.post(reverse("ec_request_claim", args=[request.pk]), follow=True)
    assert b"already claimed by Robin Lee" in response.content


def test_it_keeps_the_reject_form_and_explains_a_missing_reason(client, access_user):
    request = make_request()
    client.force_login(access_user)
    client.post(reverse("ec_request_claim", args=[request.pk]))
    response = client.post(reverse("ec_request_reject", args=[request.pk]), {"reason": "other", "note": ""})
    assert response.status_code == 200
    assert "Explain the reason in the note" in response.content.decode()
    response = client.post(reverse("ec_request_reject", args=[request.pk]),
                           {"reason": "duplicate", "note": "Same as #1"}, follow=True)
    request.refresh_from_db()
    assert request.state == "rejected" and request.reject_note == "Same as #1"


def test_it_claims_next_or_says_the_queue_is_empty(client, access_user):
    client.force_login(access_user)
    response = client.post(reverse("ec_queue_claim_next"), follow=True)
    assert b"No queued request is free to claim." in response.content
    request = make_request()
    response = client.post(reverse("ec_queue_claim_next"))
    assert response["Location"] == reverse("ec_request", args=[request.pk])


def test_it_answers_bad_filters_and_pages_without_a_500(client, access_user):
    client.force_login(access_user)
    response = client.get(reverse("ec_queue"), {"state": "bogus", "page": "zz", "group": "x" * 50})
    assert response.status_code == 200 and response.context["form"].errors
