from __future__ import annotations

import enum
from typing import Literal

from django.core.management import call_command

from supportdesk import checks
from supportdesk.engine import (
    Branch,
    Check,
    Choice,
    Disposition,
    FlowState,
    Instruction,
    Outcome,
    Question,
    registry,
)
from tests.supportdesk.flows_for_tests import tiny_flow


def ids(flow_or_flows) -> list[str]:
    flows = flow_or_flows if isinstance(flow_or_flows, list) else [flow_or_flows]
    return [error.id for error in checks.check_flow_list(flows)]


def test_it_accepts_a_sound_flow():
    assert ids(tiny_flow()) == []


def test_it_accepts_every_registered_flow():
    assert registry.all(), "no flows registered"
    assert checks.check_flow_list(registry.all()) == []
    call_command("check")  # raises SystemCheckError on any error


def test_it_rejects_a_duplicate_step_key():
    flow = tiny_flow(steps=(
        Instruction(key="a", title="A", next="end"),
        Instruction(key="a", title="A again", next="end"),
        Outcome(key="end", title="End", disposition=Disposition.ANSWERED),
    ), start="a")
    errors = checks.check_flow_list([flow])
    assert [e.id for e in errors] == [checks.DUPLICATE_STEP]
    assert "'tiny'" in errors[0].msg and "'a'" in errors[0].msg


def test_it_rejects_an_unknown_target():
    flow = tiny_flow(steps=(
        Instruction(key="a", title="A", next="nowhere"),
        Outcome(key="end", title="End", disposition=Disposition.ANSWERED),
    ), start="a")
    errors = checks.check_flow_list([flow])
    assert checks.UNKNOWN_TARGET in [e.id for e in errors]
    assert any("'nowhere'" in e.msg and "'a'" in e.msg for e in errors)


def test_it_rejects_an_unknown_start():
    assert checks.UNKNOWN_TARGET in ids(tiny_flow(start="missing"))


def test_it_rejects_an_unreachable_step():
    flow = tiny_flow(steps=(
        Instruction(key="a", title="A", next="end"),
        Instruction(key="orphan", title="Orphan", next="end"),
        Outcome(key="end", title="End", disposition=Disposition.ANSWERED),
    ), start="a")
    errors = checks.check_flow_list([flow])
    assert [e.id for e in errors] == [checks.UNREACHABLE_STEP]
    assert "'orphan'" in errors[0].msg


def test_it_rejects_a_loop_that_never_ends():
    flow = tiny_flow(steps=(
        Question(key="a", title="A", choices=(Choice("x", "X", "b"), Choice("y", "Y", "end"))),
        Instruction(key="b", title="B", next="c"),
        Instruction(key="c", title="C", next="b"),
        Outcome(key="end", title="End", disposition=Disposition.ANSWERED),
    ), start="a")
    errors = checks.check_flow_list([flow])
    assert sorted(e.id for e in errors) == [checks.NO_OUTCOME, checks.NO_OUTCOME]
    assert {"'b'", "'c'"} == {e.msg.split("step ")[1].split(" ")[0] for e in errors}


def test_it_accepts_a_loop_with_a_way_out():
    flow = tiny_flow(steps=(
        Question(key="a", title="A", choices=(Choice("again", "Again", "a"), Choice("y", "Y", "end"))),
        Outcome(key="end", title="End", disposition=Disposition.ANSWERED),
    ), start="a")
    assert ids(flow) == []


def test_it_rejects_a_question_without_choices():
    flow = tiny_flow(steps=(
        Question(key="a", title="A", choices=()),
        Outcome(key="end", title="End", disposition=Disposition.ANSWERED),
    ), start="a")
    assert checks.STEP_PROBLEM in ids(flow)


def test_it_rejects_a_flow_registered_twice():
    assert checks.DUPLICATE_FLOW in ids([tiny_flow(), tiny_flow()])


# --- a check declares its branch keys once --------------------------------------------------


class Answer(enum.StrEnum):
    YES = "yes"
    NO = "no"


def decide_literal(state: FlowState) -> Literal["yes", "no"]:
    return "yes"


def decide_enum(state: FlowState) -> Answer:
    return Answer.YES


def decide_str(state: FlowState) -> str:
    return "yes"


def decide_forgets_one(state: FlowState) -> Literal["yes"]:
    return "yes" if state.answers else "maybe"  # "maybe" is not in the annotation


def check_flow_with(decide, branches=("yes", "no")):
    return tiny_flow(steps=(
        Check(key="c", title="C", decide=decide,
              branches={key: Branch(key.title(), "end") for key in branches}),
        Outcome(key="end", title="End", disposition=Disposition.ANSWERED),
    ), start="c")


def test_it_accepts_a_check_whose_declared_keys_are_all_branches():
    assert ids(check_flow_with(decide_literal)) == []
    assert ids(check_flow_with(decide_enum)) == []


def test_it_refuses_a_check_that_can_return_a_key_it_has_no_branch_for():
    for decide in (decide_literal, decide_enum):
        errors = checks.check_flow_list([check_flow_with(decide, branches=("yes",))])
        assert [e.id for e in errors] == [checks.STEP_PROBLEM]
        assert "can return ['no']" in errors[0].msg


def test_it_refuses_a_check_that_does_not_declare_its_keys():
    for decide in (decide_str, lambda state: "yes"):
        errors = checks.check_flow_list([check_flow_with(decide)])
        assert [e.id for e in errors] == [checks.STEP_PROBLEM]
        assert "does not declare the branch keys" in errors[0].msg


def test_it_refuses_a_literal_the_body_returns_but_the_annotation_forgot():
    errors = checks.check_flow_list([check_flow_with(decide_forgets_one)])
    assert [e.id for e in errors] == [checks.STEP_PROBLEM]
    assert "can return ['maybe']" in errors[0].msg
