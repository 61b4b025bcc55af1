from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..engine import registry
from ..models import Case
from ..roles import Role, user_has_role


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Any signed-in user: what their role can do from here."""
    context: dict[str, object] = {}
    if user_has_role(request.user, Role.SPECIALIST):
        mine = Case.objects.filter(opened_by=request.user)
        context["flows"] = sorted(registry.all(), key=lambda flow: flow.title)
        context["open_cases"] = mine.filter(status=Case.Status.OPEN).order_by("-updated_at")[:20]
        context["recent_closed"] = mine.filter(status=Case.Status.CLOSED).order_by(
            "-closed_at"
        )[:5]
    return render(request, "supportdesk/home.html", context)


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the database answers. Says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
