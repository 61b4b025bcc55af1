"""What a request wrote, read from the SQL it ran: "nothing half-saved" made checkable for any
view without listing the tables it could touch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|COPY)\b", re.IGNORECASE)
# A request may save the session (its inactivity clock, once a minute) and store a flash message
# in it; that is not the view writing.
NOT_THE_VIEW = ("django_session",)


class Writes(list):
    @property
    def tables(self) -> set[str]:
        return {match.group(1) for sql in self
                for match in [re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', sql)] if match}


@contextmanager
def captured_writes() -> Iterator[Writes]:
    writes = Writes()
    with CaptureQueriesContext(connection) as context:
        yield writes
    writes.extend(
        sql for sql in (query["sql"] or "" for query in context.captured_queries)
        if WRITE.match(sql) and not any(table in sql for table in NOT_THE_VIEW)
    )
