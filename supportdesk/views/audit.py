"""The audit trail, for supervisors: read-only, filtered, paginated."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..audit import AuditFilter, audit_row
from ..http import AuthenticatedHttpRequest
from ..lists import paginate
from ..roles import Role, role_required

PAGE_SIZE = 50


@role_required(Role.SUPERVISOR)
@require_GET
def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    entries = AuditFilter(request.GET)
    page, query = paginate(request, entries.qs, PAGE_SIZE)
    return render(request, "supervisor/audit.html", {
        "form": entries.form,
        "page": page,
        "rows": [audit_row(entry) for entry in page],
        "query": query,
    })
