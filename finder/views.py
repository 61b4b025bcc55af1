"""The finder's endpoints: the search (as you type with htmx, or as a plain form), and starring
a flow. All POST: what is typed never goes into a URL."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from supportdesk.engine import registry
from supportdesk.http import AuthenticatedHttpRequest
from supportdesk.roles import Role, role_required
from supportdesk.views.home import home_context

from . import panel, search, services
from .forms import FinderForm


@role_required(Role.SPECIALIST)
@sensitive_post_parameters("q")
@require_POST
def finder_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """With htmx: the results alone, swapped under the box. Without: the home page with them."""
    form = FinderForm(request.POST)
    typed = form.cleaned_data["q"] if form.is_valid() else ""
    matches = search.find(typed) if typed else []
    context = {"finder_typed": typed, "finder_matches": matches, "finder_searched": bool(typed)}
    if request.htmx:
        return render(request, "finder/results.html", context)
    return render(request, "supportdesk/home.html", {
        **home_context(request), **panel.panel_context(request.user, typed=typed, matches=matches,
                                                       searched=bool(typed))})


def _starred(request: AuthenticatedHttpRequest, flow_key: str, *, favourite: bool) -> HttpResponse:
    flow = registry.get(flow_key)
    if flow is None:
        messages.error(request, "That flow is not offered any more, so it cannot be starred. "
                                "Pick another from the list.")
    elif favourite:
        services.favourite_add(user=request.user, flow_key=flow.key)
    else:
        services.favourite_remove(user=request.user, flow_key=flow.key)
    if request.htmx:
        if flow is None:
            return HttpResponseClientRedirect(reverse("home"))
        return render(request, "finder/flows.html", panel.panel_context(request.user))
    if flow is not None:
        messages.success(request, f"{flow.title}: {'added to' if favourite else 'removed from'} "
                                  "your favourites.")
    return redirect("home")


@role_required(Role.SPECIALIST)
@require_POST
def finder_star(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    return _starred(request, flow_key, favourite=True)


@role_required(Role.SPECIALIST)
@require_POST
def finder_unstar(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    return _starred(request, flow_key, favourite=False)
