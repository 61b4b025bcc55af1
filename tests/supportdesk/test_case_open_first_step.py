"""A flow whose first step names the case's subject (a group step) has it asked on the start
form, with that step's own form, and answered as the case opens: in one transaction, through the
services, or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.urls import reverse

from supportdesk import services
from supportdesk.engine import Choice, Disposition, FormStep, Outcome, Question, registry
from supportdesk.models import AuditEntry, Case
from tests.supportdesk.flows_for_tests import tiny_flow

pytestmark = pytest.mark.django_db

KNOWN_GROUPS = {"824751"}


class SubjectForm(forms.Form):
    group_number = forms.CharField(label="Group number", max_length=8)

    def clean_group_number(self) -> str:
        number = self.cleaned_data["group_number"]
        if number not in KNOWN_GROUPS:
            raise forms.ValidationError(f"No group {number} here.")
        return number


def subject_flow(**subject_step: Any):
    return tiny_flow(key="subject-first", start="which", steps=(
        FormStep(key="which", title="Which group?", form_class=SubjectForm, next="ask",
                 **{"names_subject": True, **subject_step}),
        Question(key="ask", title="Big group?", choices=(Choice("yes", "Yes", next="done"),)),
        Outcome(key="done", title="Done", disposition=Disposition.ANSWERED),
    ))


@pytest.fixture
def flows(monkeypatch):
    def add(flow):
        monkeypatch.setattr(registry, "_flows", [*registry.all(), flow])
        return flow
    return add


def test_the_start_form_shows_the_first_steps_form_instead_of_the_group_fields(signed_in, flows):
    flows(subject_flow())
    html = signed_in.get(reverse("case_open", args=["subject-first"])).content.decode()
    assert 'name="which-group_number"' in html and 'name="group_number"' not in html
    assert "<legend>Which group?</legend>" in html


def test_a_first_step_that_does_not_name_the_subject_keeps_the_start_form(signed_in, flows):
    flow = flows(subject_flow(names_subject=False))
    assert flow.opening_form() is None
    html = signed_in.get(reverse("case_open", args=["subject-first"])).content.decode()
    assert 'name="group_number"' in html and "which-group_number" not in html


def test_a_refused_answer_saves_nothing(signed_in, flows):
    flows(subject_flow())
    response = signed_in.post(reverse("case_open", args=["subject-first"]),
                              {"caller_type": "agent", "which-group_number": "999999"})
    assert response.status_code == 200 and b"No group 999999 here." in response.content
    assert not Case.objects.exists() and not AuditEntry.objects.exists()


def test_an_accepted_answer_opens_the_case_on_the_next_step(signed_in, flows):
    flows(subject_flow())
    response = signed_in.post(reverse("case_open", args=["subject-first"]),
                              {"caller_type": "agent", "which-group_number": "824751"})
    case = Case.objects.get()
    assert response.status_code == 303
    assert (case.current_step, case.path, case.subject["group_number"]) == ("ask", ["which"], "824751")
    assert list(case.events.values_list("kind", "answer")) == [
        ("opened", "Caller: Agent, Group: 824751"), ("answer", "Group number: 824751")]


def test_the_service_refuses_the_whole_opening_when_the_answer_does_not_validate(specialist,
                                                                                flows):
    """The view checks first; should the data change in between, the service rolls back."""
    flow = flows(subject_flow())
    with pytest.raises(services.StepRefused, match="No group 123456 here"):
        services.case_open(flow=flow, user=specialist, caller_type="agent",
                           answer={"which-group_number": "123456"})
    assert not Case.objects.exists() and not AuditEntry.objects.exists()


def test_the_service_race_shows_on_the_start_form(signed_in, flows, monkeypatch):
    flows(subject_flow())
    original = SubjectForm.clean_group_number
    calls = []

    def second_time_refused(self):
        calls.append(1)
        if len(calls) > 1:  # the group went away between the view's check and the write
            raise forms.ValidationError("That group was just removed.")
        return original(self)

    monkeypatch.setattr(SubjectForm, "clean_group_number", second_time_refused)
    response = signed_in.post(reverse("case_open", args=["subject-first"]),
                              {"caller_type": "agent", "which-group_number": "824751"})
    assert response.status_code == 200
    assert b"The case was not opened: That group was just removed." in response.content
    assert not Case.objects.exists()
