"""Reach any step of any flow the way a specialist would: a breadth-first search over the answers,
each candidate walked for real through supportdesk.services (checks decide on real data), so
the tests put cases on a step with the answers that really lead there."""

from __future__ import annotations

from collections import deque
from typing import Any

from django.db.models import Max

from agent_rsos.models import Escalation
from ec_access.models import ECRequest
from noyo_sync.models import GroupConnection
from supportdesk import services
from supportdesk.engine import Flow, FormStep, Question
from supportdesk.models import Case, CaseEvent

GROUP_NUMBER = "824751"  # the ec_group fixture of tests/robustness/conftest.py
GRANTED_GROUP_NUMBER = "735190"  # the same fixture's group with the EC and its BFs granted

# Valid answers for the form steps met on the way to another step.
VALID: dict[str, list[dict[str, str]]] = {
    "group": [{"group-group_number": GROUP_NUMBER}, {"group-group_number": GRANTED_GROUP_NUMBER}],
    "sos_criteria": [{}],
    "mailbox_line": [{"mailbox_line-medicare": "on"}],
    "prerequisites": [{"prerequisites-census_file_sent": "on",
                       "prerequisites-group_number_issued": "on"}],
    "plans": [{}],
    "connection": [{"connection-group_number": GROUP_NUMBER,
                    "connection-carrier_group_id": "989101", "connection-people": "40"}],
    "delegations": [{}],
}
MAX_WALKS = 400

Answers = list[tuple[str, dict[str, str]]]
_found: dict[tuple[str, str], Answers] = {}
_standing: dict[tuple[str, str], tuple[dict[str, Any], list[str]]] = {}


def _replay(user: Any, flow: Flow, answers: Answers) -> Case | None:
    case = services.case_open(flow=flow, user=user)
    for step_key, data in answers:
        try:
            result = services.case_answer(case=case, user=user, step_key=step_key, data=data)
        except services.StepRefused:
            return None
        if not result.ok:
            return None
        case = result.case
    return case


def _options(step: Any) -> list[dict[str, str]]:
    if isinstance(step, Question):
        return [{"choice": choice.value} for choice in step.choices]
    if isinstance(step, FormStep):
        return VALID.get(step.key, [])
    return [{}]  # an instruction or an action: continue


def steps_leading_to(user: Any, flow: Flow, target: str) -> Answers:
    """The (step key, POST data) a specialist sends to reach ``target``; found once per run."""
    if (flow.key, target) in _found:
        return _found[(flow.key, target)]
    queue: deque[Answers] = deque([[]])
    seen: set[str] = set()
    for _ in range(MAX_WALKS):
        if not queue:
            break
        answers = queue.popleft()
        case = _replay(user, flow, answers)
        if case is None or case.current_step in seen:
            continue
        if case.current_step == target:
            _found[(flow.key, target)] = answers
            return answers
        seen.add(case.current_step)
        if case.is_open:
            step = flow.step(case.current_step)
            queue.extend([*answers, (step.key, option)] for option in _options(step))
    raise AssertionError(f"No walk reaches {flow.key}.{target}: add its way to VALID")


def answers_leading_to(user: Any, flow: Flow, target: str) -> tuple[dict[str, Any], list[str]]:
    """(answers, path) of a case standing on ``target``, walked for real once per run."""
    if (flow.key, target) not in _standing:
        case = _replay(user, flow, steps_leading_to(user, flow, target))
        assert case is not None and case.current_step == target
        _standing[(flow.key, target)] = (case.answers, case.path)
    return _standing[(flow.key, target)]


def snapshot(case: Case) -> dict[str, Any]:
    """What answering a step may write: the case, its transcript, and the records actions make."""
    return {
        "events": CaseEvent.objects.filter(case=case).count(),
        "last_seq": CaseEvent.objects.filter(case=case).aggregate(last=Max("seq"))["last"],
        "escalations": Escalation.objects.count(),
        "ec_requests": ECRequest.objects.count(),
        "connections": GroupConnection.objects.count(),
        "answers": case.answers,
        "path": case.path,
        "step": case.current_step,
    }


def answered_or_untouched(case: Case, step_key: str, before: dict[str, Any]) -> bool:
    """True when the step was answered (one answer event, the case moved on); False when nothing
    at all changed. Anything in between is a half-saved answer and fails."""
    case.refresh_from_db()
    after = snapshot(case)
    if case.path == before["path"]:
        assert after == before, "a refused or invalid answer must write nothing"
        return False
    assert case.path == [*before["path"], step_key] and step_key in case.answers
    assert after["events"] > before["events"]
    answer = CaseEvent.objects.filter(case=case, kind="answer", step_key=step_key).latest("seq")
    assert answer.seq > before["last_seq"] and "\x00" not in answer.answer
    return True
