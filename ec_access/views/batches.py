"""Weekly batch runs: what each run queued and left out, and its spreadsheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from supportdesk.http import AuthenticatedHttpRequest
from supportdesk.lists import paginate
from supportdesk.roles import Role, role_required

from ..models import ECBatchLine, ECBatchRun
from ..spreadsheet import XLSX_CONTENT_TYPE, batch_filename

RUNS_PER_PAGE = 10
LINES_SHOWN = 20  # per run; the spreadsheet's "Not queued" sheet has them all


@dataclass(frozen=True)
class RunSummary:
    run: ECBatchRun
    lines: list[ECBatchLine]
    more_lines: int

    @property
    def week_end(self) -> dt.date:
        return self.run.week_start + dt.timedelta(days=6)


@role_required(Role.ACCESS_MANAGEMENT, Role.SUPERVISOR)
@require_GET
def batch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    runs = ECBatchRun.objects.defer("spreadsheet").select_related("started_by")
    week = _week(request.GET.get("week", ""))
    if week:
        runs = runs.filter(week_start__lte=week, week_start__gt=week - dt.timedelta(days=7))
    page, _query = paginate(request, runs, RUNS_PER_PAGE)
    summaries = []
    for run in page:
        lines = list(
            run.lines.select_related("group").only(
                "outcome", "reason", "group__group_number", "group__name"
            )[:LINES_SHOWN]
        )
        not_queued = run.ineligible_count + run.skipped_count
        summaries.append(RunSummary(run, lines, max(not_queued - len(lines), 0)))
    return render(request, "ec_access/batch_list.html", {
        "page": page, "summaries": summaries, "week": week, "lines_shown": LINES_SHOWN,
    })


@role_required(Role.ACCESS_MANAGEMENT, Role.SUPERVISOR)
@require_GET
def batch_spreadsheet(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    run = get_object_or_404(ECBatchRun.objects.only("week_start", "spreadsheet"), pk=batch_id)
    response = HttpResponse(bytes(run.spreadsheet), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{batch_filename(run.week_start)}"'
    return response


def _week(value: str) -> dt.date | None:
    """The ?week= filter. A value that is not a date, or a day too close to year 1 to have the
    week before it (the filter subtracts 7 days), filters nothing."""
    try:
        week = dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return week if week is None or week >= dt.date.min + dt.timedelta(days=7) else None
