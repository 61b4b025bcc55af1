"""Every form, fed anything: arbitrary and 100 kB strings, unicode (NUL, bidi controls, other
scripts' digits), dates from year 1 to 9999 and beyond, numbers past 64 bits, missing fields,
unexpected keys. A form answers with a verdict, never an exception: either clear messages, or
cleaned data that the database can hold (no NUL) and that a case can keep as JSON.

Lone surrogates are left out here on purpose: every form is bound to request data (Django decodes
it as UTF-8, replacing what is not) or to the cells of a UTF-8 CSV or an XLSX file, so none can
reach one. (The services' tests pass them by hand and check the write is refused whole.)"""

from __future__ import annotations

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import given
from hypothesis import strategies as st

from supportdesk.services import describe_form_answer
from tests.robustness.forms_under_test import all_forms, form_steps
from tests.robustness.strategies import FUZZ, NUL, as_query, form_data, strings_in

pytestmark = pytest.mark.django_db

FORMS = all_forms()
STEP_FORMS = {step.form_class for _, step in form_steps()}


def test_it_finds_every_form_of_every_app():
    names = {form.form_class.__name__ for form in FORMS}
    # One known form per place the discovery looks, so a broken discovery cannot pass quietly.
    assert {
        "CaseOpenForm", "CaseFilterForm", "CaseReviewForm", "DashboardForm",  # supportdesk
        "GroupForm", "RejectForm", "QueueFilterForm", "GroupRowForm", "SLApplicationAdminForm",
        "EscalationForm", "LifecycleForm", "EscalateForm", "SosCallForm", "MailboxLineForm",
        "MemberCheckForm", "SharingForm", "CatalogSearchForm",  # husky
        "ConnectionRequestForm", "MemberChangeForm", "MemberChangeFlowForm",  # noyo
    } <= names
    assert len(STEP_FORMS) >= 10  # every FormStep of every flow, the HUSKY per-report cuts included


def error_messages(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


@pytest.mark.parametrize("under_test", FORMS, ids=lambda form: form.id)
@FUZZ
@given(data=st.data())
def test_it_answers_any_input_with_messages_or_storable_data(under_test, data):
    payload = data.draw(form_data(under_test.form_class, http=True,
                                  init_kwargs=under_test.init_kwargs))
    form = under_test.form_class(as_query(payload), **under_test.init_kwargs)

    if not form.is_valid():
        messages = error_messages(form)
        assert messages, "an invalid form must say why"
        assert all(isinstance(m, str) and m.strip() for m in messages)
        return
    cleaned = form.cleaned_data
    assert not [s for s in strings_in(cleaned) if NUL in s], "NUL would crash a PostgreSQL text column"
    if under_test.form_class in STEP_FORMS:
        # What case_answer keeps: the JSON answer and the transcript's "Label: value" lines.
        json.dumps(cleaned, cls=DjangoJSONEncoder)
        assert isinstance(describe_form_answer(form), str)


@pytest.mark.parametrize("under_test", FORMS, ids=lambda form: form.id)
def test_it_says_what_is_missing_when_nothing_is_sent(under_test):
    form = under_test.form_class({}, **under_test.init_kwargs)
    required = [name for name, field in form.fields.items() if field.required]
    form.is_valid()
    for name in required:
        assert form.errors.get(name), f"{name} is required: the form must say so"
