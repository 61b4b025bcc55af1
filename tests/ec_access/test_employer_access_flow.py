"""Flow 1, verify or request an employer's EC access: one test per outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from ec_access.models import ECRequest
from supportdesk import clock, services
from supportdesk.engine import registry
from tests.ec_access.make import make_eligible_group, make_group, make_product, make_sl_app
from tests.factories import make_case

pytestmark = pytest.mark.django_db
FLOW = "ec-employer-access"


def run(user, group_number, *more, sl_app_number=""):
    answers = [("group", {"group-group_number": group_number, "group-sl_app_number": sl_app_number})]
    return make_case(user, FLOW, [*answers, *more])


def outcome(case) -> str:
    case.refresh_from_db()
    assert not case.is_open
    return case.outcome_key


def shown(case) -> str:
    return case.events.get(kind="outcome").shown


def checks(case) -> list[tuple[str, str]]:
    return list(case.events.filter(kind="check").values_list("step_key", "value"))


def test_it_refuses_an_unknown_group_and_stays_on_the_step(specialist):
    case = make_case(specialist, FLOW)
    result = services.case_answer(case=case, user=specialist, step_key="group",
                                  data={"group-group_number": "999999"})
    assert not result.ok
    assert "No employer group 999999" in result.form.errors["group_number"][0]


def test_it_refuses_an_agency_sl_app(specialist, on_day):
    group, _ = make_eligible_group()
    agency = make_sl_app(None, "agency")
    case = make_case(specialist, FLOW)
    result = services.case_answer(case=case, user=specialist, step_key="group", data={
        "group-group_number": group.group_number, "group-sl_app_number": agency.sl_app_number})
    assert "Do NOT add EC Identifiers to Agent SL applications" in result.form.errors["sl_app_number"][0]


def test_it_ends_without_an_active_medical_or_go365_product(specialist, on_day):
    group = make_group()
    make_product(group, "dental")
    make_product(group, "medical", active_from=dt.date(2020, 1, 1), active_to=dt.date(2023, 12, 31))
    make_sl_app(group)
    case = run(specialist, group.group_number)
    assert outcome(case) == "out_not_eligible"
    assert case.disposition == "not_eligible"


def test_it_uses_the_mtv_shell_for_a_cas_group(specialist, on_day):
    shell = make_group("610001", ec_number="1200001")
    make_product(shell, "medical")
    cas = make_group("610002", platform="CAS", mtv_shell=shell, ec_number="")
    make_sl_app(cas)
    case = run(specialist, cas.group_number)
    assert case.current_step == "shell_note"
    assert "Run the Business Function report for MTV group 610001" in services.flow_for(case).step(
        "shell_note").render_text(services.flow_state(case))
    case = services.case_answer(case=case, user=specialist, step_key="shell_note", data={}).case
    assert case.current_step == "run_report"


def test_it_asks_the_group_to_register_first(specialist, on_day):
    group, _ = make_eligible_group(portal_registered_on=None)
    assert outcome(run(specialist, group.group_number)) == "out_not_registered"


def test_it_sends_a_group_with_the_ec_to_troubleshooting(specialist, on_day):
    group, sl_app = make_eligible_group()
    sl_app.ec_identifier = "1177334"
    sl_app.save()
    case = run(specialist, group.group_number)
    assert outcome(case) == "out_ec_present"
    assert "follow the Troubleshooting" in shown(case)


def test_it_says_when_a_request_is_already_queued(specialist, on_day):
    group, sl_app = make_eligible_group()
    request = ECRequest.objects.create(source="specialist", group=group, sl_app=sl_app,
                                       ec_identifier="1177334", business_functions=["7125"])
    case = run(specialist, group.group_number)
    assert outcome(case) == "out_open_request"
    assert (f"EC request #{request.pk}, queued on Wed Nov 18, 2026 (today), is waiting in the Access "
            "Management queue") in shown(case)


def test_it_ends_when_the_group_has_no_employer_sl_app(specialist, on_day):
    group = make_group()
    make_product(group, "medical")
    assert outcome(run(specialist, group.group_number)) == "out_no_sl_app"


def test_it_leaves_a_brand_new_group_to_the_weekly_process(specialist, on_day):
    group, _ = make_eligible_group(portal_registered_on=dt.date(2026, 11, 16))  # Monday
    case = run(specialist, group.group_number)
    assert outcome(case) == "out_weekly"
    assert "Mon Nov 23, 2026" in shown(case)


def test_it_runs_the_report_for_a_re_registered_group(specialist, on_day):
    group, _ = make_eligible_group(portal_registered_on=dt.date(2026, 11, 16), is_reregistration=True)
    assert run(specialist, group.group_number).current_step == "run_report"


def test_it_waits_out_the_reporting_blackout(specialist, on_day):
    """Seed 000: "you will not be able to run any business function reports until the 6th of
    every month". The case waits until the first business day from the 6th (a Sunday here)."""
    on_day(dt.date(2026, 12, 3))
    group, _ = make_eligible_group()
    case = run(specialist, group.group_number)
    assert (case.status, case.current_step, case.disposition) == ("waiting", "blackout_wait", "")
    assert case.follow_up_on == dt.date(2026, 12, 7)
    assert "Mon Dec 7, 2026" in case.events.get(kind="wait").shown
    # Resumed too early, it waits again; on the 7th it goes on to the report.
    case = services.case_answer(case=case, user=specialist, step_key="blackout_wait", data={}).case
    assert (case.status, case.current_step) == ("waiting", "blackout_wait")
    on_day(dt.date(2026, 12, 7))
    case = services.case_answer(case=case, user=specialist, step_key="blackout_wait", data={}).case
    assert (case.status, case.current_step, case.follow_up_on) == ("open", "run_report", None)


def test_it_tells_a_group_enrolled_after_the_5th_when_reporting_starts(specialist, on_day):
    group = make_group()
    make_product(group, "medical", active_from=dt.date(2026, 11, 10))
    make_sl_app(group)
    case = run(specialist, group.group_number)
    assert outcome(case) == "out_enrollment_wait"
    assert "Sun Dec 6, 2026" in shown(case)


def test_it_tells_a_brand_new_group_enrolled_after_the_5th_of_the_wait_first(specialist, on_day):
    """Seed 000: "If a group was enrolled after the 5th of the month they will need to wait
    until the following month for EC reporting to be available." A brand new group the weekly
    process covers ("Spreadsheet sent to Access Management for processing on Monday") still
    waits: it hears of the wait first, then of the Monday."""
    group = make_group(portal_registered_on=dt.date(2026, 11, 16))  # a brand new group
    make_product(group, "medical", active_from=dt.date(2026, 11, 10))  # after the 5th
    make_sl_app(group)
    case = run(specialist, group.group_number)
    assert outcome(case) == "out_enrollment_wait"
    text = shown(case)
    wait = text.index("they will need to wait until the following month for EC reporting")
    assert "EC reporting is available from Sun Dec 6, 2026" in text
    assert wait < text.index("weekly process") < text.index("Mon Nov 23, 2026")
    assert ("enrollment", "wait") in checks(case) and "weekly" not in dict(checks(case))


def test_it_never_sends_a_blank_report(specialist, on_day, monkeypatch):
    """Seed 000: "If the group has medical and the report is blank data may be incorrect on
    customer reporting end" and "DO NOT send blank reports to Access Management". Our products
    always give a medical group 8581, so the blank report customer reporting can return is
    stood in for here."""
    from ec_access import rules

    monkeypatch.setattr(rules, "business_functions_for", lambda *args: [])
    group, _ = make_eligible_group()
    case = run(specialist, group.group_number)
    assert outcome(case) == "out_blank_report"
    assert "DO NOT send blank reports to Access Management" in shown(case)
    assert "data may be incorrect on customer reporting end" in shown(case)
    assert not ECRequest.objects.exists()


def test_it_does_not_call_a_report_with_8581_but_no_ec_number_blank(specialist, on_day):
    """Seed 000: "If the report does not display any numbers under the business functions
    section, there are no identifiers or business functions to be added": a medical group
    without Go365 gets 8581 ("Business Functions will not display if: The group has no active
    Go365 coverage"), so its report is not blank; without an EC# it still is not sent."""
    group = make_group(ec_number="")
    make_product(group, "medical", includes_go365=False)
    make_sl_app(group)
    case = run(specialist, group.group_number)
    assert outcome(case) == "out_no_ec_number" and case.disposition == "referred"
    text = shown(case)
    assert "business functions 8581 but no EC#" in text and "CRC@humana.com" in text
    assert "blank" not in text.lower()
    assert ("report", "no_ec_number") in checks(case)
    assert not ECRequest.objects.exists()


def test_it_says_what_the_report_lacks_when_running_it(specialist, on_day):
    """Seed 000: "Business Functions will not display if: The group has no active Go365
    coverage"."""
    group = make_group()
    make_product(group, "medical", includes_go365=False)
    make_sl_app(group)
    case = run(specialist, group.group_number, ("run_report", {}))
    assert case.current_step == "expedite"
    text = case.events.get(step_key="run_report").shown
    assert "business functions 8581." in text
    assert "It does not show: No Go365 reports (7125, 7126): the group has no active Go365 " \
        "coverage." in text


def test_it_queues_a_standard_request_and_emails_the_report(
    specialist, on_day, mailoutbox, django_capture_on_commit_callbacks
):
    group, sl_app = make_eligible_group()
    with django_capture_on_commit_callbacks(execute=True):
        case = run(specialist, group.group_number, ("run_report", {}), ("expedite", {"choice": "standard"}))
    assert case.current_step == "request_email"
    request = ECRequest.objects.get()
    assert (request.group, request.sl_app, request.case, request.requested_by) == (group, sl_app, case, specialist)
    assert request.business_functions == ["7125", "7126", "8581"] and not request.expedited
    artifact = case.artifacts["request_email"]
    assert artifact["to"] == "EmployerGroup@humana.com"
    assert group.group_number in artifact["subject"] and sl_app.sl_app_number in artifact["subject"]
    assert group.name in artifact["subject"]
    assert "Please grant the PAA’s access as outlined in the attached report." in artifact["body"]
    [email] = mailoutbox
    assert email.to == ["EmployerGroup@humana.com"] and email.subject == artifact["subject"]
    assert email.attachments[0][2] == "application/pdf"
    # SupportDesk sent it: the case shows the e-mail as sent, word for word.
    assert email.body == artifact["body"] and f"EC request #{request.pk}" in email.body
    assert (artifact["sent_to"], artifact["reference"]) == ("EmployerGroup@humana.com",
                                                           f"EC request #{request.pk}")
    case = services.case_answer(case=case, user=specialist, step_key="request_email", data={}).case
    assert (case.status, case.current_step) == ("waiting", "request_wait")
    assert f"EC request #{request.pk}, queued on Wed Nov 18, 2026 (today)" in case.waiting_reason
    assert case.waiting_on == f"EC request #{request.pk}"


def decided(specialist, clerk, django_capture_on_commit_callbacks, decide):
    """A standard request queued from a case, decided by Access Management, then resumed."""
    from ec_access import services as ec

    group, _ = make_eligible_group()
    with django_capture_on_commit_callbacks(execute=True):
        case = run(specialist, group.group_number, ("run_report", {}),
                   ("expedite", {"choice": "standard"}), ("request_email", {}))
    request = ECRequest.objects.get()
    ec.ec_request_claim(request_id=request.pk, user=clerk)
    case.refresh_from_db()
    assert case.news.startswith(f"EC request #{request.pk} claimed by ")
    assert "is being worked by" in case.waiting_reason  # the wait is read afresh on each note
    decide(ec, request, clerk)
    case.refresh_from_db()
    assert case.status == "waiting" and case.news
    # Decided: the case is due today, at the top of My cases, until its specialist resumes it.
    assert "resume the case to finish it" in case.waiting_reason
    assert case.follow_up_on == clock.today()
    return services.case_answer(case=case, user=specialist, step_key="request_wait", data={}).case


def test_it_ends_granted_once_access_management_grants_the_request(
    specialist, access_user, on_day, django_capture_on_commit_callbacks
):
    case = decided(specialist, access_user, django_capture_on_commit_callbacks,
                   lambda ec, request, clerk: ec.ec_request_grant(request_id=request.pk, user=clerk))
    assert outcome(case) == "out_request_granted" and case.disposition == "answered"


def test_it_ends_rejected_with_access_managements_reason(
    specialist, access_user, on_day, django_capture_on_commit_callbacks
):
    case = decided(specialist, access_user, django_capture_on_commit_callbacks,
                   lambda ec, request, clerk: ec.ec_request_reject(
                       request_id=request.pk, user=clerk, reason="duplicate", note="See #1."))
    assert outcome(case) == "out_request_rejected" and case.disposition == "referred"
    assert "rejected EC request" in shown(case) and "Duplicate request. See #1." in shown(case)


def test_it_writes_the_servicenow_text_for_an_expedited_request(specialist, on_day, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    group, sl_app = make_eligible_group()
    with django_capture_on_commit_callbacks(execute=True):
        case = run(specialist, group.group_number, ("run_report", {}), ("expedite", {"choice": "expedited"}),
                   ("request_incident", {}), ("call_access_management", {}))
    assert outcome(case) == "out_request_expedited"
    body = case.artifacts["request_incident"]["body"]
    for line in (f"SL App ID: {sl_app.sl_app_number}", f"Group ID: {group.group_number}",
                 f"Group Name: {group.name}", "Please grant the PAA’s access"):
        assert line in body
    assert ECRequest.objects.get().expedited
    assert mailoutbox == []


def test_it_refuses_a_second_request_from_another_tab_and_saves_nothing(specialist, on_day):
    group, sl_app = make_eligible_group()
    case = run(specialist, group.group_number, ("run_report", {}))
    ECRequest.objects.create(source="specialist", group=group, sl_app=sl_app,
                             ec_identifier="1177334", business_functions=["7125"])
    with pytest.raises(services.StepRefused, match="already queued"):
        services.case_answer(case=case, user=specialist, step_key="expedite", data={"choice": "standard"})
    case.refresh_from_db()
    assert case.current_step == "expedite" and ECRequest.objects.count() == 1
    assert not case.events.filter(step_key="expedite").exists()


def test_it_records_each_automatic_check(specialist, on_day):
    group, _ = make_eligible_group()
    case = run(specialist, group.group_number)
    assert checks(case) == [("coverage", "eligible"), ("shell", "own"), ("registration", "registered"),
                            ("ec_on_app", "no_ec"), ("enrollment", "available"), ("weekly", "run_report"),
                            ("blackout", "open"), ("report", "has_functions")]


def test_every_outcome_has_a_test():
    flow = registry.get(FLOW)
    outcomes = {s.key for s in flow.steps if s.kind == "outcome"}
    source = open(__file__).read()
    assert {key for key in outcomes if f'"{key}"' not in source} == set()


def test_it_reads_the_group_once_however_many_checks_ask(specialist, on_day):
    """Answering the group step walks several checks (coverage, shell, registration...), each
    asking for the group: the form reads it to validate the number, the checks once more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group, _ = make_eligible_group(portal_registered_on=None)
    case = make_case(specialist, FLOW)
    with CaptureQueriesContext(connection) as captured:
        case = services.case_answer(case=case, user=specialist, step_key="group", data={
            "group-group_number": group.group_number, "group-sl_app_number": ""}).case
    assert outcome(case) == "out_not_registered" and len(checks(case)) >= 3
    group_reads = [q["sql"] for q in captured.captured_queries
                   if q["sql"].startswith("SELECT") and 'FROM "ec_access_employergroup"' in q["sql"]
                   and '"ec_access_employergroup"."group_number" =' in q["sql"]]
    assert len(group_reads) == 2, group_reads  # one per check (3 or more) without the memo
