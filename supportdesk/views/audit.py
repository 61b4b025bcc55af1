"""The audit trail, for supervisors: read-only, filtered, paginated."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..audit import AuditFilterForm, audit_row, filter_entries
from ..http import AuthenticatedHttpRequest
from ..lists import paginate
from ..roles import Role, role_required

PAGE_SIZE = 50


@role_required(Role.SUPERVISOR)
@require_GET
def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    page, query = paginate(request, filter_entries(form), PAGE_SIZE)
    return render(request, "supervisor/audit.html", {
        "form": form,
        "page": page,
        "rows": [audit_row(entry) for entry in page],
        "query": query,
    })
