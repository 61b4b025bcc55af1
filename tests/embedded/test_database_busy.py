"""A write that waits out SQLite's busy timeout gets a page saying it was not saved (503), not
a server error."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection, transaction

from supportdesk.locking import DatabaseBusyMiddleware
from supportdesk.models import Case
from tests.factories import make_case


def _busy_answer(rf, error: Exception):
    request = rf.post("/cases/SD-000001/step/sale_stage/")
    request.user = AnonymousUser()
    return DatabaseBusyMiddleware(lambda request: None).process_exception(request, error)


def test_it_answers_a_lost_write_lock_with_a_busy_page(rf):
    response = _busy_answer(rf, OperationalError("database is locked"))
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert "your change was not saved" in response.content.decode()


def test_it_leaves_other_database_errors_to_the_server_error_page(rf):
    assert _busy_answer(rf, OperationalError("no such table: supportdesk_case")) is None
    assert _busy_answer(rf, ValueError("database is locked")) is None


@pytest.mark.django_db(transaction=True)
def test_it_shows_the_busy_page_when_a_case_answer_waits_out_the_lock(client, specialist):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL writers wait on row locks, not on one lock for the database")
    case = make_case(specialist)
    client.force_login(specialist)
    client.get(case.get_absolute_url())  # the session's activity mark: no session write below
    holding, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        try:
            with transaction.atomic():
                Case.objects.filter(pk=case.pk).update(news="")
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    try:
        assert holding.wait(10)
        connection.connection.execute("PRAGMA busy_timeout = 300")
        response = client.post(case.get_absolute_url(), {"choice": "pre_sale"})
    finally:
        release.set()
        holder.join(10)
    assert response.status_code == 503
    assert "your change was not saved" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
