"""Every URL pattern of supportdesk.urls, filled in with real ids from the demo data.

The walk reads the resolver, not a list kept by hand: a new page is checked the day it is added.
A pattern with a parameter this module has no values for fails the walk, naming the parameter,
so that nobody's page is skipped silently.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from agent_rsos.models import Escalation
from ec_access.models import ECBatchRun, ECRequest, EmployerGroup
from noyo_sync.models import GroupConnection, SandboxGroupConnection
from supportdesk.engine import registry
from supportdesk.exports import FORMATS
from supportdesk.models import Case, StepFeedback
from supportdesk.views.dashboard import TABLES

ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
ADMIN_MODEL = re.compile(r"(?P<app_label>\w+)/(?P<model_name>\w+)/")
NO_SUCH_ID = "999999"


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the patterns of the includes above it."""

    patterns: tuple[RoutePattern | RegexPattern, ...]
    name: str
    callback: Callable[..., Any]

    @property
    def parameters(self) -> tuple[str, ...]:
        names: list[str] = []
        for pattern in self.patterns:
            if isinstance(pattern, RoutePattern):
                names += ROUTE_PARAMETER.findall(str(pattern))
            else:
                names += list(pattern.regex.groupindex)
        return tuple(names)

    @property
    def admin_model(self) -> Any:
        """The model of an admin page (under admin/<app_label>/<model_name>/), else None."""
        for pattern in self.patterns:
            if self.name.startswith("admin:") and (match := ADMIN_MODEL.fullmatch(str(pattern))):
                return apps.get_model(match["app_label"], match["model_name"])
        return None

    def url(self, values: dict[str, str]) -> str:
        path = "".join(_fill(pattern, values) for pattern in self.patterns)
        url = f"/{path}"
        match = resolve(url)  # the filled-in URL must lead back to this very pattern
        assert match.func == self.callback, f"{url} resolves to {match.view_name}, not {self.name}"
        return url


def _fill(pattern: RoutePattern | RegexPattern, values: dict[str, str]) -> str:
    if isinstance(pattern, RoutePattern):
        return ROUTE_PARAMETER.sub(lambda m: values[m[1]], str(pattern))
    text = str(pattern)
    for name in pattern.regex.groupindex:
        start = text.index(f"(?P<{name}>")
        end, depth = start, 0
        for end, char in enumerate(text[start:], start):  # noqa: B007 - read after the loop; the group's closing parenthesis
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                break
        text = text[:start] + values[name] + text[end + 1:]
    return text.removeprefix("^").removesuffix("$").replace("\\", "")


def routes() -> list[Route]:
    return list(_walk(get_resolver(), (), ""))


def _walk(resolver: URLResolver, above: tuple[Any, ...], namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, (*above, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<{entry.pattern}>"
            yield Route((*above, entry.pattern), name, entry.callback)


class DemoValues:
    """Values for each path parameter, read from the database once."""

    def __init__(self) -> None:
        cases = list(Case.objects.order_by("pk"))
        self.case_steps = [(case.reference, case.current_step) for case in cases]
        self.single: dict[str, list[str]] = {
            "flow_key": [flow.key for flow in registry.all()],
            "reference": [case.reference for case in cases],
            "group_number": list(EmployerGroup.objects.values_list("group_number", flat=True)),
            "request_id": _ids(ECRequest),
            "batch_id": _ids(ECBatchRun),
            "escalation_id": _ids(Escalation),
            "feedback_id": _ids(StepFeedback),
            "table": list(TABLES),
            "fmt": list(FORMATS),
            "app_label": sorted({model._meta.app_label for model in admin.site._registry}),
            "url": ["no-such-page/"],
            "number": ["1"],  # a flow's version
        }
        case_type = ContentType.objects.get_for_model(Case)
        self.view_on_site = [
            {"content_type_id": str(case_type.pk), "object_id": str(case.pk)} for case in cases[:1]
        ]
        self.noyo_connections = _ids(GroupConnection)
        self.sandbox_connections = [
            str(pk) for pk in SandboxGroupConnection.objects.values_list("pk", flat=True)
        ] or [str(uuid.uuid4())]

    def kwargs_for(self, route: Route) -> list[dict[str, str]]:
        """Every combination of values for the route's parameters (at least one)."""
        names = list(route.parameters)
        choices: list[list[dict[str, str]]] = []
        if {"reference", "step_key"} <= set(names):  # a case's step: the case's own current step
            choices.append([{"reference": ref, "step_key": step} for ref, step in self.case_steps])
            names = [n for n in names if n not in {"reference", "step_key"}]
        if {"content_type_id", "object_id"} <= set(names):
            choices.append(self.view_on_site)
            names = [n for n in names if n not in {"content_type_id", "object_id"}]
        for name in names:
            choices.append([{name: value} for value in self._values(name, route) or [NO_SUCH_ID]])
        return [_merged(combination) for combination in itertools.product(*choices)]

    def _values(self, name: str, route: Route) -> list[str]:
        model = route.admin_model
        if name in {"object_id", "id"} and model is not None:
            return _ids(model)[:2]
        if name == "connection_id":
            sandbox = route.name.startswith("noyo_sandbox")
            return self.sandbox_connections if sandbox else self.noyo_connections
        if name not in self.single:
            raise LookupError(
                f"{route.name} has a path parameter {name!r} that tests/embedded/routes.py gives "
                "no values for: add them to DemoValues."
            )
        return self.single[name]


def _ids(model: Any) -> list[str]:
    return [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)]


def _merged(parts: tuple[dict[str, str], ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(part)
    return merged
