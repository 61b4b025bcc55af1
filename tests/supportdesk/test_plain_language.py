"""Words users read: every page, as every role, says no "seed", no flow or step key and no
developer's note (STYLE.md rule 12).

The pages are found by walking the URL conf (as test_access.py does), on data like the demo's:
a case standing on every step of every flow (walked for real, tests/robustness/walk.py), an EC
request, an ARSOS escalation, a Noyo connection, and the HUSKY catalog its migrations fill.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ec_access.queries import bf_report
from supportdesk.engine import Check, FlowState, FormStep, Question, StepRefused, registry
from supportdesk.models import Case
from tests.agent_rsos.make import make_draft
from tests.ec_access.make import make_eligible_group, make_group, make_product, make_request, make_sl_app
from tests.factories import make_case
from tests.noyo_sync.make import request_connection
from tests.robustness import walk
from tests.robustness.walk import GRANTED_GROUP_NUMBER, GROUP_NUMBER
from tests.supportdesk.test_access import SAMPLES_BY_CONVERTER, concrete_url, walk_urlconf

pytestmark = pytest.mark.django_db

SEED = re.compile(r"\bseeds?\b", re.IGNORECASE)
# What developers say and users must not read: the engine's, the code's and the notes' words.
DEVELOPER_PHRASES = re.compile(
    "|".join((
        r"\bthe two disagree\b",
        r"\bSupportDesk follows\b",
        r"\bmanage\.py\b",
        r"\ban pseudo\b",
        r"\bCelery\b",
        r"\bflow key\b",
        r"\bstep key\b",
        r"\bTODO\b",
        r"\bFIXME\b",
    )),
    re.IGNORECASE,
)


def _key_pattern(keys: set[str]) -> re.Pattern[str]:
    # A whole word: not part of a longer key, a path or an address.
    alternatives = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![\w./@-])(?:{alternatives})(?![\w/@-]|\.\w)")


FLOW_KEYS = _key_pattern({flow.key for flow in registry.all()})
# Step keys that are plain words ("group", "need") may be read; one with an underscore is a key.
STEP_KEYS = _key_pattern({step.key for flow in registry.all() for step in flow.steps
                          if "_" in step.key})


class _VisibleText(HTMLParser):
    """The text a reader sees: no <script>, <style> or <template>, no attribute values, and no
    Mermaid source (<pre class="mermaid">: the browser draws it, showing the step titles; its
    node ids, the step keys, are never shown)."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[bool] = []  # per open hidden-capable element: does it hide its text?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN or tag == "pre":
            classes = (dict(attrs).get("class") or "").split()
            self._open.append(tag in self.HIDDEN or "mermaid" in classes)

    def handle_endtag(self, tag: str) -> None:
        if (tag in self.HIDDEN or tag == "pre") and self._open:
            self._open.pop()

    @property
    def _hidden(self) -> bool:
        return any(self._open)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def jargon(text: str) -> list[str]:
    """Each offending word with a little of the text around it."""
    found = []
    for pattern in (SEED, FLOW_KEYS, STEP_KEYS, DEVELOPER_PHRASES):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 60), match.end() + 60
            found.append(f"{match.group(0)!r} in …{text[start:end]}…")
    return found


# --- The data the pages show ----------------------------------------------------------------


# Valid answers for the form steps on the way (tests/robustness/walk.py's, and Noyo's rejections).
VALID = {
    **walk.VALID,
    "prerequisites": [*walk.VALID["prerequisites"], {}],
    "plans": [*walk.VALID["plans"], {"plans-unsupported": ["dental_hmo"]}],
    "change": [
        {"change-transaction": "new_hire", "change-submitted_on": "2025-02-02",
         "change-coverage_start": "2025-01-01"},
        {"change-transaction": "end_date_change"},
        {"change-transaction": "new_hire", "change-submitted_on": "2025-02-01",
         "change-coverage_start": "2025-01-01"},
    ],
}
MAX_CASES_PER_FLOW = 120


def _options(step: Any) -> list[dict[str, str]]:
    if isinstance(step, Question):
        return [{"choice": choice.value} for choice in step.choices]
    if isinstance(step, FormStep):
        return VALID.get(step.key, [])
    return [{}]  # an instruction, an action or a wait: continue


def _walk_every_step(user: Any) -> dict[tuple[str, str], Case]:
    """For every flow, a case standing on each step a specialist reaches with VALID's answers,
    walked for real through tests.factories.make_case (checks are passed through, never stood
    on; a case on an outcome is closed). One breadth-first search per flow: each case found
    on a new step is kept, and its answers extended by one step."""
    cases: dict[tuple[str, str], Case] = {}
    for flow in registry.all():
        queue: deque[list[tuple[str, dict[str, str]]]] = deque([[]])
        made = 0
        while queue and made < MAX_CASES_PER_FLOW:
            answers = queue.popleft()
            made += 1
            try:
                case = make_case(user, flow.key, answers)
            except (AssertionError, StepRefused):
                continue  # an answer this path refuses
            if (flow.key, case.current_step) in cases:
                continue
            cases[(flow.key, case.current_step)] = case
            if case.is_open:
                step = flow.step(case.current_step)
                queue.extend([*answers, (step.key, option)] for option in _options(step))
        walked = [case for (key, _), case in cases.items() if key == flow.key]
        assert any(case.is_open for case in walked), f"no case of {flow.key} stands on a step"
        assert any(not case.is_open for case in walked), f"no case of {flow.key} has an outcome"
    return cases


@pytest.fixture
def world(specialist, settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"  # nothing listens: Noyo is out
    # tests/robustness/walk.py's groups: the seed's sample group and one with the EC granted.
    make_eligible_group(group_number=GROUP_NUMBER)
    granted = make_group(GRANTED_GROUP_NUMBER, ec_number="2288441")
    make_product(granted, "medical", includes_go365=True)
    functions = tuple(bf_report(granted, timezone.localdate()).business_functions)
    make_sl_app(granted, ec_identifier="2288441", functions=functions)
    cases = _walk_every_step(specialist)
    return {
        "cases": cases,
        "ec_request": make_request(),
        "escalation": make_draft(specialist),
        "connection": request_connection(specialist, "989102", send=False),
        "group_number": GROUP_NUMBER,
    }


def _urls(world: dict[str, Any]) -> list[str]:
    """Every GET-able page of the app once, and each page about a case, flow or record once per
    case, flow or record the world holds."""
    case = next(iter(world["cases"].values()))
    samples = {**SAMPLES_BY_CONVERTER, "ref": case.reference}
    per_object = {
        "case_open": [reverse("case_open", args=[f.key]) for f in registry.all()],
        "flow_map": [reverse("flow_map", args=[f.key]) for f in registry.all()],
        "case_resume": [reverse("case_resume", args=[c.reference]) for c in world["cases"].values()],
        "case_step": [reverse("case_step", args=[c.reference, c.current_step])
                      for c in world["cases"].values()],
        "step_feedback": [reverse("step_feedback", args=[c.reference, c.current_step])
                          for c in world["cases"].values()],
        "supervisor_case": [reverse("supervisor_case", args=[c.reference])
                            for c in world["cases"].values()],
        "ec_bf_report": [reverse("ec_bf_report", args=[world["group_number"]])],
        "ec_request": [reverse("ec_request", args=[world["ec_request"].pk])],
        "arsos_escalation": [reverse("arsos_escalation", args=[world["escalation"].pk])],
        "noyo_connection": [reverse("noyo_connection", args=[world["connection"].pk])],
    }
    urls = []
    for route in walk_urlconf():
        if route.in_admin:
            continue
        if route.name in per_object:
            urls.extend(per_object[route.name])
            continue
        try:
            urls.append(concrete_url(route, samples))
        except AssertionError:
            continue  # a page that needs a record this world does not hold
    return urls


def test_it_shows_no_jargon_on_any_page_to_any_role(specialist, access_user, supervisor, world):
    """Every GET-able page (the admin's aside) as each role; the pages a role may not open
    answer 403 or 404 and are skipped, as are files (CSV, PDF, spreadsheets, e-mails)."""
    urls = _urls(world)
    offending = []
    read = {}
    for user in (specialist, access_user, supervisor):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        read[user.username] = 0
        for url in urls:
            response = client.get(url)
            if user == specialist and "/step/" in url:
                assert response.status_code == 200, f"{url}: {response.status_code}"
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            read[user.username] += 1
            text = visible_text(response.content.decode())
            offending.extend(f"{user.username} {url}: {hit}" for hit in jargon(text))
    assert all(n >= 5 for n in read.values()), f"the walk must read pages, or it proves nothing: {read}"
    steps = sum(1 for url in urls if "/step/" in url)
    assert read["specialist"] >= steps > 20, "a page for every step a case stands on"
    assert not offending, "Jargon where users read:\n" + "\n".join(dict.fromkeys(offending))


def _texts(step: Any) -> list[str]:
    texts = [step.title, step.note, step.source, *step.items, *step.procedure, *step.menu_path]
    if callable(step.text):
        # A text that needs a case's data is read on its page.
        with contextlib.suppress(Exception):
            texts.append(step.render_text(FlowState()))
    else:
        texts.append(step.text)
    if isinstance(step, Question):
        texts.extend(text for choice in step.choices for text in (choice.label, choice.help))
    if isinstance(step, Check):
        texts.extend(branch.label for branch in step.branches.values())
    for name in ("continue_label", "submit_label", "resume_label", "follow_on_label"):
        texts.append(getattr(step, name, ""))
    return texts


def test_no_flow_says_seed_or_a_key_in_its_texts():
    offending = []
    for flow in registry.all():
        for text in (flow.title, flow.summary, flow.source):
            offending.extend(f"{flow.key}: {hit}" for hit in jargon(text))
        for step in flow.steps:
            for text in _texts(step):
                offending.extend(f"{flow.key}.{step.key}: {hit}" for hit in jargon(text or ""))
    assert not offending, "Jargon in the flows' texts:\n" + "\n".join(offending)


def test_the_jargon_check_can_fail():
    page = ("<p>Source: Seed 004, Humana</p><script>var seed = 1</script><a title='seed'>x</a>"
            "<pre class='mermaid'>sale_stage --> seed</pre><pre>y</pre>")
    assert visible_text(page) == "Source: Seed 004, Humana x y"
    assert jargon(visible_text(page))
    assert jargon("Open arsos-routing now") and jargon("on sale_stage")
    assert not jargon("Open the routing flow; email agentsupport@humana.com; seedless")
