"""ARSOS mailbox escalations (seed 002): the record, its append-only history and its reminders.

The member's name and ID live here and nowhere else: never on the case (answers, transcript),
never in a URL or a log line. Only the owner and supervisors see an escalation.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from django.conf import settings
from django.db import models

from supportdesk.history import HistoryEvent, history_user

from .rules import DuePoint, LineOfBusiness, Topic

# What a specialist can do to an escalation: the keys of Escalation.TRANSITIONS.
EscalationAction = Literal["save_details", "split", "discard", "mark_sent", "acknowledge",
                           "follow_up", "resolve", "escalate"]


class Escalation(models.Model):
    """One request to the Agent Retail Service Ops. Support mailbox, for one line of business."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"
        ESCALATED = "escalated", "Escalated further"
        # Never sent: its specialist went back past the step that drafted it.
        DISCARDED = "discarded", "Discarded draft"

    class EscalatedTo(models.TextChoices):
        # Seed 001: "escalate to Sales Manager, Broker Relationship Manager (BRM) or Broker
        # Relationship Executive (BRE)".
        SALES_MANAGER = "sales_manager", "Sales Manager"
        BRM = "brm", "Broker Relationship Manager (BRM)"
        BRE = "bre", "Broker Relationship Executive (BRE)"

    OPEN_STATES = (Status.SENT, Status.ACKNOWLEDGED)
    CLOSED_STATES = (Status.RESOLVED, Status.ESCALATED, Status.DISCARDED)

    # The one place that says which state each action may be taken from: the services refuse
    # what it does not allow, the views offer and the page shows a form only where `can()` says
    # so, and tests/agent_rsos/test_transitions.py holds the services to it.
    TRANSITIONS: ClassVar[dict[EscalationAction, tuple[str, ...]]] = {
        "save_details": (Status.DRAFT,),
        "split": (Status.DRAFT,),
        "discard": (Status.DRAFT,),
        "mark_sent": (Status.DRAFT,),
        "acknowledge": (Status.SENT,),
        "follow_up": (Status.ACKNOWLEDGED,),
        "resolve": OPEN_STATES,
        "escalate": OPEN_STATES,
    }

    case = models.ForeignKey(
        "supportdesk.Case", on_delete=models.PROTECT, related_name="arsos_escalations"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="arsos_escalations"
    )
    line_of_business = models.CharField(
        max_length=10, choices=[(line.value, line.value) for line in LineOfBusiness]
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    topic = models.CharField(
        max_length=24, blank=True, choices=[(topic.value, topic.value) for topic in Topic]
    )

    # Seed 002, Agent Template. Blank while a draft; required once sent (constraint below).
    agent_name = models.CharField(max_length=120, blank=True)
    agent_san = models.CharField(max_length=12, blank=True)
    member_id = models.CharField(max_length=20, blank=True)
    member_first_name = models.CharField(max_length=60, blank=True)
    member_last_name = models.CharField(max_length=60, blank=True)
    reference_number = models.CharField(max_length=30, blank=True)
    summary = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.CharField(max_length=16, choices=EscalatedTo, blank=True)

    # The SLA clock, worked out by rules.sla_clock() on every transition and stored so that the
    # beat task and the supervisor's filters can ask the database.
    response_due_at = models.DateTimeField(null=True, blank=True)
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_due_kind = models.CharField(max_length=10, blank=True, choices=[
        (point.value, point.value) for point in DuePoint
    ])
    follow_ups_missed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_due_at"]), models.Index(fields=["sent_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "line_of_business"],
                condition=models.Q(status="draft"),
                name="arsos_escalation_one_draft_per_case_line",
                violation_error_message="This case already has a draft escalation for that line.",
            ),
            models.CheckConstraint(
                # A discarded draft was never sent (and its member fields are cleared).
                condition=models.Q(status__in=["draft", "discarded"])
                | (
                    ~models.Q(agent_name="") & ~models.Q(agent_san="") & ~models.Q(member_id="")
                    & ~models.Q(member_first_name="") & ~models.Q(member_last_name="")
                    & ~models.Q(summary="") & ~models.Q(topic="")
                ),
                name="arsos_escalation_sent_is_complete",
                violation_error_message="Every required field of the mailbox template is "
                "filled in before the e-mail is sent.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", sent_at__isnull=True)
                | models.Q(status="sent", sent_at__isnull=False, response_due_at__isnull=False)
                | models.Q(status="acknowledged", sent_at__isnull=False,
                           acknowledged_at__isnull=False)
                | models.Q(status="resolved", sent_at__isnull=False, closed_at__isnull=False)
                | models.Q(status="escalated", sent_at__isnull=False, closed_at__isnull=False)
                & ~models.Q(escalated_to="")
                | models.Q(status="discarded", sent_at__isnull=True, closed_at__isnull=False),
                name="arsos_escalation_state_fields",
                violation_error_message="Each state has its times (and an escalation its "
                "Sales Manager, BRM or BRE).",
            ),
        ]

    def __str__(self) -> str:  # no member data: this string can reach logs and the admin
        return f"ARSOS escalation #{self.pk} ({self.line_of_business})"

    @property
    def label(self) -> str:
        return f"ARSOS escalation #{self.pk} ({self.line_of_business})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def details_complete(self) -> bool:
        return all((self.agent_name, self.agent_san, self.member_id, self.member_first_name,
                    self.member_last_name, self.summary, self.topic))

    def in_state_for(self, action: EscalationAction) -> bool:
        """The state part of `can()` alone: the services refuse a wrong state and an incomplete
        template with different messages."""
        return self.status in self.TRANSITIONS[action]

    def can(self, action: EscalationAction) -> bool:
        # Marking sent also needs the whole template (the database's constraint says so too):
        # the one guard beyond the state. The services refuse it with its own message.
        return self.in_state_for(action) and (action != "mark_sent" or self.details_complete)

    @property
    def allowed_actions(self) -> frozenset[EscalationAction]:
        """What `can()` allows now, for the template (which cannot pass arguments)."""
        return frozenset(action for action in self.TRANSITIONS if self.can(action))


class EscalationEvent(HistoryEvent):
    """One step of an escalation's life, with who and when. Never updated, never deleted."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", "Drafted"
        DISCARDED = "discarded", "Discarded (never sent)"
        DETAILS = "details", "Details saved"
        SPLIT = "split", "Split off the other line"
        SENT = "sent", "Sent to the mailbox"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        FOLLOW_UP = "follow_up", "Follow-up received"
        RESOLVED = "resolved", "Resolved"
        ESCALATED = "escalated", "Escalated further"
        OVERDUE = "overdue", "Overdue"

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind)
    user = history_user("arsos_escalation_events")
    occurred_at = models.DateTimeField(help_text="When it happened (e.g. the e-mail arrived).")
    recorded_at = models.DateTimeField(auto_now_add=True)

    when_field = "occurred_at"
    nobody = "SLA reminder"


    class Meta:
        ordering = ["escalation", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.escalation_id} {self.kind}"

    @property
    def recorded(self) -> dt.datetime | None:
        return self.recorded_at



class SlaReminder(models.Model):
    """The owner was told a due point passed. One row per due point: the beat task's guard."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="reminders")
    due_point = models.CharField(max_length=10, choices=[
        (point.value, point.value) for point in DuePoint
    ])
    due_at = models.DateTimeField()
    recipient = models.EmailField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["escalation", "due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "due_point", "due_at"], name="arsos_reminder_once_per_due_point"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.escalation_id} {self.due_point} {self.due_at:%Y-%m-%d %H:%M}"
