"""Our side of Noyo: the group connections we requested, their append-only status history, and
the poll runs that saw each change (or could not reach Noyo).

Invariants live here as database constraints: one live connection per carrier and carrier group
ID, a 6-digit carrier group ID, and a Noyo ID on everything Noyo has accepted.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.html import format_html

from supportdesk.history import HistoryEvent, history_user
from supportdesk.models import AppendOnly
from supportdesk.people import display_name

from .. import rules

S = rules.ConnectionStatus
STATUS_CHOICES = [(status.value, rules.STATUS_LABELS[status]) for status in S]
UNSENT = tuple(sorted(status.value for status in rules.OURS))  # sorted: a stable migration
ENDED_UNSENT = sorted(status.value for status in rules.ENDED_UNSENT)

# What SupportDesk itself does to a connection: the keys of GroupConnection.TRANSITIONS.
ConnectionAction = Literal["send", "cancel", "retry"]

validate_carrier_group_id = RegexValidator(
    r"\A[0-9]{6}\Z", "Use Humana's carrier group ID: the format expected is a 6-digit string."
)
validate_ein = RegexValidator(r"\A[0-9]{9}\Z", "A federal EIN is 9 digits, without the dash.")


class GroupConnectionQuerySet(models.QuerySet):
    def live(self, carrier_id: str, carrier_group_id: str) -> GroupConnectionQuerySet:
        """The connection for this carrier and carrier group ID that has not ended without
        reaching Noyo (refused, cancelled): the one the unique constraint below allows."""
        return (self.select_related("group")
                .filter(carrier_id=carrier_id, carrier_group_id=carrier_group_id)
                .exclude(status__in=ENDED_UNSENT))


class GroupConnection(models.Model):
    group = models.ForeignKey(
        "ec_access.EmployerGroup", on_delete=models.PROTECT, related_name="noyo_connections"
    )
    carrier_id = models.CharField(max_length=64, help_text="Noyo's ID for Humana.")
    carrier_group_id = models.CharField(
        "carrier group ID", max_length=6, validators=[validate_carrier_group_id],
        help_text="Humana's carrier group ID: a 6-digit string.",
    )
    group_name = models.CharField(max_length=200, help_text="The group name as sent to Noyo.")
    federal_ein = models.CharField("employer federal EIN", max_length=9, blank=True,
                                   validators=[validate_ein])
    broker_federal_ein = models.CharField("broker federal EIN", max_length=9, blank=True,
                                          validators=[validate_ein])
    people = models.PositiveIntegerField(help_text="The group's size as the employer reports it.")
    existing_coverage = models.BooleanField(default=False)
    previous_transfers_deactivated = models.BooleanField(default=False)

    noyo_id = models.CharField("Noyo connection ID", max_length=64, blank=True)
    noyo_group_id = models.CharField("Noyo group ID", max_length=64, blank=True)
    status = models.CharField(max_length=24, choices=STATUS_CHOICES, default=S.NOT_SENT.value)
    status_changed_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # Where the status we hold stands in Noyo's order (rules.webhooks.order_key): Noyo's
    # `modified` of the connection and the `created` of the event that brought it, so an older
    # webhook delivered late, or a poll that read an older page, never overwrites a newer one.
    noyo_modified = models.BigIntegerField(default=0)
    noyo_event_created = models.BigIntegerField(default=0)
    # A connection Noyo already held that says differently from our request (another group
    # name, another EIN): shown on its page and in the list until someone checks.
    adopted_differences = models.CharField(max_length=500, blank=True)
    # Whoever sends a not-yet-sent request claims it first (a conditional UPDATE), so the page
    # and the poller never both POST it; a claim older than SEND_CLAIM_SECONDS has died.
    send_claimed_at = models.DateTimeField(null=True, blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="noyo_connections"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # The case that requested it (none for one made on the connections page): it waits on the
    # connection, and each status change is a note on it.
    case = models.ForeignKey("supportdesk.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="noyo_connections")

    objects = GroupConnectionQuerySet.as_manager()

    # The one place that says which status each of our actions may be taken from (every other
    # change is Noyo's, recorded as Noyo reports it): the services refuse, and their
    # conditional UPDATEs filter, by it; the page offers what `can()` allows; and
    # tests/noyo_sync/test_transitions.py holds the services to it. Sending and cancelling
    # also need no live send claim (send_claimed_at), checked in the same UPDATE, so a
    # request is never both sent and cancelled.
    TRANSITIONS: ClassVar[dict[ConnectionAction, frozenset[rules.ConnectionStatus]]] = {
        "send": frozenset({S.NOT_SENT}),
        # Only before Noyo has it: Noyo's API has no way to withdraw a group connection.
        "cancel": frozenset({S.NOT_SENT}),
        # The statuses Noyo takes a retry from (the sandbox answers by the same rule).
        "retry": rules.RETRYABLE_STATUSES,
    }

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "noyo_id"]),
            # The connection list, newest request first, reads 50 rows instead of sorting them
            # all (bench/README.md, the index review).
            models.Index(fields=["-requested_at", "-id"], name="noyo_connection_requested"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier_id", "carrier_group_id"], condition=~models.Q(status__in=ENDED_UNSENT),
                name="noyo_connection_one_per_carrier_group",
                violation_error_message="A connection for this carrier and carrier group ID "
                "already exists: group connections are unique by carrier ID and carrier group ID.",
            ),
            models.UniqueConstraint(
                fields=["noyo_id"], condition=~models.Q(noyo_id=""), name="noyo_connection_noyo_id_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(carrier_group_id__regex=r"^[0-9]{6}$"),
                name="noyo_connection_carrier_group_id_6_digits",
                violation_error_message="The carrier group ID must be a 6-digit string.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[value for value, _ in STATUS_CHOICES]),
                name="noyo_connection_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=UNSENT) | ~models.Q(noyo_id=""),
                name="noyo_connection_accepted_has_noyo_id",
                violation_error_message="A connection Noyo accepted has Noyo's ID.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.group_number} → Noyo {self.carrier_group_id}"

    @property
    def label(self) -> str:
        """How the case notes and waits name it."""
        return f"Noyo group connection #{self.pk} (carrier group ID {self.carrier_group_id})"

    @property
    def status_enum(self) -> rules.ConnectionStatus:
        return rules.ConnectionStatus(self.status)

    @property
    def guide(self) -> rules.StatusGuide:
        return rules.STATUS_GUIDE[self.status_enum]

    @property
    def needs_manual_review(self) -> bool:
        return rules.needs_manual_carrier_review(self.people)

    @property
    def is_open(self) -> bool:
        return rules.is_open(self.status)

    def can(self, action: ConnectionAction) -> bool:
        return self.status in self.TRANSITIONS[action]

    @property
    def allowed_actions(self) -> frozenset[ConnectionAction]:
        """What `can()` allows now, for the template (which cannot pass arguments)."""
        return frozenset(action for action in self.TRANSITIONS if self.can(action))


class PollRun(models.Model):
    """One pass of the poller over the open connections: what it saw, or why it could not."""

    class Trigger(models.TextChoices):
        BEAT = "beat", "Scheduled check"
        COMMAND = "command", "Started by hand on the server"
        PAGE = "page", "“Check with Noyo now”"

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "Noyo answered"
        OUTAGE = "outage", "Noyo unreachable"
        REFUSED = "refused", "Noyo refused our request"

    trigger = models.CharField(max_length=10, choices=Trigger)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    seen = models.PositiveIntegerField(default=0, help_text="Our open connections Noyo returned.")
    changed = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0, help_text="Requests sent that had waited.")
    retries = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Poll #{self.pk} {self.outcome}"


class GroupConnectionEvent(HistoryEvent):
    """One line of a connection's history: never updated, never deleted (on PostgreSQL the
    AppendOnly trigger in its Meta refuses it too)."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SENT = "sent", "Sent to Noyo"
        STATUS = "status", "Status changed"
        RETRIED = "retried", "Retry asked"
        REFUSED = "refused", "Refused by Noyo"
        CANCELLED = "cancelled", "Cancelled before it was sent"

    connection = models.ForeignKey(GroupConnection, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind)
    status = models.CharField(max_length=24, choices=STATUS_CHOICES)
    previous_status = models.CharField(max_length=24, choices=STATUS_CHOICES, blank=True)
    seen_at = models.DateTimeField(help_text="When SupportDesk saw this status.")
    poll_run = models.ForeignKey(
        PollRun, null=True, blank=True, on_delete=models.PROTECT, related_name="events",
        help_text="The poll that saw the change, when a poll saw it.",
    )
    # The webhook delivery that brought this status (none for a poll, a page or a request).
    webhook_event = models.ForeignKey("noyo_sync.NoyoWebhookEvent", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="history")
    user = history_user("noyo_connection_events")

    when_field = "seen_at"

    class Meta:
        ordering = ["connection", "seen_at", "pk"]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"{self.connection_id} {self.kind} {self.status}"

    @property
    def seen_by(self) -> str:
        if self.webhook_event_id:
            return "Noyo's webhook"
        if self.poll_run_id:
            return f"Poll #{self.poll_run_id}"
        if self.user_id:
            return display_name(self.user)
        return "SupportDesk"

    @property
    def who(self) -> str:
        return self.seen_by

    @property
    def history_detail(self) -> str:
        if self.previous_status:
            return format_html('<span class="muted">{} →</span> {}',
                               self.get_previous_status_display(), self.get_status_display())
        return self.get_status_display()

