"""Claims under concurrency, on PostgreSQL with two real connections (one per thread)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from ec_access import services
from ec_access.models import ECRequest
from supportdesk.roles import Role
from tests.ec_access.make import make_request
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``work`` on its own thread, hence its own database connection."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except Exception as error:  # noqa: BLE001  (the test inspects it)
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def hold_open(work: Callable[[], Any], holding: threading.Event, release: threading.Event) -> Any:
    """Run ``work`` in a transaction, set ``holding``, and keep the transaction open, holding its
    row locks, until ``release`` is set."""
    with transaction.atomic():
        result = work()
        holding.set()
        release.wait(10)
        return result


def in_thread_holding(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any], threading.Event]:
    """``hold_open(work)`` on its own thread, once it holds; release it with the returned event."""
    holding, release = threading.Event(), threading.Event()
    thread, outcome = in_thread(lambda: hold_open(work, holding, release))
    assert holding.wait(10)
    return thread, outcome, release


@pytest.fixture
def clerks(db):
    return (make_user("clerk1", Role.ACCESS_MANAGEMENT, first_name="Alex", last_name="Morgan"),
            make_user("clerk2", Role.ACCESS_MANAGEMENT, first_name="Robin", last_name="Lee"))


def test_exactly_one_of_two_simultaneous_claims_wins(clerks):
    first, second = clerks
    request = make_request()
    # The first claimer's transaction stays open, holding the row, while the second tries.
    thread_a, outcome_a, release = in_thread_holding(
        lambda: services.ec_request_claim(request_id=request.pk, user=first)
    )
    thread_b, outcome_b = in_thread(lambda: services.ec_request_claim(request_id=request.pk, user=second))
    thread_b.join(0.5)
    assert thread_b.is_alive(), "the second claim should wait on the first one's row lock"
    release.set()
    thread_a.join(10)
    thread_b.join(10)

    assert outcome_a["result"].claimed_by == first
    assert isinstance(outcome_b.get("error"), services.QueueRefused)
    assert "already claimed by Alex Morgan" in str(outcome_b["error"])
    request.refresh_from_db()
    assert request.claimed_by == first
    assert list(request.events.values_list("kind", flat=True)) == ["created", "claimed"]


def test_claim_next_skips_a_request_another_clerk_holds(clerks):
    first, second = clerks
    older, newer = make_request(), make_request()
    thread_a, outcome_a, release = in_thread_holding(lambda: services.ec_request_claim_next(user=first))
    thread_b, outcome_b = in_thread(lambda: services.ec_request_claim_next(user=second))
    thread_b.join(5)
    assert not thread_b.is_alive(), "claim next must skip the locked row, not wait for it"
    release.set()
    thread_a.join(10)

    assert outcome_a["result"] == older and outcome_b["result"] == newer
    assert set(ECRequest.objects.values_list("claimed_by", flat=True)) == {first.pk, second.pk}
