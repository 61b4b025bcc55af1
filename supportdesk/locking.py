"""SQLite's one writer at a time, and what a write that still loses that race answers.

Under ``make run`` (SQLite) writers queue for the database's single write lock: transactions
begin IMMEDIATE and wait up to the busy timeout (settings.DATABASES). A writer that waits past it
fails with OperationalError "database is locked", where PostgreSQL would have waited on a row
lock or skipped the row. A service whose race has a message on PostgreSQL turns the failure into
that message (``refused_when_locked``); any other write that still loses gets a page saying
nothing was saved and to try again (``DatabaseBusyMiddleware``), never a server error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# sqlite3's wording for SQLITE_BUSY (another connection writes) and SQLITE_LOCKED (another
# connection of a shared cache, as in-memory test databases are).
LOCKED_MESSAGES = ("database is locked", "database table is locked")
RETRY_AFTER_S = 5


def database_locked(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and any(
        message in str(error) for message in LOCKED_MESSAGES
    )


@contextmanager
def refused_when_locked(refusal: Callable[[], Exception]) -> Iterator[None]:
    """Raise ``refusal()`` instead when the block loses the write lock.

    Put it outside ``transaction.atomic()``: once the lock is lost the transaction is rolled
    back, and ``refusal`` may read the database again to say what happened (WAL readers never
    wait for the writer)."""
    try:
        yield
    except OperationalError as error:
        if not database_locked(error):
            raise
        raise refusal() from error


class DatabaseBusyMiddleware:
    """A view whose write waited out the busy timeout answers 503 with a page saying so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_locked(exception):
            return None
        response = render(request, "busy.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
