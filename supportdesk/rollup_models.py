"""The supervisor figures' rollups: per-day counts kept up to date by the write path
(supportdesk/rollups.py), so the dashboard reads a few rows a day instead of the raw cases and
events of its period. Each row is a counter under a unique key; writers add to it with an
upsert (INSERT ... ON CONFLICT DO UPDATE), never read-modify-write.

Each table holds two grains under the same key: day rows (``month`` false), and month rows
(``month`` true, ``day`` the month's first day) that count the same as the month's day rows
added up. A year-long period reads its whole months from the month rows and only its edge days
from the day rows (insights._rolled). The grain leads each key, so that either grain's range of
days is one range of the key's index."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseDay(models.Model):
    """Cases opened on ``day`` (in TIME_ZONE) in a flow, by where they stand now."""

    month = models.BooleanField(default=False)  # a month row: ``day`` is the month's first
    day = models.DateField()
    flow_key = models.CharField(max_length=64)
    status = models.CharField(max_length=8)
    disposition = models.CharField(max_length=32, blank=True)
    reopened = models.BooleanField()  # reopen_count > 0
    cases = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "day", "flow_key", "status", "disposition", "reopened"], name="case_day_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.flow_key} {self.status} {self.disposition}: {self.cases}"


class SpecialistDay(models.Model):
    """Cases a specialist opened on ``day`` in a flow, and whether they are closed now: a table
    of its own so that the case counts above stay a few rows a day however large the team."""

    month = models.BooleanField(default=False)  # a month row: ``day`` is the month's first
    day = models.DateField()
    flow_key = models.CharField(max_length=64)
    # No foreign key in the database: a counter is not a reference (the case's own keeps the
    # user), and a deferred constraint trigger per upsert would cost each write and stop
    # rebuild()'s TRUNCATE inside a longer transaction.
    specialist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                                   related_name="+", db_index=False, db_constraint=False)
    closed = models.BooleanField()
    cases = models.IntegerField()

    class Meta:
        # The flow first: every read names one flow, or every flow together (rollups.ALL_FLOWS),
        # and reads its rows of a range of days, which this order keeps side by side.
        constraints = [models.UniqueConstraint(
            fields=["flow_key", "month", "day", "specialist", "closed"], name="specialist_day_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.flow_key} {self.specialist_id}: {self.cases}"


class OpenStepDay(models.Model):
    """Cases opened on ``day`` in a flow that stand open now, by the step they stand on: the
    drop-off's open counts. Which of them are abandoned depends on now, so the dashboard reads
    the few open cases touched since (insights.drop_off) instead of every open case."""

    month = models.BooleanField(default=False)  # a month row: ``day`` is the month's first
    day = models.DateField()
    flow_key = models.CharField(max_length=64)
    current_step = models.CharField(max_length=64)
    cases = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "day", "flow_key", "current_step"], name="open_step_day_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.flow_key} {self.current_step}: {self.cases}"


class StepDay(models.Model):
    """How often the steps of cases opened on ``day`` were taken (answers, checks, actions,
    outcomes), by the branch taken: a question's choice or a check's branch (its answer and
    value), one row for any other step (answer "" and no value: a form's typed details are no
    branch, rollups.branch_taken). ``branch`` is the MD5 of the step title, answer text and
    stored value as the database writes them: the key, since an answer's text may be longer
    than an index entry may be."""

    month = models.BooleanField(default=False)  # a month row: ``day`` is the month's first
    day = models.DateField()
    flow_key = models.CharField(max_length=64)
    step_key = models.CharField(max_length=64)
    kind = models.CharField(max_length=16)
    branch = models.CharField(max_length=32)
    step_title = models.CharField(max_length=200)
    answer = models.TextField()
    value = models.JSONField(null=True)
    taken = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "day", "flow_key", "step_key", "kind", "branch"], name="step_day_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.flow_key} {self.step_key} {self.answer[:40]}: {self.taken}"


class HandleTimeDay(models.Model):
    """Closed cases opened on ``day`` in a flow, by handle-time bucket (rollups.HANDLE_BUCKETS)."""

    month = models.BooleanField(default=False)  # a month row: ``day`` is the month's first
    day = models.DateField()
    flow_key = models.CharField(max_length=64)
    bucket = models.SmallIntegerField()
    cases = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "day", "flow_key", "bucket"], name="handle_time_day_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.flow_key} bucket {self.bucket}: {self.cases}"
