"""System checks that refuse a broken flow before the server starts (``manage.py check``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core import checks

from .engine import Flow, registry

DUPLICATE_STEP = "supportdesk.E001"
UNKNOWN_TARGET = "supportdesk.E002"
UNREACHABLE_STEP = "supportdesk.E003"
NO_OUTCOME = "supportdesk.E004"
DUPLICATE_FLOW = "supportdesk.E005"
STEP_PROBLEM = "supportdesk.E006"  # no way out, a choice twice, an undeclared branch key


@checks.register("flows")
def check_flows(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return check_flow_list(registry.all())


def check_flow_list(flows: Iterable[Flow]) -> list[checks.CheckMessage]:
    flows = list(flows)
    errors: list[checks.CheckMessage] = []
    for key, count in Counter(flow.key for flow in flows).items():
        if count > 1:
            errors.append(
                checks.Error(f"Flow {key!r} is registered {count} times.", id=DUPLICATE_FLOW)
            )
    for flow in flows:
        errors.extend(check_flow(flow))
    return errors


def check_flow(flow: Flow) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for key, count in Counter(step.key for step in flow.steps).items():
        if count > 1:
            errors.append(
                checks.Error(
                    f"Flow {flow.key!r}: step key {key!r} is declared {count} times.",
                    id=DUPLICATE_STEP,
                )
            )

    if flow.step(flow.start) is None:
        errors.append(
            checks.Error(
                f"Flow {flow.key!r}: start step {flow.start!r} does not exist.",
                id=UNKNOWN_TARGET,
            )
        )
    for step, edge in flow.edges():
        if flow.step(edge.target) is None:
            errors.append(
                checks.Error(
                    f"Flow {flow.key!r}: step {step.key!r} leads to unknown step {edge.target!r}.",
                    id=UNKNOWN_TARGET,
                )
            )
    for step in flow.steps:
        # Each kind checks itself: a way out, distinct choices, declared branch keys.
        for problem in step.problems():
            errors.append(checks.Error(f"Flow {flow.key!r}: step {step.key!r} {problem}",
                                       id=STEP_PROBLEM))

    reachable = _reachable(flow, [flow.start])
    for step in flow.steps:
        if step.key not in reachable:
            errors.append(
                checks.Error(
                    f"Flow {flow.key!r}: step {step.key!r} cannot be reached from "
                    f"the start step {flow.start!r}.",
                    id=UNREACHABLE_STEP,
                )
            )
    for step in flow.steps:
        if step.key in reachable and not _reaches_outcome(flow, step.key):
            errors.append(
                checks.Error(
                    f"Flow {flow.key!r}: no path from step {step.key!r} ends in an outcome.",
                    id=NO_OUTCOME,
                )
            )
    return errors


def _successors(flow: Flow, key: str) -> tuple[str, ...]:
    step = flow.step(key)
    return tuple(t for t in step.targets() if flow.step(t) is not None) if step else ()


def _reachable(flow: Flow, starts: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = [key for key in starts if flow.step(key) is not None]
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(_successors(flow, key))
    return seen


def _reaches_outcome(flow: Flow, key: str) -> bool:
    return any(getattr(flow.step(k), "terminal", False) for k in _reachable(flow, [key]))
