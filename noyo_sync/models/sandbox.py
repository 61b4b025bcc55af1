"""The local Noyo sandbox's own state: what a fake Noyo remembers between requests.

Kept in the database so that the web process, the Celery worker and a test's live server all see
the same sandbox. Nothing here is ours: these tables stand in for Noyo's side of the API.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Case, CharField, DateTimeField, F, Value, When

from supportdesk import clock


class SandboxAccessToken(models.Model):
    """A bearer token the sandbox issued; only its SHA-256 is kept."""

    token_hash = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=200)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Sandbox token for {self.client_id} until {self.expires_at:%H:%M:%S}"


class SandboxConnectionQuerySet(models.QuerySet):
    def with_status(self, now: object = None) -> SandboxConnectionQuerySet:
        """Annotate ``current_status``: created, then processing, then the resulting status,
        worked out from the submission time so that no background process is needed; and
        ``current_modified``, when it last changed (what ``modified`` says and sorts on)."""
        now = now or clock.now()
        return self.annotate(
            current_status=Case(
                When(settles_at__lte=now, then=F("final_status")),
                When(processing_at__lte=now, then=Value("processing")),
                default=Value("created"),
                output_field=CharField(),
            ),
            current_modified=Case(
                When(settles_at__lte=now, then=F("settles_at")),
                When(processing_at__lte=now, then=F("processing_at")),
                default=F("submitted_at"),
                output_field=DateTimeField(),
            ),
        )


class SandboxGroupConnection(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    carrier_id = models.CharField(max_length=64)
    carrier_group_id = models.CharField(max_length=64)
    group_data = models.JSONField(default=dict)
    group_id = models.UUIDField(default=uuid.uuid4)
    version = models.UUIDField(
        default=uuid.uuid4,
        help_text="Drawn anew at each retry; the version Noyo's answers show is derived from it and "
                  "the current status (sandbox/results.py), so it changes with every status change.",
    )
    # The create body's top-level fields beside carrier_id and group_data (the spec's
    # GroupSetupRequestPublicAPICreateRequest); federal_ein is echoed in every result.
    federal_ein = models.CharField(max_length=9, blank=True)
    data_exchange_configuration = models.CharField(max_length=3, blank=True)
    ignore_eligibility = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    submitted_at = models.DateTimeField(default=clock.now, help_text="Creation or last retry.")
    processing_at = models.DateTimeField()
    settles_at = models.DateTimeField()
    final_status = models.CharField(max_length=40)
    retries = models.PositiveIntegerField(default=0)

    objects = SandboxConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["carrier_id", "created_at", "id"])]
        constraints = [
            # "group connections should be unique by a carrier ID and carrier group ID combination"
            models.UniqueConstraint(fields=["carrier_id", "carrier_group_id"],
                                    name="noyo_sandbox_connection_unique"),
        ]

    def __str__(self) -> str:
        return f"Sandbox connection {self.carrier_group_id}"


class SandboxFault(models.Model):
    """Tells the sandbox to fail its next requests, for tests and for trying an outage by hand."""

    class Kind(models.TextChoices):
        HTTP_500 = "500", "HTTP 500"
        HTTP_503 = "503", "HTTP 503 with Retry-After"
        HTTP_429 = "429", "HTTP 429 with Retry-After"
        TIMEOUT = "timeout", "No answer in time (a slow response)"

    kind = models.CharField(max_length=8, choices=Kind)
    after = models.PositiveIntegerField(
        default=0, help_text="How many requests still answer normally before the fault starts."
    )
    remaining = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many more requests fail; empty: until cleared."
    )
    retry_after = models.PositiveIntegerField(default=1, help_text="Seconds, for 503 and 429.")
    delay_seconds = models.FloatField(default=3.0, help_text="How long a timeout answer waits.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        left = "until cleared" if self.remaining is None else f"{self.remaining} left"
        return f"Sandbox fault {self.kind} ({left})"
