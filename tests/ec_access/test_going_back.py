"""Back and Restart past the steps that queue an EC request: the request is withdrawn while
nobody has claimed it, refused (naming who has it) once Access Management does; and a case
changed after its outcome is counted once, at its final disposition."""

from __future__ import annotations

import datetime as dt

import pytest

from ec_access import services as ec
from ec_access.models import ECRequest
from supportdesk import insights, services
from tests.ec_access.make import make_eligible_group
from tests.factories import make_case

pytestmark = pytest.mark.django_db
FLOW = "ec-employer-access"


def queue_standard(specialist, capture, *more):
    group, _ = make_eligible_group()
    with capture(execute=True):
        case = make_case(specialist, FLOW, [
            ("group", {"group-group_number": group.group_number}), ("run_report", {}),
            ("expedite", {"choice": "standard"}), *more])
    case.refresh_from_db()
    return case, ECRequest.objects.get()


def back(case, user, capture=None):
    if capture is None:
        return services.case_back(case=case, user=user)
    with capture(execute=True):
        return services.case_back(case=case, user=user)


def test_back_withdraws_the_unclaimed_request_and_the_case_can_end_expedited(
    specialist, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    case, request = queue_standard(specialist, capture)
    assert case.current_step == "request_email" and "request_email" in case.artifacts
    mailoutbox.clear()

    case = back(case, specialist, capture)
    request.refresh_from_db()
    assert (case.current_step, request.state) == ("expedite", "withdrawn")
    assert list(request.events.values_list("kind", flat=True)) == ["created", "withdrawn"]
    assert "request_email" not in case.artifacts  # the case is its current path
    [email] = mailoutbox
    assert email.to == ["EmployerGroup@humana.com"] and email.subject.startswith("Withdrawn: ")
    assert f"Withdrew EC request #{request.pk}" in case.events.last().answer

    with capture(execute=True):
        case = services.case_answer(case=case, user=specialist, step_key="expedite",
                                    data={"choice": "expedited"}).case
    expedited = ECRequest.objects.exclude(pk=request.pk).get()
    assert (case.current_step, expedited.expedited, expedited.state) == (
        "request_incident", True, "queued")
    for step in ("request_incident", "call_access_management"):
        case = services.case_answer(case=case, user=specialist, step_key=step, data={}).case
    assert (case.outcome_key, sorted(case.artifacts)) == ("out_request_expedited",
                                                          ["request_incident"])


def test_back_from_the_wait_then_past_the_e_mail_withdraws_it(
    specialist, django_capture_on_commit_callbacks
):
    case, request = queue_standard(specialist, django_capture_on_commit_callbacks,
                                   ("request_email", {}))
    assert case.status == "waiting"
    case = back(case, specialist)
    assert (case.status, case.current_step) == ("open", "request_email")
    request.refresh_from_db()
    assert request.state == "queued"  # landing back on the e-mail step does not send it again
    case = back(case, specialist)
    request.refresh_from_db()
    assert (case.current_step, request.state) == ("expedite", "withdrawn")


@pytest.mark.parametrize("undo", ["back", "restart"])
def test_it_refuses_to_undo_a_request_access_management_has_claimed(
    specialist, access_user, django_capture_on_commit_callbacks, undo
):
    case, request = queue_standard(specialist, django_capture_on_commit_callbacks)
    ec.ec_request_claim(request_id=request.pk, user=access_user)
    events = case.events.count()
    with pytest.raises(services.StepRefused, match=rf"EC request #{request.pk} .* was claimed by"):
        getattr(services, f"case_{undo}")(case=case, user=specialist)
    case.refresh_from_db()
    request.refresh_from_db()
    assert (case.current_step, request.state, case.events.count()) == (
        "request_email", "claimed", events)


def test_it_refuses_to_undo_a_granted_request(specialist, access_user,
                                             django_capture_on_commit_callbacks):
    case, request = queue_standard(specialist, django_capture_on_commit_callbacks)
    ec.ec_request_claim(request_id=request.pk, user=access_user)
    ec.ec_request_grant(request_id=request.pk, user=access_user)
    with pytest.raises(services.StepRefused, match="was granted on Wed Nov 18, 2026"):
        services.case_back(case=case, user=specialist)


def test_a_rejected_request_needs_no_undo(specialist, access_user,
                                         django_capture_on_commit_callbacks):
    case, request = queue_standard(specialist, django_capture_on_commit_callbacks)
    ec.ec_request_claim(request_id=request.pk, user=access_user)
    ec.ec_request_reject(request_id=request.pk, user=access_user, reason="duplicate", note="")
    case = services.case_back(case=case, user=specialist)
    request.refresh_from_db()
    assert (case.current_step, request.state) == ("expedite", "rejected")


def test_restart_withdraws_the_request_too(specialist, django_capture_on_commit_callbacks):
    case, request = queue_standard(specialist, django_capture_on_commit_callbacks,
                                   ("request_email", {}))
    case = services.case_restart(case=case, user=specialist)
    request.refresh_from_db()
    assert (case.current_step, case.status, request.state) == ("group", "open", "withdrawn")
    assert (case.answers, case.artifacts) == ({}, {})


def test_changing_the_last_answer_after_the_outcome_counts_the_final_disposition_once(
    specialist, on_day, django_capture_on_commit_callbacks
):
    period = insights.Period(dt.date(2026, 11, 18), dt.date(2026, 11, 18))
    case, request = queue_standard(specialist, django_capture_on_commit_callbacks)
    # Expedited by mistake... no: the specialist sent it standard, then the caller says it is
    # urgent after all. From the wait, back past the e-mail, choose expedited, end.
    for step in ("request_email",):
        case = services.case_answer(case=case, user=specialist, step_key=step, data={}).case
    case = back(back(case, specialist), specialist)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_answer(case=case, user=specialist, step_key="expedite",
                                    data={"choice": "expedited"}).case
    for step in ("request_incident", "call_access_management"):
        case = services.case_answer(case=case, user=specialist, step_key=step, data={}).case
    assert case.disposition == "request_queued"
    before = insights.overview(period), insights.dispositions(period)
    assert (before[0]["finished"], before[0]["reopened"]) == (1, 0)
    assert [(d["key"], d["count"]) for d in before[1]] == [("request_queued", 1)]
    closed_at = case.closed_at

    # The wrong outcome: back from it reopens the case.
    case = back(case, specialist)
    assert (case.status, case.disposition, case.closed_at, case.reopen_count) == (
        "open", "", None, 1)
    assert case.events.filter(kind="reopened").count() == 1
    assert "Reopened after the outcome “Expedited request with Access Management”" in (
        case.events.get(kind="reopened").answer)
    during = insights.overview(period)
    assert (during["finished"], during["open"], during["reopened"]) == (0, 1, 1)

    case = services.case_answer(case=case, user=specialist, step_key="call_access_management",
                                data={}).case
    after = insights.overview(period), insights.dispositions(period)
    assert (after[0]["started"], after[0]["finished"], after[0]["reopened"]) == (1, 1, 1)
    assert [(d["key"], d["count"]) for d in after[1]] == [("request_queued", 1)]
    assert case.closed_at >= closed_at  # the handle time runs to the final outcome
