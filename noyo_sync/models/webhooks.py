"""Noyo's webhook deliveries as we received them: one row per event, whatever the number of
deliveries ("at-least-once": the unique event ID is the guard), and what became of it."""

from __future__ import annotations

from django.db import models


class NoyoWebhookEvent(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting to be processed"
        APPLIED = "applied", "Status applied"
        UNCHANGED = "unchanged", "Same status as we hold"
        SUPERSEDED = "superseded", "Older than the status we hold"
        UNKNOWN = "unknown", "No connection of ours"
        IGNORED = "ignored", "Event type we do not act on"
        HELLO = "hello", "Test event received"

    event_id = models.UUIDField(unique=True, help_text="Noyo's event.id: the dedupe key.")
    event_type = models.CharField(max_length=80)
    event_created = models.BigIntegerField(help_text="Noyo's event.created (Unix seconds).")
    # A group connection's status change carries no member data ("pii_phi: none").
    data = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    deliveries = models.PositiveIntegerField(default=1, help_text="Times Noyo delivered it.")
    outcome = models.CharField(max_length=12, choices=Outcome, default=Outcome.PENDING)
    processed_at = models.DateTimeField(null=True, blank=True)
    connection = models.ForeignKey("noyo_sync.GroupConnection", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="webhook_events")

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["outcome", "received_at"])]

    def __str__(self) -> str:
        return f"Noyo webhook {self.event_type} {self.event_id}"


class SandboxWebhookDelivery(models.Model):
    """The in-app sandbox sent the event for one status of one connection: one row per status
    version (rules: a version per status, sandbox/results.py), the sender's guard."""

    connection = models.ForeignKey("noyo_sync.SandboxGroupConnection", on_delete=models.CASCADE,
                                   related_name="webhook_deliveries")
    version = models.UUIDField()
    status = models.CharField(max_length=40)
    event_id = models.UUIDField()
    sent_at = models.DateTimeField(auto_now_add=True)
    answer = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Our HTTP status.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connection", "version"],
                                               name="noyo_sandbox_webhook_once_per_version")]

    def __str__(self) -> str:
        return f"Sandbox webhook {self.status} for connection {self.connection_id}"


class SandboxWebhookFault(models.Model):
    """Tell the sandbox's webhook sender to misbehave, as Noyo may: the next ``remaining``
    rounds send each event twice, in reverse order, or signed with the wrong secret."""

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", "Send every event twice"
        OUT_OF_ORDER = "out_of_order", "Send the events newest first"
        BAD_SIGNATURE = "bad_signature", "Sign with the wrong secret"

    kind = models.CharField(max_length=16, choices=Kind, unique=True)
    remaining = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.remaining} left)"
