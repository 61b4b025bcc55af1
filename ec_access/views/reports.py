from __future__ import annotations

import datetime as dt
from types import ModuleType
from typing import TypedDict

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from supportdesk import clock
from supportdesk.dates import date_text
from supportdesk.http import AuthenticatedHttpRequest
from supportdesk.roles import Role, role_required

from .. import rules
from ..models import EmployerGroup, SLApplication
from ..pdf import bf_report_pdf
from ..queries import BFReport, bf_report, employer_sl_app, sl_app_business_functions

READERS = (Role.SPECIALIST, Role.ACCESS_MANAGEMENT, Role.SUPERVISOR)


class ReportContext(TypedDict):
    report: BFReport
    rules: ModuleType
    sl_app: SLApplication | None
    sl_app_functions: list[str]
    missing: list[str]
    blackout_until: dt.date | None
    send_from: dt.date | None


def _report_context(group: EmployerGroup) -> ReportContext:
    today = clock.today()
    report = bf_report(group, today)
    sl_app = employer_sl_app(group)
    on_app = sl_app_business_functions(sl_app) if sl_app else []
    available = rules.bf_report_available_on(today)
    return {
        "report": report,
        "rules": rules,
        "sl_app": sl_app,
        "sl_app_functions": on_app,
        "missing": rules.missing_on_sl_app(report.business_functions, on_app),
        "blackout_until": available if available != today else None,
        # During the blackout nothing is sent: the case flow waits until this business day too.
        "send_from": rules.blackout_follow_up_on(today) if available != today else None,
    }


def _find_group(group_number: str) -> EmployerGroup | None:
    """The group with this number. PostgreSQL text cannot hold NUL: a number with one (typed, or
    put in the URL) matches no group, and must not reach a query, which would fail."""
    if "\x00" in group_number:
        return None
    return EmployerGroup.objects.filter(group_number=group_number).first()


def _group_or_404(group_number: str) -> EmployerGroup:
    group = _find_group(group_number)
    if group is None:
        raise Http404("No such employer group.")
    return group


@role_required(*READERS)
@require_GET
def bf_report_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    number = request.GET.get("group", "").strip()
    if number:
        if _find_group(number) is not None:
            return redirect("ec_bf_report", group_number=number)
        messages.error(request, f"No employer group {number[:12]} in SupportDesk's data.")
    return render(request, "ec_access/bf_report_lookup.html", {"number": number[:12]})


@role_required(*READERS)
@require_GET
def bf_report_page(request: AuthenticatedHttpRequest, group_number: str) -> HttpResponse:
    group = _group_or_404(group_number)
    return render(request, "ec_access/bf_report.html", _report_context(group))


@role_required(*READERS)
@require_GET
def bf_report_download(request: AuthenticatedHttpRequest, group_number: str) -> HttpResponse:
    group = _group_or_404(group_number)
    context = _report_context(group)
    report = context["report"]
    send_from = context["send_from"]
    if send_from:
        messages.error(request, "Reporting is down from the 1st-5th of every month for updates: "
                       f"the report is run and sent from {date_text(send_from)}, "
                       "not before. There is nothing to download for sending yet.")
        return render(request, "ec_access/bf_report.html", context, status=409)
    if report.is_blank:
        messages.error(request, "A blank report is never sent: there is nothing to download.")
        return render(request, "ec_access/bf_report.html", context, status=409)
    if not report.sendable:
        messages.error(request, "This report has no EC# and is never sent: there is nothing to "
                       "download.")
        return render(request, "ec_access/bf_report.html", context, status=409)
    response = HttpResponse(bf_report_pdf(report), content_type="application/pdf")
    filename = f"BF-report-{report.run_for.group_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
