"""Every FormStep of every flow, answered anything through supportdesk.services.case_answer (the
only write path for cases): an AnswerResult (answered, or the form with its errors) or
StepRefused, and either the whole answer is written or nothing is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supportdesk import services
from tests.robustness.forms_under_test import form_steps
from tests.robustness.strategies import FUZZ_FEW, as_query, form_data
from tests.robustness.test_flow_steps_via_views import HINTS
from tests.robustness.walk import answered_or_untouched, snapshot

pytestmark = pytest.mark.django_db

STEPS = form_steps()


@pytest.mark.parametrize("flow,step", STEPS, ids=[f"{f.key}.{s.key}" for f, s in STEPS])
@FUZZ_FEW
@given(data=st.data())
def test_it_answers_any_data_with_a_result_or_a_refusal(specialist, case_on_step, flow, step,
                                                       data):
    # The data as request.POST holds it: decoded from UTF-8, so without lone surrogates.
    payload = data.draw(form_data(step.form_class, prefix=step.key, http=True, hints=HINTS),
                        label="data")
    case = case_on_step(flow, step.key)
    before = snapshot(case)
    try:
        result = services.case_answer(case=case, user=specialist, step_key=step.key,
                                      data=as_query(payload))
    except services.StepRefused as refused:
        assert str(refused).strip()
        assert not answered_or_untouched(case, step.key, before)
        return
    if result.ok:
        assert answered_or_untouched(case, step.key, before)
    else:
        assert result.form.errors
        assert not answered_or_untouched(case, step.key, before)
