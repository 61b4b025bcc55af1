from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from supportdesk import services
from supportdesk.engine import registry
from supportdesk.models import Case, CaseEvent
from tests.supportdesk.flows_for_tests import tiny_flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(monkeypatch):
    flow = tiny_flow()
    monkeypatch.setattr(registry, "_flows", [*registry.all(), flow])
    return flow


def kinds(case: Case) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


def test_it_opens_a_case_on_the_start_step(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist, subject={"group_number": "824751"})
    assert case.reference == f"SD-{case.pk:06d}"
    assert (case.status, case.current_step, case.flow_version) == ("open", "ask", 1)
    opened = case.events.get()
    assert opened.kind == "opened" and "Group: 824751" in opened.answer


def test_it_refuses_a_bad_group_number_and_saves_nothing(tiny, specialist):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.case_open(flow=tiny, user=specialist, subject={"group_number": "12ab"})
    assert not Case.objects.exists()


def test_it_records_the_answer_as_shown(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    result = services.case_answer(case=case, user=specialist, step_key="ask", data={"choice": "count"})
    assert result.ok and result.case.current_step == "count"
    event = result.case.events.last()
    assert (event.kind, event.step_key, event.answer, event.value) == ("answer", "ask", "Let me count", "count")
    assert event.shown.startswith("Big group?") and event.user == specialist


def test_it_refuses_a_choice_that_is_not_offered(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    with pytest.raises(services.StepRefused, match="Choose one"):
        services.case_answer(case=case, user=specialist, step_key="ask", data={"choice": "hack"})
    assert kinds(case) == ["opened"]


def test_it_refuses_an_answer_to_a_step_that_is_not_current(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    with pytest.raises(services.StepRefused, match="no longer the current one"):
        services.case_answer(case=case, user=specialist, step_key="count", data={"count-employees": "5"})
    case.refresh_from_db()
    assert case.current_step == "ask" and kinds(case) == ["opened"]


def test_it_returns_the_form_with_errors_and_writes_nothing(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    case = services.case_answer(case=case, user=specialist, step_key="ask", data={"choice": "count"}).case
    result = services.case_answer(case=case, user=specialist, step_key="count", data={"count-employees": "-3"})
    assert not result.ok and "employees" in result.form.errors
    case.refresh_from_db()
    assert case.current_step == "count" and "count" not in case.answers
    assert kinds(case) == ["opened", "answer"]


def test_it_runs_checks_and_actions_on_arrival(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    case = services.case_answer(case=case, user=specialist, step_key="ask", data={"choice": "count"}).case
    case = services.case_answer(case=case, user=specialist, step_key="count", data={"count-employees": "250"}).case
    assert case.current_step == "mail"
    check, action = case.events.order_by("seq")[3:5]
    assert (check.kind, check.answer, check.value) == ("check", "Over 100", "big")
    assert action.kind == "action" and action.artifact["to"] == "x@example.com"
    assert case.artifacts["mail"]["subject"] == "S"


def test_it_closes_the_case_on_an_outcome(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    case = services.case_answer(case=case, user=specialist, step_key="ask", data={"choice": "skip"}).case
    assert (case.status, case.disposition, case.outcome_key) == ("closed", "answered", "done")
    assert case.closed_at is not None and kinds(case)[-1] == "outcome"
    with pytest.raises(services.StepRefused, match="closed"):
        services.case_answer(case=case, user=specialist, step_key="done", data={})


def test_it_goes_back_keeping_what_was_typed(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    case = services.case_answer(case=case, user=specialist, step_key="ask", data={"choice": "count"}).case
    case = services.case_answer(case=case, user=specialist, step_key="count", data={"count-employees": "40"}).case
    assert case.current_step == "note"
    case = services.case_back(case=case, user=specialist)
    assert case.current_step == "count" and case.answers["count"] == {"employees": 40}
    case = services.case_back(case=case, user=specialist)
    assert case.current_step == "ask" and case.path == []
    with pytest.raises(services.StepRefused, match="first step"):
        services.case_back(case=case, user=specialist)
    # Nothing is deleted: every answer and both backs stay in the transcript.
    assert kinds(case) == ["opened", "answer", "answer", "check", "back", "back"]


def test_it_restarts_from_the_first_step(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    case = services.case_answer(case=case, user=specialist, step_key="ask", data={"choice": "count"}).case
    case = services.case_restart(case=case, user=specialist)
    assert (case.current_step, case.path, case.answers) == ("ask", [], {})
    assert kinds(case) == ["opened", "answer", "restart"]


def test_it_offers_a_restart_when_the_flow_lost_the_current_step(tiny, specialist, monkeypatch):
    case = services.case_open(flow=tiny, user=specialist)
    Case.objects.filter(pk=case.pk).update(current_step="removed_step")
    case.refresh_from_db()
    assert services.current_step(case) is None
    with pytest.raises(services.StepRefused, match="Restart"):
        services.case_answer(case=case, user=specialist, step_key="removed_step", data={})
    assert services.case_restart(case=case, user=specialist).current_step == "ask"


def test_it_refuses_to_update_or_delete_an_event(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    event = case.events.get()
    event.answer = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        CaseEvent.objects.filter(pk=event.pk).update(answer="rewritten")
    with pytest.raises(TypeError, match="append-only"):
        CaseEvent.objects.all().delete()


@pytest.mark.parametrize("sql", [
    "UPDATE supportdesk_caseevent SET answer = 'rewritten'",
    "DELETE FROM supportdesk_caseevent",
])
def test_it_refuses_raw_sql_rewrites_in_the_database(tiny, specialist, sql):
    case = services.case_open(flow=tiny, user=specialist)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert case.events.get().answer.startswith("Caller")


def test_it_refuses_a_closed_case_without_disposition_in_the_database(tiny, specialist):
    case = services.case_open(flow=tiny, user=specialist)
    with pytest.raises(IntegrityError, match="case_closed_has_disposition"), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status="closed")


@pytest.mark.parametrize("write", [
    lambda case, user: services.case_answer(case=case, user=user, step_key="ask", data={"choice": "yes"}),
    lambda case, user: services.case_back(case=case, user=user),
    lambda case, user: services.case_restart(case=case, user=user),
], ids=["answer", "back", "restart"])
def test_it_lets_only_the_specialist_who_opened_a_case_work_it(tiny, specialist, other_specialist, write):
    case = services.case_open(flow=tiny, user=specialist)
    before = kinds(case)
    with pytest.raises(Case.DoesNotExist):
        write(case, other_specialist)
    assert kinds(case) == before
    case.refresh_from_db()
    assert case.current_step == "ask"
