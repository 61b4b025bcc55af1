"""ECRequest.TRANSITIONS is what the services enforce: for every state and every action, the
service does it exactly when `can()` says yes, and the page's question (the decision refusal)
agrees. Changing one without the other fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ec_access import services
from ec_access.models import ECRequest
from supportdesk.roles import Role
from tests.ec_access.make import make_request
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db

Refused = (services.QueueRefused, services.ECRequestRefused)


def _claimed(request: ECRequest, user: Any) -> ECRequest:
    return services.ec_request_claim(request_id=request.pk, user=user)


def _withdrawn(request: ECRequest, user: Any) -> ECRequest:
    services.ec_request_withdraw(case=request.case, user=request.requested_by)
    request.refresh_from_db()
    return request


# Every state a request can stand in, made through the services; claimed twice, since only
# whoever claimed it decides it. ``user`` is the clerk who then tries each action.
STATES: dict[str, Callable[[ECRequest, Any, Any], ECRequest]] = {
    "queued": lambda request, user, other: request,
    "claimed": lambda request, user, other: _claimed(request, user),
    "claimed by someone else": lambda request, user, other: _claimed(request, other),
    "granted": lambda request, user, other: services.ec_request_grant(
        request_id=_claimed(request, user).pk, user=user),
    "rejected": lambda request, user, other: services.ec_request_reject(
        request_id=_claimed(request, user).pk, user=user, reason="duplicate", note=""),
    "withdrawn": lambda request, user, other: _withdrawn(request, user),
}

SERVICES: dict[str, Callable[[ECRequest, Any], object]] = {
    "claim": lambda request, user: services.ec_request_claim(request_id=request.pk, user=user),
    "release": lambda request, user: services.ec_request_release(request_id=request.pk, user=user),
    "grant": lambda request, user: services.ec_request_grant(request_id=request.pk, user=user),
    "reject": lambda request, user: services.ec_request_reject(
        request_id=request.pk, user=user, reason="duplicate", note=""),
    # The case's specialist takes it back (Back or Restart); `can()` does not ask who.
    "withdraw": lambda request, user: services.ec_request_withdraw(
        case=request.case, user=request.requested_by),
}
DECISIONS = ("release", "grant", "reject")


@pytest.fixture
def clerk(db):
    return make_user("clerk", Role.ACCESS_MANAGEMENT)


@pytest.fixture
def other_clerk(db):
    return make_user("clerk2", Role.ACCESS_MANAGEMENT)


def test_it_tests_every_action_and_every_state():
    assert set(SERVICES) == set(ECRequest.TRANSITIONS)
    assert {state.split()[0] for state in STATES} == set(ECRequest.State.values)


@pytest.mark.parametrize("action", list(SERVICES))
@pytest.mark.parametrize("state", list(STATES))
def test_the_service_does_exactly_what_can_allows(specialist, clerk, other_clerk, state, action):
    case = make_case(specialist)
    request = STATES[state](make_request(case=case, requested_by=specialist), clerk, other_clerk)
    request.refresh_from_db()
    allowed = request.can(action, clerk)
    assert (action in request.allowed_actions(clerk)) == allowed
    if action in DECISIONS:  # what the grant page asks before offering it
        refusal = services.ec_request_decision_refusal(request=request, user=clerk, action=action)
        assert (refusal is None) == allowed
    before = request.events.count()

    try:
        SERVICES[action](request, clerk)
    except Refused:
        done = False
    else:  # withdrawing a rejected or withdrawn request is not refused, only left alone
        done = request.events.count() > before

    assert done == allowed, f"{action} from {state}: the service and ECRequest.can() disagree"
