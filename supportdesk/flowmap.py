"""Draw a flow as Mermaid text; the flow-map page renders it with the vendored mermaid.js.

With traffic figures the same map shows how many cases passed each step and each branch,
shaded from pale (few) to dark (many).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .engine import Flow

_HEAT = ("heat0", "heat1", "heat2", "heat3")


def _node_id(key: str) -> str:
    return "s_" + re.sub(r"\W", "_", key)


def _label(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    # Mermaid labels are quoted; a double quote inside one must be an entity.
    return text.replace('"', "#quot;")


def mermaid(
    flow: Flow,
    steps_traffic: Mapping[str, int] | None = None,
    branch_traffic: Mapping[tuple[str, str], int] | None = None,
) -> str:
    counted = steps_traffic is not None
    steps_traffic = steps_traffic or {}
    branch_traffic = branch_traffic or {}
    lines = ["flowchart TD"]
    for step in flow.steps:
        left, right = step.shape
        title = _label(step.title)
        if counted:
            title += f" · {steps_traffic.get(step.key, 0)}"
        lines.append(f'    {_node_id(step.key)}{left}"{title}"{right}')

    # Choices that lead to the same step share one arrow, or a 17-topic question is unreadable.
    grouped: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for step, edge in flow.edges():
        if edge.value is None:
            passed = steps_traffic.get(step.key, 0)
        else:
            passed = branch_traffic.get((step.key, edge.value), 0)
        grouped.setdefault((step.key, edge.target), []).append((edge.label, passed))
    for (source, target), taken in grouped.items():
        labels = [label for label, _ in taken if label]
        text = labels[0] if len(labels) == 1 else f"{len(labels)} answers" if labels else ""
        if counted:
            text = f"{text} · {sum(n for _, n in taken)}".lstrip(" ·")
        arrow = f'-- "{_label(text, 48)}" -->' if text else "-->"
        lines.append(f"    {_node_id(source)} {arrow} {_node_id(target)}")

    lines.append(f"    class {_node_id(flow.start)} start")
    outcomes = [_node_id(s.key) for s in flow.steps if s.terminal]
    if outcomes and not counted:
        lines.append(f"    class {','.join(outcomes)} outcome")
    if counted:
        top = max(steps_traffic.values(), default=0)
        for step in flow.steps:
            n = steps_traffic.get(step.key, 0)
            level = 0 if not n or not top else min(3, 1 + (3 * n) // (top + 1))
            lines.append(f"    class {_node_id(step.key)} {_HEAT[level]}")
        lines += [
            "    classDef heat0 fill:#f4f6f9,stroke:#c9d1db,color:#5b6675",
            "    classDef heat1 fill:#dbe9f8,stroke:#7aa7d9",
            "    classDef heat2 fill:#8fbbe8,stroke:#2f6fb3",
            "    classDef heat3 fill:#1d5fa8,stroke:#0b3d73,color:#ffffff",
        ]
    lines.append("    classDef start stroke:#0b5cad,stroke-width:3px")
    lines.append("    classDef outcome fill:#e7f5ec,stroke:#1e7b45")
    return "\n".join(lines)
