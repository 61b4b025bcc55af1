"""The history of a thing that changes state: one abstract event model and one table partial
(templates/partials/history.html) for the EC request, ARSOS escalation and Noyo connection pages.

Each concrete model keeps its own subject foreign key, kind choices, times, user field (its
related name) and ordering, so the tables, their append-only triggers and the migrations stay as
they are; what they share, and what the partial reads, is here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from .models import AppendOnlyModel
from .people import display_name


def history_user(related_name: str) -> models.ForeignKey[Any, Any]:
    """Who made the change: empty for SupportDesk's own work (the batch, a poll, a reminder)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name=related_name,
    )


class HistoryEvent(AppendOnlyModel):
    """One line of a history: what happened (``kind``), who, when, and a note. Never updated,
    never deleted."""

    note = models.TextField(blank=True)

    # The field the history table's first column shows.
    when_field: ClassVar[str] = "created_at"
    # The "Who" column when no user made the change.
    nobody: ClassVar[str] = "SupportDesk"

    class Meta:
        abstract = True

    @property
    def when(self) -> dt.datetime:
        value: dt.datetime = getattr(self, self.when_field)
        return value

    @property
    def recorded(self) -> dt.datetime | None:
        """When SupportDesk wrote it down, where that can differ from when it happened."""
        return None

    @property
    def who(self) -> str:
        return display_name(getattr(self, "user", None), self.nobody)

    @property
    def history_detail(self) -> str:
        """The table's extra column, for a history that has one."""
        return ""
