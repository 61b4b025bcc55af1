"""The words of the flows as their authors publish them (flow_content.py): versions, the one
draft per flow, what each specialist last saw, and the problems specialists report on a step.

A flow's structure and rules stay in code; these rows hold only texts, by step key and field
name (``Step.texts()``). Version 1 of a flow is its code's own words.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from django.conf import settings
from django.db import models

# {step key (or engine.FLOW_TEXTS): {field name: text, or a list of lines}}
Edits = dict[str, dict[str, object]]


class FlowVersion(models.Model):
    """One published version of a flow's words. Never changed once written: a case follows the
    version it opened on, so a published version is what its cases showed."""

    flow_key = models.CharField(max_length=64)
    number = models.PositiveIntegerField()
    # The texts the authors worded differently from the code at publish time; every other
    # text is the code's (so a developer's change reaches the steps nobody edited).
    edits = models.JSONField(default=dict, blank=True)
    # The code's words when this version was published: what the version showed, and what a
    # later change to the code is compared with.
    baseline = models.JSONField(default=dict, blank=True)
    note = models.CharField("change note", max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="Empty for version 1, the code's own words.",
    )
    published_at = models.DateTimeField()
    reverted_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["flow_key", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["flow_key", "number"], name="flow_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.flow_key} v{self.number}"

    def shown(self) -> Edits:
        """Every text as this version showed when it was published (its baseline, edited)."""
        return {key: {**fields, **self.edits.get(key, {})} for key, fields in self.baseline.items()}


class FlowDraft(models.Model):
    """The one draft of a flow's next version. ``revision`` goes up on every save, so an
    author's form knows whether someone saved since it was loaded."""

    flow_key = models.CharField(max_length=64, unique=True)
    base_version = models.PositiveIntegerField()
    edits = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=1)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        permissions = [("author_flows", "Can edit, preview and publish the words of the flows")]

    def __str__(self) -> str:
        return f"Draft of {self.flow_key} (from v{self.base_version}, revision {self.revision})"


class FlowSeen(models.Model):
    """The latest version of a flow a specialist has seen the changes of (or first used)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    flow_key = models.CharField(max_length=64)
    version = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "flow_key"], name="flow_seen_once"),
        ]

    def __str__(self) -> str:
        return f"{self.flow_key} seen up to v{self.version}"


class StepFeedback(models.Model):
    """A problem a specialist reported on a step ("this number is wrong"), and the author's
    answer. Like a case note, never member data (phi.py)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    Action = Literal["answer", "close"]
    # Each action: the statuses it may start from.
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        "answer": (Status.OPEN, Status.ANSWERED),
        "close": (Status.OPEN, Status.ANSWERED),
    }

    flow_key = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    step_key = models.CharField(max_length=64)
    step_title = models.CharField(max_length=300)
    case = models.ForeignKey("supportdesk.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="step_feedback")
    reported_at = models.DateTimeField()
    text = models.CharField("problem", max_length=500)
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    answer = models.CharField(max_length=1000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    # When the reporter last read the answer (the home page tells them of a new one until then).
    answer_seen_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["flow_key", "version", "status"], name="feedback_flow_version"),
            models.Index(fields=["reported_by", "reported_at"], name="feedback_reporter"),
        ]

    def __str__(self) -> str:
        return f"Feedback #{self.pk} on {self.flow_key} v{self.version}"

    def can(self, action: StepFeedback.Action) -> bool:
        return self.status in self.TRANSITIONS[action]
