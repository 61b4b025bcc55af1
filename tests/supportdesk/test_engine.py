from __future__ import annotations

import pytest

from supportdesk.engine import Action, Branch, Check, FlowError, FlowState, Outcome, land
from supportdesk.flowmap import mermaid
from tests.supportdesk.flows_for_tests import tiny_flow


def test_it_walks_through_checks_to_the_next_interactive_step():
    step, passed = land(tiny_flow(), "size", FlowState(answers={"count": {"employees": 40}}))
    assert step.key == "note"
    assert [(p.step.key, p.branch) for p in passed] == [("size", "small")]


def test_it_lands_on_an_action_without_producing_it():
    # Producing is the services' job: it may write, so it runs inside their transaction.
    step, passed = land(tiny_flow(), "size", FlowState(answers={"count": {"employees": 101}}))
    assert isinstance(step, Action)
    assert [p.step.key for p in passed] == ["size"]


def test_it_refuses_a_branch_the_check_does_not_declare():
    flow = tiny_flow(steps=(
        Check(key="c", title="C", decide=lambda s: "maybe", branches={"yes": Branch("Yes", "end")}),
        Outcome(key="end", title="End", disposition="answered"),
    ), start="c")
    with pytest.raises(FlowError, match="'maybe'"):
        land(flow, "c", FlowState())


def test_it_stops_a_cycle_of_checks():
    flow = tiny_flow(steps=(
        Check(key="c", title="C", decide=lambda s: "again", branches={"again": Branch("Again", "c"), "out": Branch("Out", "end")}),
        Outcome(key="end", title="End", disposition="answered"),
    ), start="c")
    with pytest.raises(FlowError, match="loops"):
        land(flow, "c", FlowState())


def test_it_draws_every_step_and_edge_as_mermaid():
    text = mermaid(tiny_flow())
    assert text.startswith("flowchart TD")
    assert 's_ask{"Big group?"}' in text
    assert 's_size{{"Size check"}}' in text
    assert 's_size -- "Over 100" --> s_mail' in text
    assert 's_done(["Done"])' in text
    assert "class s_ask start" in text


def test_it_escapes_quotes_in_mermaid_labels():
    flow = tiny_flow()
    object.__setattr__(flow.steps[0], "title", 'Say "hi"')
    assert 'Say #quot;hi#quot;' in mermaid(flow)


def test_it_draws_one_arrow_for_choices_that_share_a_target():
    from supportdesk.engine import Choice, Disposition, Outcome, Question

    flow = tiny_flow(steps=(
        Question(key="q", title="Q", choices=tuple(Choice(str(n), f"C{n}", "end") for n in range(5))),
        Outcome(key="end", title="End", disposition=Disposition.ANSWERED),
    ), start="q")
    assert mermaid(flow).count("s_q --") == 1
    assert 's_q -- "5 answers" --> s_end' in mermaid(flow)


def test_a_stored_answer_is_read_back_through_its_form_fields():
    import datetime as dt

    from django import forms

    from supportdesk.engine import FlowState

    class Answer(forms.Form):
        ticked = forms.BooleanField(required=False)
        never = forms.BooleanField(required=False)
        on = forms.DateField()
        people = forms.IntegerField()
        kinds = forms.MultipleChoiceField(choices=[("a", "A")], required=False)

    # As the case stores it: cleaned_data through JSON, plus a key the form's clean() added.
    state = FlowState(answers={"step": {"ticked": True, "on": "2026-12-07", "people": 40,
                                        "days": 3}})
    assert state.read("step", Answer) == {
        "ticked": True, "never": False, "on": dt.date(2026, 12, 7), "people": 40, "kinds": [],
        "days": 3,
    }
    assert state.read("unanswered", Answer)["never"] is False
