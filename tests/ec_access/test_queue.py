"""The queue's state machine: every legal transition, and every illegal one refused."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from ec_access import services
from ec_access.models import ECRequest, ECRequestEvent, SLApplication
from supportdesk.models import CaseEvent
from supportdesk.roles import Role
from tests.ec_access.make import make_eligible_group, make_request, make_sl_app
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(db):
    return make_user("clerk", Role.ACCESS_MANAGEMENT, first_name="Alex", last_name="Morgan", email="alex@example.com")


@pytest.fixture
def other_clerk(db):
    return make_user("clerk2", Role.ACCESS_MANAGEMENT, first_name="Robin", last_name="Lee")


def kinds(request) -> list[str]:
    return list(request.events.values_list("kind", flat=True))


def test_it_claims_a_queued_request(clerk):
    request = services.ec_request_claim(request_id=make_request().pk, user=clerk)
    assert (request.state, request.claimed_by) == ("claimed", clerk) and request.claimed_at
    assert kinds(request) == ["created", "claimed"]


def test_it_refuses_a_claim_of_a_claimed_request_naming_who_has_it(clerk, other_clerk):
    request = make_request()
    services.ec_request_claim(request_id=request.pk, user=clerk)
    with pytest.raises(services.QueueRefused, match="already claimed by Alex Morgan"):
        services.ec_request_claim(request_id=request.pk, user=other_clerk)
    request.refresh_from_db()
    assert request.claimed_by == clerk and kinds(request) == ["created", "claimed"]


@pytest.mark.parametrize("state", ["granted", "rejected"])
def test_it_refuses_to_claim_a_decided_request(clerk, state):
    request = make_request()
    ECRequest.objects.filter(pk=request.pk).update(state=state, decided_at="2026-11-01T10:00Z",
                                                   reject_reason="duplicate")
    with pytest.raises(services.QueueRefused, match=f"is {state}"):
        services.ec_request_claim(request_id=request.pk, user=clerk)


def test_it_refuses_an_unknown_request(clerk):
    with pytest.raises(services.QueueRefused, match="no EC request #999999"):
        services.ec_request_claim(request_id=999999, user=clerk)


def test_it_claims_the_next_request_expedited_first_then_oldest(clerk):
    oldest = make_request()
    make_request()
    expedited = make_request(expedited=True)
    assert services.ec_request_claim_next(user=clerk) == expedited
    assert services.ec_request_claim_next(user=clerk) == oldest


def test_it_says_when_nothing_is_left_to_claim(clerk):
    with pytest.raises(services.QueueRefused, match="No queued request is free"):
        services.ec_request_claim_next(user=clerk)


def test_it_releases_a_claim_back_to_the_queue(clerk):
    request = make_request()
    services.ec_request_claim(request_id=request.pk, user=clerk)
    request = services.ec_request_release(request_id=request.pk, user=clerk)
    assert (request.state, request.claimed_by, request.claimed_at) == ("queued", None, None)
    assert kinds(request) == ["created", "claimed", "released"]


def test_it_lets_only_the_claimer_release_grant_or_reject(clerk, other_clerk):
    request = make_request()
    services.ec_request_claim(request_id=request.pk, user=clerk)
    for action in (services.ec_request_release, services.ec_request_grant):
        with pytest.raises(services.QueueRefused, match="claimed by Alex Morgan: only they"):
            action(request_id=request.pk, user=other_clerk)
    with pytest.raises(services.QueueRefused, match="only they"):
        services.ec_request_reject(request_id=request.pk, user=other_clerk, reason="duplicate", note="")


@pytest.mark.parametrize("action", ["release", "grant", "reject"])
def test_it_refuses_to_decide_an_unclaimed_request(clerk, action):
    request = make_request()
    call = {"release": lambda: services.ec_request_release(request_id=request.pk, user=clerk),
            "grant": lambda: services.ec_request_grant(request_id=request.pk, user=clerk),
            "reject": lambda: services.ec_request_reject(request_id=request.pk, user=clerk,
                                                         reason="duplicate", note="")}[action]
    with pytest.raises(services.QueueRefused, match="claim it first"):
        call()
    assert kinds(request) == ["created"]


def test_it_grants_by_adding_the_ec_and_functions_to_the_sl_app(clerk, specialist, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    specialist.email = "sam@example.com"
    specialist.save()
    group, sl_app = make_eligible_group()
    case = make_case(specialist)
    request = make_request(group, sl_app, case=case, requested_by=specialist)
    services.ec_request_claim(request_id=request.pk, user=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.ec_request_grant(request_id=request.pk, user=clerk)
    sl_app.refresh_from_db()
    assert sl_app.ec_identifier == "1177334"
    assert sorted(sl_app.business_functions.values_list("code", flat=True)) == ["7125", "7126", "8581"]
    assert (request.state, kinds(request)[-1]) == ("granted", "granted")
    note = case.events.filter(kind=CaseEvent.Kind.NOTE).last()  # after the claim's note
    assert f"EC request #{request.pk} granted by Alex Morgan" in note.answer
    [email] = mailoutbox
    assert email.to == ["sam@example.com"] and group.group_number in email.subject


def test_it_refuses_a_grant_that_would_put_a_second_ec_on_the_app_and_changes_nothing(clerk):
    group, sl_app = make_eligible_group()
    request = make_request(group, sl_app)
    services.ec_request_claim(request_id=request.pk, user=clerk)
    SLApplication.objects.filter(pk=sl_app.pk).update(ec_identifier="9999999")
    with pytest.raises(services.QueueRefused, match="Only ONE EC per SL application"):
        services.ec_request_grant(request_id=request.pk, user=clerk)
    request.refresh_from_db()
    sl_app.refresh_from_db()
    assert request.state == "claimed" and sl_app.ec_identifier == "9999999"
    assert not sl_app.business_functions.exists()


def test_it_refuses_a_grant_to_a_pseudo_app(clerk):
    group, _ = make_eligible_group()
    pseudo = make_sl_app(None, "pseudo")
    request = make_request(group, pseudo)
    services.ec_request_claim(request_id=request.pk, user=clerk)
    with pytest.raises(services.QueueRefused, match="pseudo apps, ONLY employers"):
        services.ec_request_grant(request_id=request.pk, user=clerk)


def test_it_rejects_with_a_reason_and_tells_the_case(clerk, specialist):
    case = make_case(specialist)
    request = make_request(case=case)
    services.ec_request_claim(request_id=request.pk, user=clerk)
    request = services.ec_request_reject(request_id=request.pk, user=clerk, reason="not_registered",
                                         note="Registration revoked last week.")
    assert (request.state, request.reject_reason) == ("rejected", "not_registered")
    note = case.events.filter(kind="note").last().answer  # after the claim's note
    assert "The group is not registered on the Employer Portal. Registration revoked last week." in note


@pytest.mark.parametrize(("reason", "note", "message"), [
    ("", "", "Choose a reason"), ("made-up", "x", "Choose a reason"),
    ("other", "   ", "Explain the reason"),
])
def test_it_refuses_a_rejection_without_a_proper_reason(clerk, reason, note, message):
    request = make_request()
    services.ec_request_claim(request_id=request.pk, user=clerk)
    with pytest.raises(services.QueueRefused, match=message):
        services.ec_request_reject(request_id=request.pk, user=clerk, reason=reason, note=note)
    request.refresh_from_db()
    assert request.state == "claimed"


def test_it_refuses_a_rejected_row_without_a_reason_in_the_database():
    request = make_request()
    with pytest.raises(IntegrityError, match="ec_request_rejection_has_reason"), transaction.atomic():
        ECRequest.objects.filter(pk=request.pk).update(state="rejected", decided_at="2026-11-01T10:00Z")


def test_it_refuses_a_claimed_row_without_a_claimer_in_the_database():
    request = make_request()
    with pytest.raises(IntegrityError, match="ec_request_state_fields"), transaction.atomic():
        ECRequest.objects.filter(pk=request.pk).update(state="claimed")


def test_it_keeps_request_events_append_only():
    event = make_request().events.get()
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        ECRequestEvent.objects.all().delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ec_access_ecrequestevent SET note = 'x'")
