"""What a specialist types and what the finder must answer, on PostgreSQL and on SQLite alike
(tests/finder/test_search.py and tests/embedded/test_flow_finder.py read the same list).

The expected step is named by what it says, read from the registry, so that a flow reworded
elsewhere keeps these examples true as long as the words looked for are still there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from finder.index import step_body
from finder.search import Match
from supportdesk.engine import Question, registry


def steps_saying(flow_key: str, words: str) -> set[str]:
    """The titles of the flow's steps whose words (as the index reads them) hold ``words``."""
    flow = registry.get(flow_key)
    assert flow is not None, flow_key
    return {step.title for step in flow.steps if words.lower() in step_body(step).lower()}


def step_offering(flow_key: str, label: str) -> set[str]:
    flow = registry.get(flow_key)
    assert flow is not None, flow_key
    return {step.title for step in flow.steps if isinstance(step, Question)
            and any(choice.label == label for choice in step.choices)}


def titled(flow_key: str, step_key: str) -> set[str]:
    step = registry.get(flow_key).step(step_key)
    assert step is not None, (flow_key, step_key)
    return {step.title}


@dataclass(frozen=True)
class Example:
    what: str  # what the example shows
    typed: str
    flow_key: str
    # The steps the first match may name; None: the flow itself matched (its title).
    steps: Callable[[], set[str]] | None

    def check(self, matches: list[Match]) -> None:
        assert matches, f"{self.what}: nothing found for {self.typed!r}"
        first = matches[0]
        assert first.flow.key == self.flow_key, (
            f"{self.what}: {self.typed!r} found {[m.flow.key for m in matches]} first, "
            f"not {self.flow_key}")
        if self.steps is None:
            assert first.step_title == "" and first.in_title, (self.what, first)
        else:
            expected = self.steps()
            assert expected, f"{self.what}: the example names no step of {self.flow_key}"
            assert first.step_title in expected, (self.what, first.step_title, expected)


EXAMPLES = [
    Example("a flow's title", "route a member", "arsos-routing", None),
    Example("a flow's title, cut short while typing", "husky prov", "husky-provider-portal", None),
    Example("a step's text", "by-pass IVR", "arsos-routing",
            lambda: steps_saying("arsos-routing", "by-pass IVR")),
    Example("a choice", "Commission question", "arsos-routing",
            lambda: step_offering("arsos-routing", "Commission question")),
    Example("an e-mail address, whole", "agentsupport@humana.com", "arsos-routing",
            lambda: titled("arsos-routing", "out_agent_support")),
    Example("part of an e-mail address", "EmployerGroup@hum", "ec-employer-access",
            lambda: steps_saying("ec-employer-access", "EmployerGroup@humana.com")),
    Example("a web address's name", "careportal", "husky-provider-portal",
            lambda: steps_saying("husky-provider-portal", "careportal")),
    Example("a phone number's digits", "8776065172", "husky-provider-portal",
            lambda: steps_saying("husky-provider-portal", "1.877.606.5172")),
    Example("a phone number's beginning, with dashes", "1-800-4", "husky-provider-portal",
            lambda: steps_saying("husky-provider-portal", "1.800.440.5071")),
    Example("four digits from inside a number", "8004", "husky-provider-portal",
            lambda: steps_saying("husky-provider-portal", "1.800.440.5071")),
]
