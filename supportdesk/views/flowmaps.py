from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import flow_content
from ..flowmap import mermaid
from ..http import AuthenticatedHttpRequest
from ..roles import Role, role_required


@role_required(Role.SPECIALIST, Role.SUPERVISOR, Role.FLOW_AUTHOR)
@require_GET
def flow_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "supportdesk/flow_list.html", {"flows": flow_content.latest_all()})


@role_required(Role.SPECIALIST, Role.SUPERVISOR, Role.FLOW_AUTHOR)
@require_GET
def flow_map(request: AuthenticatedHttpRequest, flow_key: str) -> HttpResponse:
    flow = flow_content.latest(flow_key)
    if flow is None:
        raise Http404("No such flow.")
    # Each step with the steps it leads to, by title: the keys stay in the anchors only.
    rows = [(step, [(target, getattr(flow.step(target), "title", target))
                    for target in step.targets()])
            for step in flow.steps]
    return render(
        request, "supportdesk/flow_map.html",
        {"flow": flow, "diagram": mermaid(flow), "rows": rows},
    )
