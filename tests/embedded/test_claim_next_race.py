"""Two Access Management users press Claim next at the same moment: one wins, the other is told
nothing is left to claim, and nobody sees an error. On SQLite (make run) and PostgreSQL alike.

Each thread has its own database connection (Django's are per thread), as two web workers do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ec_access import services
from ec_access.models import ECRequest
from supportdesk.roles import Role
from tests.ec_access.make import make_request
from tests.ec_access.test_queue_concurrency import hold_open
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 8
NOTHING_FREE = "No queued request is free to claim."


def at_once(*works: Callable[[], Any]) -> list[dict[str, Any]]:
    """Run each work on its own thread, all released together by a barrier once connected."""
    barrier = threading.Barrier(len(works))
    outcomes: list[dict[str, Any]] = [{} for _ in works]

    def run(work: Callable[[], Any], outcome: dict[str, Any]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(10)
            outcome["result"] = work()
        except Exception as error:  # noqa: BLE001  (the test inspects it)
            outcome["error"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(works, outcomes, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a claimer is still waiting"
    return outcomes


@pytest.fixture
def clerks(db):
    return (make_user("clerk1", Role.ACCESS_MANAGEMENT, first_name="Alex", last_name="Morgan"),
            make_user("clerk2", Role.ACCESS_MANAGEMENT, first_name="Robin", last_name="Lee"))


def test_it_gives_the_one_queued_request_to_exactly_one_of_two_simultaneous_claimers(clerks):
    for _ in range(ROUNDS):
        request = make_request()
        outcomes = at_once(*(lambda user=user: services.ec_request_claim_next(user=user)
                             for user in clerks))

        winners = [outcome["result"] for outcome in outcomes if "result" in outcome]
        errors = [outcome["error"] for outcome in outcomes if "error" in outcome]
        assert [winner.pk for winner in winners] == [request.pk]
        assert [(type(error), str(error)) for error in errors] == [(services.QueueRefused, NOTHING_FREE)]
        request.refresh_from_db()
        assert request.claimed_by == winners[0].claimed_by
        assert list(request.events.values_list("kind", flat=True)) == ["created", "claimed"]


def test_it_answers_both_presses_of_claim_next_with_a_page_not_an_error(clerks):
    for _ in range(ROUNDS):
        request = make_request()
        browsers = []
        for clerk in clerks:
            browser = Client(raise_request_exception=False)
            browser.force_login(clerk)
            browsers.append(browser)
        outcomes = at_once(*(lambda browser=browser: browser.post(reverse("ec_queue_claim_next"),
                                                                  follow=True)
                             for browser in browsers))

        assert all("result" in outcome for outcome in outcomes), outcomes
        pages = [outcome["result"] for outcome in outcomes]
        assert [page.status_code for page in pages] == [200, 200]
        landed = sorted(page.request["PATH_INFO"] for page in pages)
        assert landed == sorted([reverse("ec_request", args=[request.pk]), reverse("ec_queue")])
        loser = next(page for page in pages if page.request["PATH_INFO"] == reverse("ec_queue"))
        assert NOTHING_FREE in loser.content.decode()
        ECRequest.objects.filter(pk=request.pk).update(state="granted", decided_at=request.created_at)


def _short_busy_timeout() -> None:
    """On SQLite, give up on the write lock after 0.3 s rather than the configured 20."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        connection.connection.execute("PRAGMA busy_timeout = 300")


def held_then_tried(hold: Callable[[], ECRequest],
                    attempt: Callable[[], ECRequest]) -> list[dict[str, Any]]:
    """Run ``hold`` in a transaction kept open (its locks held) until ``attempt`` has run on the
    other connection, with a short busy timeout; the outcomes of both, in that order."""
    holding, release = threading.Event(), threading.Event()

    def attempt_soon() -> ECRequest:
        assert holding.wait(10)
        _short_busy_timeout()
        try:
            return attempt()
        finally:
            release.set()

    return at_once(lambda: hold_open(hold, holding, release), attempt_soon)


def test_it_says_nothing_is_free_while_another_claimer_holds_the_queue(clerks):
    """PostgreSQL skips the row the other claimer holds; SQLite cannot get its write lock in
    time. Both say the same thing."""
    first, second = clerks
    make_request()
    held, waited = held_then_tried(lambda: services.ec_request_claim_next(user=first),
                                   lambda: services.ec_request_claim_next(user=second))
    assert held["result"].claimed_by == first
    assert (type(waited.get("error")), str(waited.get("error"))) == (services.QueueRefused, NOTHING_FREE)


def test_it_asks_to_try_again_when_a_claim_waited_out_the_lock(clerks):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL waits for the row lock (tests/ec_access/test_queue_concurrency.py)")
    first, second = clerks
    request = make_request()
    _held, waited = held_then_tried(
        lambda: services.ec_request_claim(request_id=request.pk, user=first),
        lambda: services.ec_request_claim(request_id=request.pk, user=second),
    )
    assert isinstance(waited.get("error"), services.QueueRefused)
    assert "being changed by someone else at this moment: try again" in str(waited["error"])
    # Once the first claim has committed, a second try gets PostgreSQL's answer.
    with pytest.raises(services.QueueRefused, match="already claimed by Alex Morgan"):
        services.ec_request_claim(request_id=request.pk, user=second)
