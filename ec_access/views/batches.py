"""Weekly batch runs (written with the batch service)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from supportdesk.roles import Role, role_required


@role_required(Role.ACCESS_MANAGEMENT, Role.SUPERVISOR)
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@role_required(Role.ACCESS_MANAGEMENT, Role.SUPERVISOR)
@require_GET
def batch_spreadsheet(request: HttpRequest, batch_id: int) -> HttpResponse:
    raise NotImplementedError
