"""Cases and their append-only transcripts."""

from __future__ import annotations

import re
from typing import Any

import pgtrigger
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from . import subjects
from .engine import CallerType, Disposition
from .subjects import SubjectField

REFERENCE_PREFIX = "SD-"
REFERENCE_RE = re.compile(r"^\s*SD-?0*(\d{1,12})\s*$", re.IGNORECASE)

# ServiceNow numbers its incidents INC and seven digits (INC0012345), more digits once past
# INC9999999; nothing else is an incident number.
validate_incident_number = RegexValidator(
    r"\AINC[0-9]{7,10}\Z",
    "A ServiceNow incident number is INC and 7 digits, for example INC0012345.",
)


def incident_number_of(text: str) -> str:
    """The incident number as typed ("inc 0012345"), as ServiceNow writes it (INC0012345);
    ValidationError when it is not one."""
    number = text.strip().upper().replace(" ", "")
    validate_incident_number(number)
    return number


def parse_reference(text: str) -> int | None:
    """'SD-000123', 'sd123' or '123' → 123; anything else → None."""
    match = REFERENCE_RE.match(text) or re.fullmatch(r"\s*(\d{1,12})\s*", text)
    return int(match.group(1)) if match else None


class CountedCases(models.Manager["Case"]):
    """Every case but an author's previews: what every list, figure, search and export reads."""

    def get_queryset(self) -> models.QuerySet[Case]:
        return super().get_queryset().filter(preview=False)


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WAITING = "waiting", "Waiting"  # on a date, a request or a carrier; resumed later
        CLOSED = "closed", "Closed"

    flow_key = models.CharField(max_length=64)
    flow_version = models.PositiveIntegerField()
    flow_title = models.CharField(max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    disposition = models.CharField(max_length=32, choices=Disposition, blank=True)
    outcome_key = models.CharField(max_length=64, blank=True)
    outcome_title = models.CharField(max_length=200, blank=True)

    # Where the walk stands. ``path`` lists the interactive steps taken, for Back;
    # ``answers`` keeps every answer by step key, so going back shows what was typed.
    current_step = models.CharField(max_length=64)
    path = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    artifacts = models.JSONField(default=dict, blank=True)

    # A waiting case: why, on what (e.g. "EC request #12"), and when to follow up.
    waiting_reason = models.CharField(max_length=300, blank=True)
    waiting_on = models.CharField(max_length=100, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    # How often its specialist reopened it after an outcome to change an answer.
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # The last update someone else noted on the case (a request granted), until its specialist
    # opens the case.
    news = models.CharField(max_length=300, blank=True)
    # The case whose outcome sent the specialist here (its follow-on cases link back).
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ons"
    )

    # What the case is about: never member names, IDs or dates of birth. ``subject`` holds the
    # subject fields the apps declare (supportdesk/subjects.py: EC access's group and SL app),
    # by name; on PostgreSQL a GIN index answers the supervisor's search by them (0012).
    caller_type = models.CharField(max_length=16, choices=CallerType)
    subject = models.JSONField(default=dict, blank=True)
    # The ServiceNow incident the specialist raised for the case (its outcome asked for one).
    incident_number = models.CharField(
        "ServiceNow incident number", max_length=13, blank=True,
        validators=[validate_incident_number],
    )
    # An author walking a flow's draft (flow_content.py): shown as a preview, never counted in
    # a figure, a list or an export (``objects`` leaves it out; ``with_previews`` has it).
    preview = models.BooleanField(default=False)

    objects = CountedCases()
    with_previews = models.Manager()  # noqa: DJ012  (the managers belong with the flag they read)

    class Meta:
        base_manager_name = "with_previews"
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["opened_by", "status"]),
            models.Index(fields=["flow_key", "opened_at"]),
            models.Index(fields=["disposition", "opened_at"]),
            models.Index(fields=["opened_at"]),
            models.Index(fields=["opened_by", "follow_up_on"], name="case_follow_up",
                         condition=models.Q(status="waiting")),
            # The dashboard's figures that depend on "now" (abandoned, the drop-off) count the
            # open cases from the rollups and read only those touched in the last day: this
            # index holds the open cases by when they were touched, so that read follows the
            # day's work, not how many cases have stood open for good (insights.drop_off).
            models.Index(fields=["updated_at", "opened_at", "flow_key", "current_step"],
                         name="case_open_recent", condition=models.Q(status="open")),
            # The supervisor's case list filtered by status, specialist or "changed after the
            # outcome", in its order (newest first): without them PostgreSQL reads the opening
            # time index and filters, or sorts every matching case (0015; bench/README.md).
            models.Index(fields=["status", "opened_at"], name="case_status_opened_at"),
            models.Index(fields=["opened_by", "opened_at"], name="case_opened_by_opened_at"),
            models.Index(fields=["opened_at"], name="case_reopened_opened_at",
                         condition=models.Q(reopen_count__gt=0)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["open", "waiting"], closed_at__isnull=True,
                             disposition="")
                    | models.Q(status="closed", closed_at__isnull=False)
                    & ~models.Q(disposition="")
                ),
                name="case_closed_has_disposition",
                violation_error_message="A closed case has a disposition and a close time; "
                "an open or waiting case has neither.",
            ),
        ]
        permissions = [
            ("work_cases", "Can start and work guided cases"),
            ("review_cases", "Can review every case and its transcript"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.flow_title}"

    def get_absolute_url(self) -> str:
        return reverse("case_step", args=[self.reference, self.current_step])

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.pk:06d}" if self.pk else f"{REFERENCE_PREFIX}new"

    @property
    def subject_shown(self) -> list[tuple[SubjectField, str]]:
        """The subject's filled fields (group, SL app), in the order the apps declared them."""
        return subjects.shown(self.subject)

    @property
    def subject_all(self) -> list[tuple[SubjectField, str]]:
        """Every subject field with the case's value, "" where it has none."""
        return [(field, self.subject.get(field.name, "")) for field in subjects.subject_fields()]

    @property
    def subject_listed(self) -> list[tuple[SubjectField, str]]:
        """The listed subject fields (the case lists' columns: the group), "" where none."""
        return [(field, self.subject.get(field.name, ""))
                for field in subjects.listed_subject_fields()]

    @property
    def subject_text(self) -> str:
        """The listed subject fields in a sentence ("group 824751"), for one-line mentions."""
        return subjects.described(self.subject, listed_only=True)

    @property
    def is_open(self) -> bool:
        """Not closed: open or waiting, so it can still be worked."""
        return self.status != self.Status.CLOSED

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING

    def get_resume_url(self, *, absolute: bool = False) -> str:
        path = reverse("case_resume", args=[self.reference])
        return settings.SUPPORTDESK_SITE_URL.rstrip("/") + path if absolute else path

    def get_review_url(self) -> str:
        return reverse("supervisor_case", args=[self.reference])


class AppendOnlyQuerySet(models.QuerySet):
    """For history tables: rows are added, never updated or deleted."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError(_append_only(self.model, "updated"))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(_append_only(self.model, "deleted"))


def _append_only(model: type[models.Model], done: str) -> str:
    return f"{str(model._meta.verbose_name_plural).capitalize()} are append-only: they cannot be {done}."


class AppendOnly(pgtrigger.Trigger):
    """On PostgreSQL, the database itself refuses UPDATE and DELETE of a history table's rows
    (``Meta.triggers = [AppendOnly()]``; pgtrigger writes the migration, and does nothing on
    SQLite). This stops raw SQL, the shell and any future code path the model's refusals miss.
    TRUNCATE (test teardown) is another statement and passes.

    Not pgtrigger.Protect: its error is a generic one (P0001, "Cannot update rows"); this one is
    an integrity error that names the table and says why."""

    name = "append_only"
    when = pgtrigger.Before
    operation = pgtrigger.Update | pgtrigger.Delete
    func = ("RAISE EXCEPTION '% rows are append-only: % is refused', TG_TABLE_NAME, TG_OP "
            "USING ERRCODE = 'restrict_violation';")


class AppendOnlyModel(models.Model):
    """A history row: saved once, never updated or deleted (the model, its queryset, and on
    PostgreSQL the AppendOnly trigger in its Meta all refuse)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(_append_only(type(self), "updated"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError(_append_only(type(self), "deleted"))


class CaseEvent(AppendOnlyModel):
    """One line of a transcript, frozen as it was shown. Never updated, never deleted.

    PostgreSQL refuses UPDATE and DELETE with a trigger too (migration 0003), so not even
    raw SQL or the admin can rewrite history.
    """

    class Kind(models.TextChoices):
        OPENED = "opened", "Case opened"
        ANSWER = "answer", "Answered"
        CHECK = "check", "Automatic check"
        ACTION = "action", "Produced"
        OUTCOME = "outcome", "Outcome"
        WAIT = "wait", "Waiting"
        BACK = "back", "Went back"
        RESTART = "restart", "Restarted"
        REOPENED = "reopened", "Reopened"
        NOTE = "note", "Note"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind)
    step_key = models.CharField(max_length=64, blank=True)
    step_title = models.CharField(max_length=200, blank=True)
    shown = models.TextField(blank=True, help_text="The step's text exactly as shown then.")
    answer = models.TextField(blank=True, help_text="The answer, as the specialist saw it.")
    value = models.JSONField(null=True, blank=True, help_text="The stored answer value.")
    artifact = models.JSONField(null=True, blank=True)
    # None: SupportDesk itself wrote it (a Noyo status change the poller saw, say).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_events",
        null=True, blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)


    class Meta:
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique"),
        ]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind} {self.step_key}"



class CaseReview(AppendOnlyModel):
    """A supervisor's review of a closed case: appended beside the transcript, never editing it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_reviews"
    )
    rating = models.PositiveSmallIntegerField(
        choices=[(n, f"{n} of 5") for n in range(1, 6)],
        help_text="5: handled exactly as the source document says; 1: handled wrongly.",
    )
    note = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)


    class Meta:
        ordering = ["case", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="case_review_rating_1_to_5",
                violation_error_message="A rating is 1 to 5.",
            ),
        ]
        triggers = [AppendOnly()]

    def __str__(self) -> str:
        return f"Review of {self.case.reference} ({self.rating}/5)"



class AuditEntry(AppendOnlyModel):
    """Who did what to which object, and when: one row per service write, written by
    ``supportdesk.audit.audit()`` inside the write's own transaction (so a write that rolls
    back leaves no entry, and a write never commits without one).

    Append-only like the transcripts: the model and its queryset refuse updates and deletes,
    and on PostgreSQL a trigger refuses them too (migration 0005), for raw SQL and the admin
    alike. The summary names objects by their numbers only: never a member's name, ID or date
    of birth.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_entries",
        null=True, blank=True, db_index=False,  # (user, created_at) below serves user lookups
        help_text="Empty for SupportDesk's own background work (scheduled jobs, the Noyo checks).",
    )
    action = models.CharField(max_length=64, help_text="What was done, e.g. ec_request.grant.")
    # Empty for an action on no single object (a whole import file).
    object_type = models.CharField(max_length=100, blank=True,
                                   help_text="app_label.model of the object.")
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        triggers = [AppendOnly()]
        indexes = [
            models.Index(fields=["created_at"], name="audit_created_at"),
            models.Index(fields=["user", "created_at"], name="audit_user_created_at"),
            # The page filters by action prefix (LIKE 'ec_request.%'): pattern ops let
            # PostgreSQL use the index whatever the database collation.
            models.Index(fields=["action", "created_at"], name="audit_action_created_at",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"




# The supervisor figures' rollups, in a module of their own (kept up to date by rollups.py).
from .content_models import FlowDraft as FlowDraft  # noqa: E402
from .content_models import FlowSeen as FlowSeen  # noqa: E402
from .content_models import FlowVersion as FlowVersion  # noqa: E402
from .content_models import StepFeedback as StepFeedback  # noqa: E402
from .rollup_models import CaseDay as CaseDay  # noqa: E402
from .rollup_models import HandleTimeDay as HandleTimeDay  # noqa: E402
from .rollup_models import OpenStepDay as OpenStepDay  # noqa: E402
from .rollup_models import SpecialistDay as SpecialistDay  # noqa: E402
from .rollup_models import StepDay as StepDay  # noqa: E402
