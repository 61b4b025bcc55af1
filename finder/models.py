"""What the finder stores: its search index (rebuilt from the flow registry, never edited by
hand) and each specialist's favourite flows. No member data: flows hold none."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FlowSearchEntry(models.Model):
    """One place a specialist may be looking for: a flow itself (its title, summary and source
    document) or one of its steps, with the words that step shows.

    ``words`` and ``digits`` serve the search on any database: every word of the entry,
    lowercased, between spaces (so " word" finds a word by its beginning), and every number
    with its separators taken out ("1-800-457-4708" is " 18004574708 "). On PostgreSQL the
    full-text search reads ``heading``, ``body`` and ``keywords`` through a GIN index that
    migration 0002 adds there only.
    """

    flow_key = models.CharField(max_length=64)
    step_key = models.CharField(max_length=64, blank=True)  # "" for the flow itself
    position = models.PositiveIntegerField()  # the flow first, then its steps in order
    heading = models.CharField(max_length=300)  # the flow's title, or the step's
    body = models.TextField(blank=True)  # the words the specialist reads there
    keywords = models.TextField(blank=True)  # e-mail and web addresses split into their words
    words = models.TextField(blank=True)
    digits = models.TextField(blank=True)

    class Meta:
        ordering = ["flow_key", "position"]
        constraints = [
            models.UniqueConstraint(fields=["flow_key", "step_key"], name="finder_entry_once"),
        ]
        verbose_name_plural = "flow search entries"

    def __str__(self) -> str:
        return self.heading


class FlowIndex(models.Model):
    """Which wording of the flows the entries were built from: the fingerprint (a hash of every
    indexed text) is compared with the registry's, so a deploy with new wording re-indexes."""

    name = models.CharField(max_length=20, primary_key=True, default="flows")
    fingerprint = models.CharField(max_length=64)
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.fingerprint[:12]}"


class FavouriteFlow(models.Model):
    """A flow a specialist starred: listed first on their home page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="favourite_flows")
    flow_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "flow_key"], name="finder_favourite_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.flow_key}"
