"""Draw a flow as Mermaid text; the flow-map page renders it with the vendored mermaid.js."""

from __future__ import annotations

import re

from .engine import Action, Check, Flow, Instruction, Outcome, Question, Step

# Node shapes by step kind, so a reader tells questions from checks at a glance.
_SHAPES: dict[type[Step], tuple[str, str]] = {
    Question: ("{", "}"),
    Check: ("{{", "}}"),
    Instruction: ("[/", "/]"),
    Action: ("[[", "]]"),
    Outcome: ("([", "])"),
}


def _node_id(key: str) -> str:
    return "s_" + re.sub(r"\W", "_", key)


def _label(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    # Mermaid labels are quoted; a double quote inside one must be an entity.
    return text.replace('"', "#quot;")


def mermaid(flow: Flow) -> str:
    lines = ["flowchart TD"]
    for step in flow.steps:
        left, right = _SHAPES.get(type(step), ("[", "]"))
        lines.append(f'    {_node_id(step.key)}{left}"{_label(step.title)}"{right}')
    # Choices that lead to the same step share one arrow, or a 17-topic question is unreadable.
    grouped: dict[tuple[str, str], list[str]] = {}
    for step, label, target in flow.edges():
        grouped.setdefault((step.key, target), []).append(label)
    for (source, target), labels in grouped.items():
        labels = [label for label in labels if label]
        text = labels[0] if len(labels) == 1 else f"{len(labels)} answers" if labels else ""
        arrow = f'-- "{_label(text, 40)}" -->' if text else "-->"
        lines.append(f"    {_node_id(source)} {arrow} {_node_id(target)}")
    lines.append(f"    class {_node_id(flow.start)} start")
    outcomes = [_node_id(s.key) for s in flow.steps if isinstance(s, Outcome)]
    if outcomes:
        lines.append(f"    class {','.join(outcomes)} outcome")
    lines.append("    classDef start stroke:#0b5cad,stroke-width:3px")
    lines.append("    classDef outcome fill:#e7f5ec,stroke:#1e7b45")
    return "\n".join(lines)
