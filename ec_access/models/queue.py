"""EC requests for Access Management, their append-only history, and the weekly batch runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from django.conf import settings
from django.db import models

from supportdesk.history import HistoryEvent, history_user
from supportdesk.models import AppendOnly

from .groups import EmployerGroup, SLApplication, validate_ec_identifier

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What can be done to an EC request: the keys of ECRequest.TRANSITIONS.
ECRequestAction = Literal["claim", "release", "grant", "reject", "withdraw"]


class RejectReason(models.TextChoices):
    BLANK_REPORT = "blank_report", "Blank report: no business functions to add"
    NOT_EMPLOYER_APP = "not_employer_app", "Not an employer SL app (agent or pseudo app)"
    EC_ALREADY_ON_APP = "ec_on_app", "The EC is already on the SL app"
    OTHER_EC_ON_APP = "other_ec", "Another EC is on the SL app (only ONE EC per SL application)"
    NOT_REGISTERED = "not_registered", "The group is not registered on the Employer Portal"
    REPORT_MISMATCH = "report_mismatch", "Business functions do not match the BF report"
    DUPLICATE = "duplicate", "Duplicate request"
    OTHER = "other", "Other (explain in the note)"


class ECRequest(models.Model):
    """A request for Access Management to add the EC identifier and business functions to an
    employer SL app: from a specialist's case or from the weekly new-group batch."""

    class Source(models.TextChoices):
        SPECIALIST = "specialist", "Specialist case"
        WEEKLY_BATCH = "weekly_batch", "Weekly batch"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        CLAIMED = "claimed", "Claimed"
        GRANTED = "granted", "Granted"
        REJECTED = "rejected", "Rejected"
        # The specialist went back past the step that queued it, before anyone claimed it.
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATES = (State.QUEUED, State.CLAIMED)

    # The one place that says which state each action may be taken from: the services refuse
    # what it does not allow, the request's page offers only what `can()` allows, and
    # tests/ec_access/test_transitions.py holds the services to it.
    TRANSITIONS: ClassVar[dict[ECRequestAction, tuple[str, ...]]] = {
        "claim": (State.QUEUED,),
        "release": (State.CLAIMED,),
        "grant": (State.CLAIMED,),
        "reject": (State.CLAIMED,),
        # The specialist's case takes it back, going back past the step that queued it.
        "withdraw": (State.QUEUED,),
    }
    # Once claimed, only whoever claimed it decides it (or gives it back).
    CLAIMANT_ONLY: ClassVar[frozenset[ECRequestAction]] = frozenset({"release", "grant", "reject"})

    source = models.CharField(max_length=16, choices=Source)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    group = models.ForeignKey(EmployerGroup, on_delete=models.PROTECT, related_name="ec_requests")
    sl_app = models.ForeignKey(SLApplication, on_delete=models.PROTECT, related_name="ec_requests")
    ec_identifier = models.CharField(max_length=10, validators=[validate_ec_identifier])
    # blank=True so full_clean() reaches the constraint's seed wording instead of "required".
    business_functions = models.JSONField(
        blank=True, help_text="Codes, e.g. ['7125', '7126', '8581']."
    )
    expedited = models.BooleanField(default=False)
    case = models.ForeignKey(
        "supportdesk.Case", null=True, blank=True, on_delete=models.PROTECT,
        related_name="ec_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="ec_requests",
    )
    batch = models.ForeignKey(
        "ECBatchRun", null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="claimed_ec_requests",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=20, choices=RejectReason, blank=True)
    reject_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-expedited", "created_at", "pk"]
        # The Access management role's (supportdesk/roles.py): the queue's permission lives
        # with the queue, not on the core's Case.
        permissions = [("work_ec_queue", "Can work the EC access request queue")]
        indexes = [
            models.Index(fields=["state", "-expedited", "created_at"]),
            # The queue's default page: the open requests (queued or claimed) in its order, so
            # its first 30 are read in order, not all open ones joined and sorted (bench/README.md).
            models.Index(fields=["-expedited", "created_at", "id"], name="ec_request_open_queue",
                         condition=models.Q(state__in=["queued", "claimed"])),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(business_functions=[]),
                name="ec_request_not_blank",
                violation_error_message="DO NOT send blank reports to Access Management.",
            ),
            models.UniqueConstraint(
                fields=["sl_app"],
                condition=models.Q(state__in=["queued", "claimed"]),
                name="ec_request_one_open_per_sl_app",
                violation_error_message="This SL app already has an open EC request.",
            ),
            # The weekly batch queues a group at most once per batch run (idempotency).
            models.UniqueConstraint(
                fields=["batch", "group"], name="ec_request_once_per_batch_group",
                condition=models.Q(batch__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(state="queued", claimed_by__isnull=True)
                | models.Q(state="claimed", claimed_by__isnull=False, claimed_at__isnull=False)
                | models.Q(state__in=["granted", "rejected", "withdrawn"],
                           decided_at__isnull=False),
                name="ec_request_state_fields",
                violation_error_message="A claimed request has who claimed it and when; a "
                "decided one has when.",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(reject_reason=""),
                name="ec_request_rejection_has_reason",
                violation_error_message="A rejection needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"EC request #{self.pk} for group {self.group.group_number}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def can(self, action: ECRequestAction, user: User) -> bool:
        if self.state not in self.TRANSITIONS[action]:
            return False
        return action not in self.CLAIMANT_ONLY or self.claimed_by_id == user.pk

    def allowed_actions(self, user: User) -> frozenset[ECRequestAction]:
        """What `can()` allows ``user`` now, for a template (which cannot pass arguments)."""
        return frozenset(action for action in self.TRANSITIONS if self.can(action, user))


class ECRequestEvent(HistoryEvent):
    """One transition of an EC request, with who and when. Never updated, never deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        CLAIMED = "claimed", "Claimed"
        RELEASED = "released", "Released to the queue"
        GRANTED = "granted", "Granted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn by the specialist"

    request = models.ForeignKey(ECRequest, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind)
    user = history_user("ec_request_events")
    created_at = models.DateTimeField(auto_now_add=True)

    nobody = "Weekly batch"


    class Meta:
        ordering = ["request", "created_at", "pk"]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"



class ECBatchRun(models.Model):
    """One run of the weekly new-group process, for the week of portal registrations it covers."""

    class Trigger(models.TextChoices):
        BEAT = "beat", "Scheduled run (Mondays)"
        COMMAND = "command", "Started by hand on the server"

    week_start = models.DateField(unique=True, help_text="The Monday of the registration week.")
    trigger = models.CharField(max_length=10, choices=Trigger)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="ec_batch_runs",
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    groups_seen = models.PositiveIntegerField(default=0)
    queued_count = models.PositiveIntegerField(default=0)
    ineligible_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    spreadsheet = models.BinaryField(editable=False)

    class Meta:
        ordering = ["-week_start"]

    def __str__(self) -> str:
        return f"EC batch for the week of {self.week_start}"

    @property
    def duration_seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class ECBatchLine(models.Model):
    """A group the batch looked at and did not queue, with the reason."""

    class Outcome(models.TextChoices):
        INELIGIBLE = "ineligible", "Not eligible"
        SKIPPED = "skipped", "Skipped"

    batch = models.ForeignKey(ECBatchRun, on_delete=models.CASCADE, related_name="lines")
    group = models.ForeignKey(EmployerGroup, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["batch", "group"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "group"], name="ec_batch_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.group} in {self.batch}: {self.get_outcome_display()}"
