"""The weekly new-group batch: one transaction that queues an EC request for every brand new group
registered on the Employer Portal in a week, and sends Access Management the spreadsheet.

Seed 000, line 164: "Access to EC functions are granted for brand new groups registered on the portal
via an existing weekly process. This weekly process does not require an individual request be
submitted for the access to be granted. (Spreadsheet sent to Access Management for processing on
Monday)". Line 166: "Groups that are registered for a second time are not included on the weekly
report."
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse

from supportdesk import clock
from supportdesk.audit import audit

from .. import rules, spreadsheet
from ..models import (
    ECBatchLine,
    ECBatchRun,
    ECRequest,
    ECRequestEvent,
    EmployerGroup,
    Platform,
    Product,
    SLAppKind,
    SLApplication,
    validate_ec_identifier,
)

logger = logging.getLogger(__name__)

INELIGIBLE, SKIPPED = ECBatchLine.Outcome.INELIGIBLE, ECBatchLine.Outcome.SKIPPED
OUTCOME_LABELS = dict(ECBatchLine.Outcome.choices)
# The model's EC# validator, compiled once (the validator's own pattern is lazy, slow per call).
_ec_regex = validate_ec_identifier.regex
_is_ec_identifier = re.compile(_ec_regex if isinstance(_ec_regex, str) else _ec_regex.pattern).search
_GROUP_FIELDS = (
    "pk", "group_number", "name", "platform", "ec_number", "report_platform_code",
    "fin_bus_segment_cd", "employees_enrolled", "mtv_shell_id",
)


class BatchRefused(Exception):
    """The batch cannot run for that week; the message says why."""


@dataclass(frozen=True)
class BatchCounts:
    seen: int = 0
    queued: int = 0
    ineligible: int = 0
    skipped: int = 0


class BatchLine(NamedTuple):
    """A group the batch did not queue, and why, in the seed's words."""

    group_id: int
    group_number: str
    group_name: str
    outcome: str  # ECBatchLine.Outcome
    reason: str


@dataclass(frozen=True)
class BatchResult:
    run: ECBatchRun | None  # None for a dry run
    created: bool  # False for a dry run and for a week that had already run
    week_start: dt.date
    counts: BatchCounts
    lines: list[BatchLine]
    seconds: float = 0.0

    @property
    def already_ran(self) -> bool:
        return self.run is not None and not self.created

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of the week (Monday..Sunday) the day falls in."""
    return day - dt.timedelta(days=day.weekday())


def previous_week(today: dt.date) -> dt.date:
    """The Monday of the registration week a run on ``today`` covers: the week before this one."""
    return week_start_of(today) - dt.timedelta(days=7)


def ec_batch_run(
    *,
    week_of: dt.date,
    trigger: str,
    user: User | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> BatchResult:
    """Run the weekly batch for the registration week ``week_of`` falls in (Monday..Sunday).

    Each brand new group (its first portal registration in that week; seed line 166: re-registrations
    are "not included on the weekly report") that is eligible (line 119: "an active Medical or Stand
    Alone GO365 (NIM) product"), whose BF report is not blank (line 251: "DO NOT send blank reports to
    Access Management") and whose employer SL app (line 159: "ONLY employers. Only ONE EC per SL
    application.") has no EC yet gets one queued ECRequest. A CAS group with an MTV shell uses the
    shell's products and EC# (line 170). Every other group gets an ECBatchLine with the reason.

    Idempotent: a week runs once (ECBatchRun.week_start is unique). A second run, a task delivered
    twice, or a run that lost the race to a concurrent one returns the existing run with
    ``created=False``. Everything is one transaction, so a failure leaves no half batch; the
    spreadsheet is e-mailed to Access Management only once it has committed.
    """
    started = time.perf_counter()
    today = today or clock.today()
    week_start = week_start_of(week_of)
    if week_start > dt.date.max - dt.timedelta(days=7):  # its end (and the check below) overflow
        raise BatchRefused(f"The week of {week_start} ends after {dt.date.max}: there is no such "
                           "registration week.")
    if trigger not in ECBatchRun.Trigger.values:
        raise ValueError(f"trigger is one of {', '.join(ECBatchRun.Trigger.values)}, not {trigger!r}")
    existing = _finished_run(week_start)
    if existing is not None:
        return _existing_result(existing, started)
    if dry_run:
        plan = _plan(week_start, today)
        return BatchResult(None, False, week_start, plan.counts(), plan.lines, _since(started))
    if week_start + dt.timedelta(days=7) > today:
        raise BatchRefused(
            f"The week of {week_start} is not over until {week_start + dt.timedelta(days=6)} ends: "
            "a run now would miss the groups that register later in the week, and a week runs once."
        )

    started_at = clock.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = ECBatchRun.objects.create(
                    week_start=week_start, trigger=trigger, started_by=user,
                    started_at=started_at, finished_at=started_at, spreadsheet=b"",
                )
        except IntegrityError:
            # A concurrent run inserted the same week first: this insert waited for it to commit,
            # then failed. Report that run (read afresh: the check above saw nothing).
            winner = ECBatchRun.objects.defer("spreadsheet").filter(week_start=week_start).first()
            if winner is None:
                raise
            return _existing_result(winner, started)
        plan = _plan(week_start, today)
        _write(run, plan)
        content = spreadsheet.batch_workbook(
            week_start=week_start,
            queued=(entry.row for entry in plan.queued),
            not_queued=(
                spreadsheet.NotQueuedRow(
                    line.group_number, line.group_name, OUTCOME_LABELS[line.outcome], line.reason
                )
                for line in plan.lines
            ),
        )
        counts = plan.counts()
        run.groups_seen, run.queued_count = counts.seen, counts.queued
        run.ineligible_count, run.skipped_count = counts.ineligible, counts.skipped
        run.spreadsheet, run.finished_at = content, clock.now()
        run.save(update_fields=[
            "groups_seen", "queued_count", "ineligible_count", "skipped_count", "spreadsheet",
            "finished_at",
        ])
        audit(user=user, action="ec_batch.run", obj=run, summary=(
            f"Weekly batch for {week_start} to {week_start + dt.timedelta(days=6)} ({trigger}): "
            f"{counts.seen} groups, {counts.queued} queued, {counts.ineligible} ineligible, "
            f"{counts.skipped} skipped."
        ))
        if counts.queued:
            transaction.on_commit(lambda: _send_spreadsheet(run, content))
    logger.info("EC batch for the week of %s: %s", week_start, counts)
    return BatchResult(run, True, week_start, counts, plan.lines, _since(started))


def _finished_run(week_start: dt.date) -> ECBatchRun | None:
    return ECBatchRun.objects.defer("spreadsheet").filter(week_start=week_start).first()


def batch_page_path(week_start: dt.date) -> str:
    return f"{reverse('ec_batches')}?week={week_start.isoformat()}"


# --- Reading: what the batch would do -------------------------------------------------------------


class _Queued(NamedTuple):
    group_id: int
    group_number: str
    group_name: str
    sl_app_id: int
    ec_identifier: str
    business_functions: tuple[str, ...]
    row: spreadsheet.ReportRow  # the BF report's line: the MTV shell's for a CAS group with one


@dataclass
class _Plan:
    seen: int
    queued: list[_Queued]  # in group number order
    lines: list[BatchLine]

    def counts(self) -> BatchCounts:
        ineligible = sum(1 for line in self.lines if line.outcome == INELIGIBLE)
        return BatchCounts(self.seen, len(self.queued), ineligible, len(self.lines) - ineligible)


def _plan(week_start: dt.date, today: dt.date) -> _Plan:
    """Decide for every group registered in the week, from five bulk reads (no query per group)."""
    week_end = week_start + dt.timedelta(days=6)
    groups = EmployerGroup.objects.filter(
        portal_registered_on__range=(week_start, week_end), is_reregistration=False
    )
    candidates = list(groups.order_by("group_number").values_list(*_GROUP_FIELDS, named=True))
    if not candidates:
        return _Plan(0, [], [])
    shell_ids = groups.filter(platform=Platform.CAS, mtv_shell__isnull=False).values("mtv_shell_id")
    by_pk = {group.pk: group for group in candidates}
    by_pk.update(
        (shell.pk, shell)
        for shell in EmployerGroup.objects.filter(pk__in=shell_ids)
        .exclude(pk__in=groups.values("pk"))
        .values_list(*_GROUP_FIELDS, named=True)
    )
    # One query for the products of every candidate and every MTV shell, kept as plain tuples
    # (ordered, so equal product sets give equal keys for the memo below).
    products: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for group_id, *facts in (
        Product.objects.filter(Q(group_id__in=groups.values("pk")) | Q(group_id__in=shell_ids))
        .order_by("group_id", "product_type", "active_from", "active_to", "includes_go365")
        .values_list("group_id", "product_type", "active_from", "active_to", "includes_go365")
    ):
        products[group_id].append(tuple(facts))
    employer_apps = SLApplication.objects.filter(kind=SLAppKind.EMPLOYER, group__in=groups)
    sl_apps: dict[int, Any] = {}
    for app in employer_apps.order_by("group_id", "pk").values_list(
        "group_id", "pk", "sl_app_number", "ec_identifier", named=True
    ):
        sl_apps.setdefault(app.group_id, app)  # the group's first employer app, as queries does
    open_requests = dict(
        ECRequest.objects.filter(state__in=ECRequest.OPEN_STATES, sl_app__in=employer_apps)
        .values_list("sl_app_id", "pk")
    )

    # The rules are pure functions of (products, employees enrolled, today): many groups share the
    # same answer, so each distinct product set is judged once.
    functions_for: dict[tuple[Any, ...], tuple[str, ...]] = {}  # () when not eligible
    joined: dict[tuple[str, ...], str] = {}
    queued: list[_Queued] = []
    lines: list[BatchLine] = []
    for group in candidates:
        shell = by_pk.get(group.mtv_shell_id) if group.mtv_shell_id else None
        shell_number = shell.group_number if shell else None
        report_number = rules.bf_report_group_number(group.group_number, group.platform, shell_number)
        run_for = shell if shell is not None and report_number != group.group_number else group
        key = (tuple(products.get(run_for.pk, ())), run_for.employees_enrolled)
        functions = functions_for.get(key)
        if functions is None:
            functions = functions_for[key] = _business_functions(key[0], key[1], today)
        sl_app = sl_apps.get(group.pk)
        why_not = _why_not_queued(
            run_for=run_for, shelled=run_for is not group, functions=functions,
            products=key[0], sl_app=sl_app,
            open_request=open_requests.get(sl_app.pk) if sl_app else None, today=today,
        )
        if why_not:
            outcome, reason = why_not
            lines.append(BatchLine(group.pk, group.group_number, group.name, outcome, reason[:300]))
            continue
        if sl_app is None:
            raise ValueError("_why_not_queued answers for a group without an SL app")
        if functions not in joined:
            joined[functions] = ", ".join(functions)
        queued.append(_Queued(
            group.pk, group.group_number, group.name, sl_app.pk, run_for.ec_number, functions,
            spreadsheet.ReportRow(
                run_for.ec_number, run_for.group_number, run_for.name.upper(),
                run_for.report_platform_code, run_for.fin_bus_segment_cd, joined[functions],
                sl_app.sl_app_number,
            ),
        ))
    return _Plan(len(candidates), queued, lines)


def _facts(products: tuple[tuple[Any, ...], ...]) -> list[rules.ProductFacts]:
    return [rules.ProductFacts(*product) for product in products]


def _business_functions(
    products: tuple[tuple[Any, ...], ...], employees_enrolled: int, today: dt.date
) -> tuple[str, ...]:
    """What the BF report gives: () when the group is not eligible for EC reporting at all."""
    facts = _facts(products)
    if not rules.eligible_for_ec_reporting(facts, today):
        return ()
    return tuple(rules.business_functions_for(facts, employees_enrolled, today))


def _why_not_queued(
    *, run_for: Any, shelled: bool, functions: tuple[str, ...], products: tuple[tuple[Any, ...], ...],
    sl_app: Any, open_request: int | None, today: dt.date,
) -> tuple[str, str] | None:
    """(outcome, reason) for a group the batch leaves out, in the seed's words; None to queue it."""
    via_shell = f" (the report is run for its MTV shell {run_for.group_number})" if shelled else ""
    if not functions:
        facts = _facts(products)
        if not rules.eligible_for_ec_reporting(facts, today):
            return INELIGIBLE, (
                f"Not eligible: no active Medical or Stand Alone Go365 (NIM) product{via_shell}."
            )
        return INELIGIBLE, f"Blank report{via_shell}: " + " ".join(
            rules.blank_report_reasons(facts, today)
        )
    if not _is_ec_identifier(run_for.ec_number):
        return INELIGIBLE, (
            f"No EC# on the report{via_shell}: "
            "data may be incorrect on customer reporting end. "
            f"Contact {rules.CUSTOMER_REPORTING}."
        )
    if sl_app is None:
        return INELIGIBLE, (
            "No employer SL app: EC identifiers go ONLY on employer SL apps, never on agent SL "
            "applications or pseudo apps."
        )
    if rules.second_ec_refused(sl_app.ec_identifier, run_for.ec_number):
        return SKIPPED, (
            f"SL app {sl_app.sl_app_number} already has EC {sl_app.ec_identifier}: only ONE EC per "
            "SL application."
        )
    if sl_app.ec_identifier:
        return SKIPPED, f"EC {sl_app.ec_identifier} is already on SL app {sl_app.sl_app_number}."
    if open_request:
        return SKIPPED, f"EC request #{open_request} for SL app {sl_app.sl_app_number} is already open."
    return None


# --- Writing ------------------------------------------------------------------------------------


def _write(run: ECBatchRun, plan: _Plan) -> None:
    if connection.vendor == "postgresql":
        _write_postgresql(run, plan)
    else:  # the embedded SQLite of `make run`: small data, plain bulk_create
        _write_portable(run, plan)


def _write_portable(run: ECBatchRun, plan: _Plan) -> None:
    """The same rows as _write_postgresql through the ORM; a group whose SL app got an open
    request meanwhile is skipped, as there."""
    busy = set(
        ECRequest.objects.filter(
            sl_app_id__in=[entry.sl_app_id for entry in plan.queued],
            state__in=ECRequest.OPEN_STATES,
        ).values_list("sl_app_id", flat=True)
    )
    plan.lines.extend(
        BatchLine(entry.group_id, entry.group_number, entry.group_name, SKIPPED,
                  f"An EC request for SL app {entry.row.sl_app_number} was opened while the "
                  "batch ran.")
        for entry in plan.queued if entry.sl_app_id in busy
    )
    plan.queued = [entry for entry in plan.queued if entry.sl_app_id not in busy]
    created = ECRequest.objects.bulk_create([
        ECRequest(source=ECRequest.Source.WEEKLY_BATCH, state=ECRequest.State.QUEUED,
                  group_id=entry.group_id, sl_app_id=entry.sl_app_id,
                  ec_identifier=entry.ec_identifier,
                  business_functions=list(entry.business_functions), batch=run)
        for entry in plan.queued
    ], batch_size=1000)
    note = f"Weekly batch {run.week_start.isoformat()}"
    ECRequestEvent.objects.bulk_create([
        ECRequestEvent(request=request, kind=ECRequestEvent.Kind.CREATED, note=note)
        for request in created
    ], batch_size=1000)
    ECBatchLine.objects.bulk_create([
        ECBatchLine(batch=run, group_id=line.group_id, outcome=line.outcome, reason=line.reason)
        for line in plan.lines
    ], batch_size=1000)


def _write_postgresql(run: ECBatchRun, plan: _Plan) -> None:
    """Insert the requests, their "created" events and the not-queued lines with COPY and
    INSERT ... SELECT: at 100,000 groups, building a model instance per row (bulk_create) cost more
    than the rest of the batch together.

    The requests go through a temporary table so that ON CONFLICT DO NOTHING can apply: a
    specialist may open a request for one of these SL apps while the batch runs, and the partial
    unique constraint (one open request per SL app) then skips that row, which becomes a line,
    instead of failing the whole week. The CHECK constraints still apply to every row.
    """
    requests, events = ECRequest._meta.db_table, ECRequestEvent._meta.db_table
    now = clock.now()
    json_by_functions: dict[tuple[str, ...], str] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE ec_batch_queued (position integer, group_id bigint, "
            "sl_app_id bigint, ec_identifier varchar(10), business_functions jsonb) ON COMMIT DROP"
        )
        with cursor.copy("COPY ec_batch_queued FROM STDIN") as copy:
            for position, entry in enumerate(plan.queued):
                functions = entry.business_functions
                if functions not in json_by_functions:
                    json_by_functions[functions] = json.dumps(list(functions))
                copy.write_row((
                    position, entry.group_id, entry.sl_app_id, entry.ec_identifier,
                    json_by_functions[functions],
                ))
        # Every NOT NULL column of ECRequest is named here: Django defaults are not database defaults.
        cursor.execute(
            f"INSERT INTO {requests} (source, state, group_id, sl_app_id, ec_identifier, "
            "business_functions, expedited, batch_id, created_at, reject_reason, reject_note) "
            "SELECT %s, %s, group_id, sl_app_id, ec_identifier, business_functions, false, %s, %s, "
            "'', '' FROM ec_batch_queued ORDER BY position ON CONFLICT DO NOTHING",
            [ECRequest.Source.WEEKLY_BATCH, ECRequest.State.QUEUED, run.pk, now],
        )
        inserted = cursor.rowcount
        cursor.execute("DROP TABLE ec_batch_queued")
        cursor.execute(
            f"INSERT INTO {events} (request_id, kind, user_id, note, created_at) "
            f"SELECT id, %s, NULL, %s, %s FROM {requests} WHERE batch_id = %s ORDER BY id",
            [ECRequestEvent.Kind.CREATED, f"Weekly batch {run.week_start.isoformat()}", now, run.pk],
        )
    if inserted != len(plan.queued):
        created = set(ECRequest.objects.filter(batch=run).values_list("group_id", flat=True))
        plan.lines.extend(
            BatchLine(entry.group_id, entry.group_number, entry.group_name, SKIPPED,
                      f"An EC request for SL app {entry.row.sl_app_number} was opened while the "
                      "batch ran.")
            for entry in plan.queued if entry.group_id not in created
        )
        plan.queued = [entry for entry in plan.queued if entry.group_id in created]
    with connection.cursor() as cursor, cursor.copy(
        f"COPY {ECBatchLine._meta.db_table} (batch_id, group_id, outcome, reason) FROM STDIN"
    ) as copy:
        for line in plan.lines:
            copy.write_row((run.pk, line.group_id, line.outcome, line.reason))


def _send_spreadsheet(run: ECBatchRun, content: bytes) -> None:
    week_end = run.week_start + dt.timedelta(days=6)
    message = EmailMessage(
        subject=f"EC weekly batch: {run.queued_count} new group"
        f"{'s' if run.queued_count != 1 else ''} registered {run.week_start} to {week_end}",
        body=f"{rules.GRANT_SENTENCE}\n\n"
        f"{run.queued_count} new employer groups registered on the Employer Portal between "
        f"{run.week_start} and {week_end}; the attached spreadsheet lists each group's EC#, business "
        "functions and SL app #. The sheet “Not queued” lists the groups left out and why.\n\n"
        f"SupportDesk: {settings.SUPPORTDESK_SITE_URL}{batch_page_path(run.week_start)}",
        to=[settings.EC_ACCESS_MANAGEMENT_EMAIL],
    )
    message.attach(spreadsheet.batch_filename(run.week_start), content, spreadsheet.XLSX_CONTENT_TYPE)
    message.send()


def _existing_result(run: ECBatchRun, started: float) -> BatchResult:
    lines = [
        BatchLine(*values)
        for values in run.lines.values_list(
            "group_id", "group__group_number", "group__name", "outcome", "reason"
        )
    ]
    counts = BatchCounts(run.groups_seen, run.queued_count, run.ineligible_count, run.skipped_count)
    return BatchResult(run, False, run.week_start, counts, lines, _since(started))


def _since(started: float) -> float:
    return time.perf_counter() - started
