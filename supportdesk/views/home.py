from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import home_panels
from ..engine import registry
from ..http import AuthenticatedHttpRequest
from ..models import Case, FlowDraft
from ..roles import Role, user_has_role


def home_context(request: AuthenticatedHttpRequest) -> dict[str, object]:
    """What the home page shows besides the panels' own context: which registered panels the
    user gets, and a specialist's cases."""
    context: dict[str, object] = {"home_panels": home_panels.shown(request.user)}
    if user_has_role(request.user, Role.FLOW_AUTHOR):
        drafts = FlowDraft.objects.select_related("updated_by").order_by("-updated_at")
        context["author_drafts"] = [(draft, getattr(registry.get(draft.flow_key), "title", ""))
                                    for draft in drafts]
    if not user_has_role(request.user, Role.SPECIALIST):
        return context
    mine = Case.objects.filter(opened_by=request.user)
    context["open_cases"] = mine.filter(status=Case.Status.OPEN).order_by("-updated_at")[:20]
    context["recent_closed"] = mine.filter(status=Case.Status.CLOSED).order_by("-closed_at")[:5]
    return context


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Any signed-in user (LoginRequiredMiddleware): what their role can do from here, and the panels apps register
    (a specialist starts a case from the flow finder's: search, favourites, recent flows)."""
    context = home_context(request)
    context.update(home_panels.context_for(request.user))
    return render(request, "supportdesk/home.html", context)


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the database answers. Says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
