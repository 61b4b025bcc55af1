"""Escalation.TRANSITIONS is what the services enforce: for every state and every action, the
service does it exactly when `can()` says yes (so the page, which offers what `can()` allows,
never offers a refused step nor hides an allowed one). Changing one without the other fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from agent_rsos import services
from agent_rsos.models import Escalation
from tests.agent_rsos.make import details, make_draft, make_escalation

pytestmark = pytest.mark.django_db

# Every state an escalation can stand in, made through the services; a draft twice, since
# marking sent also needs the whole template.
STATES: dict[str, Callable[[Any], Escalation]] = {
    "draft": make_draft,
    "draft with every field": lambda user: _saved(make_draft(user), user),
    "sent": lambda user: make_escalation(user, status="sent"),
    "acknowledged": lambda user: make_escalation(user, status="acknowledged"),
    "resolved": lambda user: make_escalation(user, status="resolved"),
    "escalated": lambda user: _escalated(make_escalation(user, status="sent"), user),
    "discarded": lambda user: _discarded(make_draft(user), user),
}

SERVICES: dict[str, Callable[[Escalation, Any], object]] = {
    "save_details": lambda e, user: services.escalation_save_details(
        escalation_id=e.pk, user=user, details=details()),
    "split": lambda e, user: services.escalation_split(escalation_id=e.pk, user=user),
    "discard": lambda e, user: services.escalation_discard(case=e.case, user=user),
    "mark_sent": lambda e, user: services.escalation_mark_sent(escalation_id=e.pk, user=user),
    "acknowledge": lambda e, user: services.escalation_acknowledge(escalation_id=e.pk, user=user),
    "follow_up": lambda e, user: services.escalation_follow_up(escalation_id=e.pk, user=user),
    "resolve": lambda e, user: services.escalation_resolve(escalation_id=e.pk, user=user),
    "escalate": lambda e, user: services.escalation_escalate(escalation_id=e.pk, user=user,
                                                             escalated_to="bre"),
}


def _saved(escalation: Escalation, user: Any) -> Escalation:
    services.escalation_save_details(escalation_id=escalation.pk, user=user, details=details())
    escalation.refresh_from_db()
    return escalation


def _escalated(escalation: Escalation, user: Any) -> Escalation:
    return services.escalation_escalate(escalation_id=escalation.pk, user=user, escalated_to="brm")


def _discarded(escalation: Escalation, user: Any) -> Escalation:
    services.escalation_discard(case=escalation.case, user=user)
    escalation.refresh_from_db()
    return escalation


def test_it_tests_every_action_and_every_state():
    assert set(SERVICES) == set(Escalation.TRANSITIONS)
    assert {state.split()[0] for state in STATES} == set(Escalation.Status.values)


@pytest.mark.parametrize("action", list(SERVICES))
@pytest.mark.parametrize("state", list(STATES))
def test_the_service_does_exactly_what_can_allows(specialist, state, action):
    escalation = STATES[state](specialist)
    allowed = escalation.can(action)
    assert (action in escalation.allowed_actions) == allowed
    before = escalation.events.count()

    try:
        SERVICES[action](escalation, specialist)
    except services.EscalationRefused:
        done = False
    else:  # a discarded draft is not refused, only left alone: nothing is written
        done = escalation.events.count() > before

    assert done == allowed, f"{action} from {state}: the service and Escalation.can() disagree"
