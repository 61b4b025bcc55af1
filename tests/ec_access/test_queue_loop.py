"""The queue loop: after a decision, Claim next with the count; Grant asks to confirm; Reject
opens on demand; the request names its case, linked only where the viewer has a case page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ec_access import services
from ec_access.models import ECRequest, ECRequestEvent
from supportdesk.models import AuditEntry
from supportdesk.roles import Role
from tests.ec_access.make import make_eligible_group, make_request
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db


def claimed_by(user, **fields) -> ECRequest:
    return make_request(state="claimed", claimed_by=user, claimed_at=timezone.now(), **fields)


def detail(client, ec_request) -> str:
    return client.get(reverse("ec_request", args=[ec_request.pk])).content.decode()


# --- Claim next, with the count ---------------------------------------------------------------


def test_it_shows_the_count_on_the_queue_claim_next(client, access_user):
    make_request()
    make_request(expedited=True)
    claimed_by(access_user)
    client.force_login(access_user)
    body = client.get(reverse("ec_queue")).content.decode()
    assert "Claim next (2 waiting, 1 expedited)" in body


def test_it_offers_claim_next_with_the_count_after_a_grant(client, access_user):
    ec_request = claimed_by(access_user)
    make_request()
    make_request(expedited=True)
    client.force_login(access_user)
    response = client.post(reverse("ec_request_grant", args=[ec_request.pk]), follow=True)
    body = response.content.decode()
    assert response.redirect_chain == [(reverse("ec_request", args=[ec_request.pk]), 303)]
    assert (f"EC request #{ec_request.pk} granted: EC 1177334 and business functions "
            f"7125, 7126, 8581 are on SL app {ec_request.sl_app.sl_app_number}.") in body
    assert "Claim next (2 waiting, 1 expedited)" in body


def test_it_offers_claim_next_after_a_reject(client, access_user):
    ec_request = claimed_by(access_user)
    make_request()
    client.force_login(access_user)
    response = client.post(reverse("ec_request_reject", args=[ec_request.pk]),
                           {"reason": "duplicate", "note": ""}, follow=True)
    body = response.content.decode()
    assert f"EC request #{ec_request.pk} rejected: Duplicate request." in body
    assert "Claim next (1 waiting)" in body and "expedited)" not in body


def test_it_says_plainly_when_the_queue_is_empty(client, access_user):
    ec_request = claimed_by(access_user)
    client.force_login(access_user)
    body = client.post(reverse("ec_request_grant", args=[ec_request.pk]), follow=True).content.decode()
    assert "The queue is empty: no request is waiting to be claimed." in body
    assert "Claim next" not in body
    assert "The queue is empty" in client.get(reverse("ec_queue")).content.decode()


def test_it_offers_no_claim_next_to_a_supervisor(client, supervisor):
    ec_request = make_request()
    ECRequest.objects.filter(pk=ec_request.pk).update(state="granted", decided_at=timezone.now())
    make_request()
    client.force_login(supervisor)
    assert "Claim next" not in detail(client, ec_request)
    assert "Claim next" not in client.get(reverse("ec_queue")).content.decode()


# --- Grant asks to confirm --------------------------------------------------------------------


def test_it_links_grant_to_a_confirmation_not_a_direct_post(client, access_user):
    ec_request = claimed_by(access_user)
    client.force_login(access_user)
    body = detail(client, ec_request)
    assert f'href="{reverse("ec_request_grant_confirm", args=[ec_request.pk])}"' in body
    assert f'action="{reverse("ec_request_grant", args=[ec_request.pk])}"' not in body


def test_it_asks_to_confirm_naming_the_app_the_ec_and_the_functions(client, access_user):
    ec_request = claimed_by(access_user)
    client.force_login(access_user)
    audited = AuditEntry.objects.count()
    response = client.get(reverse("ec_request_grant_confirm", args=[ec_request.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Grant access to SL app {ec_request.sl_app.sl_app_number}?" in body
    assert "1177334" in body and all(code in body for code in ("7125", "7126", "8581"))
    assert "Group Medical Membership Snapshot" in body
    assert "Grant access</button>" in body and ">Cancel</a>" in body
    assert f'action="{reverse("ec_request_grant", args=[ec_request.pk])}"' in body
    ec_request.refresh_from_db()
    assert ec_request.state == "claimed" and AuditEntry.objects.count() == audited


def test_it_warns_on_the_confirmation_when_another_ec_is_on_the_app(client, access_user):
    group, sl_app = make_eligible_group()
    sl_app.ec_identifier = "9999999"
    sl_app.save()
    ec_request = claimed_by(access_user, group=group, sl_app=sl_app)
    client.force_login(access_user)
    body = client.get(reverse("ec_request_grant_confirm", args=[ec_request.pk])).content.decode()
    assert "already carries EC 9999999" in body and "reject the request instead" in body


@pytest.mark.parametrize("state", ["queued", "granted", "someone_else"])
def test_it_sends_the_confirmation_back_when_the_request_is_not_yours_to_grant(client, access_user,
                                                                               state):
    if state == "someone_else":
        ec_request = claimed_by(make_user("robin", Role.ACCESS_MANAGEMENT, first_name="Robin"))
        expected = "claimed by Robin: only they can grant"
    else:
        ec_request = make_request()
        expected = "claim it first"
        if state == "granted":
            ECRequest.objects.filter(pk=ec_request.pk).update(state="granted", decided_at=timezone.now())
            expected = "already granted: nothing more to do"
    client.force_login(access_user)
    response = client.get(reverse("ec_request_grant_confirm", args=[ec_request.pk]), follow=True)
    assert response.redirect_chain == [(reverse("ec_request", args=[ec_request.pk]), 303)]
    assert expected in response.content.decode()


def test_it_answers_404_for_the_confirmation_of_no_request(client, access_user):
    client.force_login(access_user)
    assert client.get(reverse("ec_request_grant_confirm", args=[999999])).status_code == 404


def test_it_keeps_the_confirmation_to_access_management(client, supervisor, specialist):
    ec_request = make_request()
    url = reverse("ec_request_grant_confirm", args=[ec_request.pk])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for user in (supervisor, specialist):
        client.force_login(user)
        assert client.get(url).status_code == 403
    assert client.post(url).status_code in {403, 405}


def test_it_grants_once_on_a_double_submit(client, access_user):
    ec_request = claimed_by(access_user)
    client.force_login(access_user)
    url = reverse("ec_request_grant", args=[ec_request.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "already granted: nothing more to do" in response.content.decode()
    assert ECRequestEvent.objects.filter(request=ec_request, kind="granted").count() == 1
    assert AuditEntry.objects.filter(action="ec_request.grant").count() == 1


def test_it_refuses_a_grant_without_the_csrf_token(access_user):
    ec_request = claimed_by(access_user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(access_user)
    assert client.post(reverse("ec_request_grant", args=[ec_request.pk])).status_code == 403
    ec_request.refresh_from_db()
    assert ec_request.state == "claimed"


# --- Reject opens on demand -------------------------------------------------------------------


def test_it_keeps_the_reject_form_behind_a_disclosure(client, access_user):
    ec_request = claimed_by(access_user)
    client.force_login(access_user)
    body = detail(client, ec_request)
    assert '<details class="reject">' in body and "<summary" in body and "Reject…" in body


def test_it_opens_the_reject_disclosure_when_the_form_has_errors(client, access_user):
    ec_request = claimed_by(access_user)
    client.force_login(access_user)
    response = client.post(reverse("ec_request_reject", args=[ec_request.pk]), {"reason": "other"})
    body = response.content.decode()
    assert response.status_code == 200 and '<details class="reject" open>' in body
    assert "Explain the reason in the note" in body
    ec_request.refresh_from_db()
    assert ec_request.state == "claimed" and not ec_request.reject_reason


# --- The request names its case ---------------------------------------------------------------


def test_it_links_the_case_for_a_supervisor(client, specialist, supervisor):
    case = make_case(specialist)
    ec_request = make_request(case=case, requested_by=specialist)
    client.force_login(supervisor)
    body = detail(client, ec_request)
    assert f'<a href="{reverse("supervisor_case", args=[case.reference])}">{case.reference}</a>' in body
    assert client.get(reverse("supervisor_case", args=[case.reference])).status_code == 200


def test_it_shows_access_staff_the_reference_and_the_specialist_without_a_link(client, specialist,
                                                                               access_user):
    case = make_case(specialist)
    ec_request = make_request(case=case, requested_by=specialist)
    client.force_login(access_user)
    body = detail(client, ec_request)
    assert case.reference in body and "opened by Sam Rivera" in body
    assert f"/cases/{case.reference}/" not in body


def test_it_links_a_specialist_in_access_management_to_their_own_case_only(client, specialist):
    both = make_user("both", Role.ACCESS_MANAGEMENT)
    both.groups.add(*specialist.groups.all())
    own, others = make_case(both), make_case(specialist)
    client.force_login(both)
    mine = detail(client, make_request(case=own))
    assert f'<a href="{reverse("case_resume", args=[own.reference])}">' in mine
    theirs = detail(client, make_request(case=others))
    assert f"/cases/{others.reference}/" not in theirs


def test_it_says_nothing_of_a_case_for_a_batch_request(client, access_user):
    client.force_login(access_user)
    body = detail(client, make_request(source="weekly_batch"))
    assert "<dt>Case</dt>" not in body and "Weekly batch" in body


def test_it_grants_through_the_confirmation_and_tells_the_case(client, specialist, access_user):
    case = make_case(specialist)
    ec_request = make_request(case=case, requested_by=specialist)
    services.ec_request_claim(request_id=ec_request.pk, user=access_user)
    client.force_login(access_user)
    confirm = client.get(reverse("ec_request_grant_confirm", args=[ec_request.pk])).content.decode()
    assert f"Case {case.reference} gets a note" in confirm
    client.post(reverse("ec_request_grant", args=[ec_request.pk]))
    ec_request.refresh_from_db()
    assert ec_request.state == "granted"
