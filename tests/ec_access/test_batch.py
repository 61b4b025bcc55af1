"""The weekly new-group batch: selection, idempotency, the spreadsheet and its e-mail, the command,
the batch page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from ec_access import rules, spreadsheet
from ec_access.models import ECBatchLine, ECBatchRun, ECRequest, ECRequestEvent
from ec_access.services import batch as batch_service
from ec_access.services import ec_batch_run, ec_request_create
from ec_access.services.batch import BatchRefused
from tests.ec_access.make import make_eligible_group, make_group, make_product, make_sl_app

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 16)  # the run's Monday
WEEK_START = dt.date(2026, 11, 9)  # the registration week before it: Monday 9th..Sunday 15th
WEDNESDAY = dt.date(2026, 11, 11)
HEADER = ("EC#", "Group #", "Group Name", "Platform", "FIN BUS SEGMENT CD", "Business Functions",
          "SL app #")


def run(week_of=WEDNESDAY, **kwargs):
    kwargs.setdefault("trigger", "command")
    kwargs.setdefault("today", MONDAY)
    return ec_batch_run(week_of=week_of, **kwargs)


def new_group(registered_on=WEDNESDAY, **fields):
    """A brand new medical group with Go365, registered in the week, EC not on its employer app."""
    return make_eligible_group(portal_registered_on=registered_on, **fields)


def queued_numbers():
    return sorted(ECRequest.objects.values_list("group__group_number", flat=True))


def read_back(run_row):
    return load_workbook(io.BytesIO(bytes(run_row.spreadsheet)), read_only=True)


# --- Selection -------------------------------------------------------------------------------------


def test_it_queues_a_brand_new_group_with_its_report_and_a_created_event():
    group, sl_app = new_group()
    result = run()
    assert result.created and result.run.week_start == WEEK_START
    request = ECRequest.objects.get()
    assert (request.source, request.state, request.batch, request.group, request.sl_app) == (
        "weekly_batch", "queued", result.run, group, sl_app
    )
    assert (request.ec_identifier, request.business_functions) == ("1177334", ["7125", "7126", "8581"])
    event = ECRequestEvent.objects.get()
    assert (event.request, event.kind, event.user, event.note) == (
        request, "created", None, "Weekly batch 2026-11-09"
    )


def test_it_takes_the_registrations_of_monday_to_sunday_of_the_week():
    new_group(WEEK_START, group_number="100001")  # Monday (00:00 onwards)
    new_group(dt.date(2026, 11, 15), group_number="100002")  # Sunday
    new_group(dt.date(2026, 11, 8), group_number="100003")  # the Sunday before
    new_group(dt.date(2026, 11, 2), group_number="100004")  # the week before
    new_group(MONDAY, group_number="100005")  # the run's own Monday: next week's batch
    new_group(None, group_number="100006")  # never registered
    result = run()
    assert result.counts.seen == 2
    assert queued_numbers() == ["100001", "100002"]


def test_it_accepts_any_day_of_the_week_as_the_week():
    new_group(group_number="100001")
    assert run(week_of=dt.date(2026, 11, 15)).run.week_start == WEEK_START
    assert queued_numbers() == ["100001"]


def test_it_leaves_out_groups_registered_for_a_second_time():
    new_group(group_number="100001")
    new_group(group_number="100002", is_reregistration=True)
    result = run()
    assert queued_numbers() == ["100001"]
    assert result.counts.seen == 1 and not ECBatchLine.objects.exists()


def test_it_queues_a_stand_alone_go365_group():
    group = make_group(portal_registered_on=WEDNESDAY)
    make_product(group, "go365")
    make_sl_app(group)
    run()
    assert ECRequest.objects.get().business_functions == ["7125", "7126"]


def test_it_says_why_it_left_each_group_out(specialist):
    new_group(group_number="100001")  # queued
    dental = make_group("100002", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")
    make_sl_app(dental)
    ended = make_group("100003", portal_registered_on=WEDNESDAY)
    make_product(ended, "medical", active_to=dt.date(2026, 10, 31))
    make_sl_app(ended)
    new_group(group_number="100004", ec_number="")  # functions but no EC#: not sent
    no_app = make_group("100005", portal_registered_on=WEDNESDAY)
    make_product(no_app, "medical")
    make_sl_app(no_app, "agency")
    for number, ec_on_app in [("100006", "1177334"), ("100007", "9999999")]:
        _, app = new_group(group_number=number)
        app.ec_identifier = ec_on_app
        app.save()
    group, sl_app = new_group(group_number="100008")
    opened = ec_request_create(group=group, sl_app=sl_app, expedited=False, user=specialist, today=MONDAY)

    result = run()

    assert queued_numbers() == ["100001", "100008"]  # 100008's is the specialist's, not the batch's
    assert ECRequest.objects.filter(batch=result.run).get().group.group_number == "100001"
    assert (result.counts.seen, result.counts.queued, result.counts.ineligible,
            result.counts.skipped) == (8, 1, 4, 3)
    lines = {line.group.group_number: line for line in ECBatchLine.objects.select_related("group")}
    assert {number: line.outcome for number, line in lines.items()} == {
        "100002": "ineligible", "100003": "ineligible", "100004": "ineligible",
        "100005": "ineligible", "100006": "skipped", "100007": "skipped", "100008": "skipped",
    }
    assert "Not eligible: no active Medical or Stand Alone Go365 (NIM)" in lines["100002"].reason
    assert "Not eligible" in lines["100003"].reason
    assert "data may be incorrect on customer reporting end" in lines["100004"].reason
    assert "No employer SL app" in lines["100005"].reason
    assert "EC 1177334 is already on SL app" in lines["100006"].reason
    assert "already has EC 9999999: only ONE EC per SL application" in lines["100007"].reason
    assert f"EC request #{opened.pk} for SL app {sl_app.sl_app_number} is already open" in lines[
        "100008"
    ].reason
    assert [line.reason for line in result.lines] == [lines[n].reason for n in sorted(lines)]


def test_it_uses_the_mtv_shells_products_and_ec_for_a_cas_group():
    shell = make_group("300001", name="SHELL BENEFITS LLC", platform="MTV", ec_number="2233445",
                       portal_registered_on=None, report_platform_code="EM", fin_bus_segment_cd="S")
    make_product(shell, "medical")
    cas = make_group("300002", name="CAS MEMBERSHIP INC", platform="CAS", ec_number="",
                     mtv_shell=shell, portal_registered_on=WEDNESDAY)
    sl_app = make_sl_app(cas)  # no products of its own: the benefits are housed in MTV

    result = run()

    request = ECRequest.objects.get()
    assert (request.group, request.sl_app, request.ec_identifier) == (cas, sl_app, "2233445")
    rows = list(read_back(result.run).worksheets[0].values)
    assert rows[1] == ("2233445", "300001", "SHELL BENEFITS LLC", "EM", "S", "7125, 7126, 8581",
                       sl_app.sl_app_number)


def test_it_leaves_out_a_cas_group_whose_shell_is_not_eligible():
    shell = make_group("300001", platform="MTV", portal_registered_on=None)
    make_product(shell, "dental")
    cas = make_group("300002", platform="CAS", mtv_shell=shell, portal_registered_on=WEDNESDAY)
    make_product(cas, "medical")  # the CAS side's own products do not count
    make_sl_app(cas)
    run()
    line = ECBatchLine.objects.get()
    assert line.outcome == "ineligible" and "MTV shell 300001" in line.reason


# --- Once per week ---------------------------------------------------------------------------------


def test_it_runs_a_week_once():
    new_group(group_number="100001")
    dental = make_group("100002", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")
    first = run()
    new_group(group_number="100003")  # registered late; the week has been sent already

    second = run(trigger="beat")

    assert (second.created, second.already_ran, second.run) == (False, True, first.run)
    assert second.counts == first.counts
    assert [line.reason for line in second.lines] == [line.reason for line in first.lines]
    assert ECBatchRun.objects.count() == 1
    assert queued_numbers() == ["100001"]
    assert (ECRequestEvent.objects.count(), ECBatchLine.objects.count()) == (1, 1)


def test_it_reports_the_other_run_when_it_loses_the_race(monkeypatch):
    new_group()
    first = run()
    # As if a concurrent run committed the week between this run's check and its insert.
    monkeypatch.setattr(batch_service, "_finished_run", lambda week_start: None)
    second = run()
    assert (second.created, second.run, second.counts) == (False, first.run, first.counts)
    assert (ECBatchRun.objects.count(), ECRequest.objects.count()) == (1, 1)


def run_while_a_specialist_queues(monkeypatch, specialist):
    """Two new groups; a specialist queues the second one's SL app after the batch planned it."""
    new_group(group_number="100001")
    group, sl_app = new_group(group_number="100002")
    real_plan = batch_service._plan

    def plan_then_specialist_queues(week_start, today):
        plan = real_plan(week_start, today)
        ec_request_create(group=group, sl_app=sl_app, expedited=False, user=specialist, today=MONDAY)
        return plan

    monkeypatch.setattr(batch_service, "_plan", plan_then_specialist_queues)
    return run(), group, sl_app


def test_it_skips_an_app_a_specialist_queued_while_the_batch_ran(monkeypatch, specialist):
    result, group, sl_app = run_while_a_specialist_queues(monkeypatch, specialist)
    assert (result.counts.queued, result.counts.skipped) == (1, 1)
    assert ECRequest.objects.get(batch=result.run).group.group_number == "100001"
    line = ECBatchLine.objects.get()
    assert line.group == group and line.outcome == "skipped"
    assert line.reason == f"An EC request for SL app {sl_app.sl_app_number} was opened while the batch ran."
    assert [row[1] for row in read_back(result.run).worksheets[0].values] == ["Group #", "100001"]
    assert ECRequestEvent.objects.filter(request__batch=result.run).count() == 1


def test_it_refuses_a_week_that_is_not_over():
    new_group(MONDAY)
    with pytest.raises(BatchRefused, match="not over"):
        run(week_of=MONDAY, today=dt.date(2026, 11, 22))  # Sunday: the week is still going
    assert not ECBatchRun.objects.exists()


def test_it_writes_nothing_on_a_dry_run(mailoutbox, django_capture_on_commit_callbacks):
    new_group(group_number="100001")
    dental = make_group("100002", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = run(dry_run=True)
    assert (result.run, result.created) == (None, False)
    assert (result.counts.seen, result.counts.queued, result.counts.ineligible) == (2, 1, 1)
    assert [line.group_number for line in result.lines] == ["100002"]
    assert not (ECBatchRun.objects.exists() or ECRequest.objects.exists() or ECBatchLine.objects.exists())
    assert callbacks == [] and mailoutbox == []


def test_it_leaves_no_half_batch_when_it_fails(monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    new_group(group_number="100001")
    dental = make_group("100002", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(spreadsheet, "batch_workbook", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OSError, match="disk full"):
        run()
    assert not ECBatchRun.objects.exists()
    assert not ECRequest.objects.exists()
    assert not ECRequestEvent.objects.exists()
    assert not ECBatchLine.objects.exists()
    assert mailoutbox == []


# --- The spreadsheet and its e-mail --------------------------------------------------------------


def test_it_writes_the_seed_report_columns_and_the_not_queued_sheet():
    group_a, app_a = new_group(group_number="100001", name="Fusion Controls Inc")
    group_b, app_b = new_group(group_number="100002", name="ACME TOOLS", employees_enrolled=150)
    dental = make_group("100003", name="DENTAL ONLY LLC", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")

    workbook = read_back(run().run)

    report, not_queued = workbook.worksheets
    rows = list(report.values)
    assert rows[0] == HEADER
    assert rows[1:] == [
        ("1177334", "100001", "FUSION CONTROLS INC", "EM", "T", "7125, 7126, 8581", app_a.sl_app_number),
        ("1177334", "100002", "ACME TOOLS", "EM", "T", "7125, 7126, 6869, 8581", app_b.sl_app_number),
    ]
    assert not_queued.title == "Not queued"
    lines = list(not_queued.values)
    assert lines[0] == ("Group #", "Group Name", "Outcome", "Reason")
    assert lines[1][:3] == ("100003", "DENTAL ONLY LLC", "Not eligible")
    assert lines[1][3].startswith("Not eligible: no active Medical or Stand Alone Go365 (NIM)")


def test_it_keeps_a_group_name_that_looks_like_a_formula_as_text():
    new_group(group_number="100001", name='=HYPERLINK("http://example.com","x")')
    dental = make_group("100002", name="=1+1", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")
    report, not_queued = load_workbook(io.BytesIO(bytes(run().run.spreadsheet))).worksheets
    assert (report["C2"].value, report["C2"].data_type) == ('=HYPERLINK("HTTP://EXAMPLE.COM","X")', "s")
    assert (not_queued["B2"].value, not_queued["B2"].data_type) == ("=1+1", "s")


def test_it_emails_the_spreadsheet_to_access_management(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EC_ACCESS_MANAGEMENT_EMAIL = "access.management@example.com"
    new_group(group_number="100001")
    with django_capture_on_commit_callbacks(execute=True):
        result = run()
    [message] = mailoutbox
    assert message.to == ["access.management@example.com"]
    assert "2026-11-09 to 2026-11-15" in message.subject
    assert rules.GRANT_SENTENCE in message.body
    assert "/ec/batches/?week=2026-11-09" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == "EC-weekly-batch-2026-11-09.xlsx"
    assert mimetype == spreadsheet.XLSX_CONTENT_TYPE
    assert content == bytes(result.run.spreadsheet)


def test_it_defaults_to_the_employer_group_mailbox(settings):
    assert settings.EC_ACCESS_MANAGEMENT_EMAIL == "EmployerGroup@humana.com"


def test_it_sends_nothing_again_on_a_second_run(mailoutbox, django_capture_on_commit_callbacks):
    new_group()
    with django_capture_on_commit_callbacks(execute=True):
        run()
        run()
    assert len(mailoutbox) == 1


def test_it_sends_nothing_when_nothing_was_queued(mailoutbox, django_capture_on_commit_callbacks):
    dental = make_group(portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")
    with django_capture_on_commit_callbacks(execute=True):
        result = run()
    assert result.created and result.counts.ineligible == 1
    assert mailoutbox == []


# --- manage.py run_ec_batch ------------------------------------------------------------------------


def command(*args):
    out = io.StringIO()
    call_command("run_ec_batch", *args, stdout=out)
    return out.getvalue()


def test_it_runs_the_command_for_a_given_week(on_day):
    on_day(dt.date(2026, 11, 25))
    new_group(group_number="100001")
    output = command("--week", "2026-11-12")
    run_row = ECBatchRun.objects.get()
    assert (run_row.week_start, run_row.trigger) == (WEEK_START, "command")
    assert "Week of 2026-11-09 (registrations 2026-11-09 to 2026-11-15)" in output
    assert "Groups seen: 1; queued: 1; not eligible: 0; skipped: 0" in output
    assert "Duration:" in output
    assert f"Spreadsheet: /ec/batches/?week=2026-11-09 (download /ec/batches/{run_row.pk}/spreadsheet.xlsx)" in output


def test_it_runs_last_week_by_default_and_says_when_it_already_ran(on_day):
    on_day(MONDAY)
    new_group()
    command()
    output = command()
    assert "already ran" in output and "nothing new was queued" in output
    assert ECBatchRun.objects.get().week_start == WEEK_START
    assert ECRequest.objects.count() == 1


def test_it_dry_runs_the_command(on_day):
    on_day(MONDAY)
    new_group(group_number="100001")
    dental = make_group("100002", name="DENTAL ONLY LLC", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")
    output = command("--dry-run")
    assert "Dry run: nothing was written or sent." in output
    assert "would be queued: 1" in output
    assert "not queued: 100002 DENTAL ONLY LLC: Not eligible" in output
    assert not ECBatchRun.objects.exists() and not ECRequest.objects.exists()


@pytest.mark.parametrize("week", ["11/09/2026", "2026-13-01", "last week"])
def test_it_refuses_a_bad_week(week):
    with pytest.raises(CommandError, match="--week takes a date as YYYY-MM-DD"):
        command("--week", week)
    assert not ECBatchRun.objects.exists()


def test_it_refuses_the_current_week_on_the_command(on_day):
    on_day(WEDNESDAY)
    with pytest.raises(CommandError, match="not over"):
        command("--week", "2026-11-11")


# --- The batch page --------------------------------------------------------------------------------


@pytest.fixture
def batch_run():
    new_group(group_number="100001")
    dental = make_group("100002", name="DENTAL ONLY LLC", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")
    return run().run


@pytest.mark.parametrize("role", ["access_user", "supervisor"])
def test_it_lists_the_runs_with_their_counts_and_reasons(client, request, role, batch_run):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("ec_batches"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Week of Mon Nov 9, 2026 – Sun Nov 15, 2026" in page
    assert "DENTAL ONLY LLC" in page and "Not eligible: no active Medical" in page
    assert reverse("ec_batch_spreadsheet", args=[batch_run.pk]) in page
    assert "Started by hand on the server" in page


def test_it_filters_the_page_to_one_week(client, access_user, batch_run):
    client.force_login(access_user)
    assert "DENTAL ONLY LLC" in client.get(reverse("ec_batches"), {"week": "2026-11-15"}).content.decode()
    other = client.get(reverse("ec_batches"), {"week": "2026-11-02"}).content.decode()
    assert "No weekly batch has run for that week yet" in other


def test_it_caps_the_lines_shown_per_run(client, access_user):
    for number in range(100010, 100035):
        dental = make_group(str(number), portal_registered_on=WEDNESDAY)
        make_product(dental, "dental")
    run()
    client.force_login(access_user)
    page = client.get(reverse("ec_batches")).content.decode()
    assert page.count("Not eligible: no active Medical") == 20
    assert "and 5 more not queued" in page


@pytest.mark.parametrize("role", ["access_user", "supervisor"])
def test_it_downloads_the_spreadsheet(client, request, role, batch_run):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("ec_batch_spreadsheet", args=[batch_run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="EC-weekly-batch-2026-11-09.xlsx"'
    assert response.content == bytes(batch_run.spreadsheet)
    load_workbook(io.BytesIO(response.content))  # a real workbook


def test_it_404s_an_unknown_run(client, access_user):
    client.force_login(access_user)
    assert client.get(reverse("ec_batch_spreadsheet", args=[999])).status_code == 404


@pytest.mark.parametrize("url", ["list", "download"])
def test_it_keeps_batches_from_specialists(client, specialist, batch_run, url):
    client.force_login(specialist)
    path = reverse("ec_batches") if url == "list" else reverse("ec_batch_spreadsheet", args=[batch_run.pk])
    assert client.get(path).status_code == 403


def test_it_sends_anonymous_users_to_sign_in(client, batch_run):
    response = client.get(reverse("ec_batch_spreadsheet", args=[batch_run.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- The portable writer (the embedded SQLite of `make run`) ----------------------------------------


@pytest.fixture
def portable(monkeypatch):
    """Write through the ORM path, as on SQLite, while still running on PostgreSQL here."""
    monkeypatch.setattr(batch_service, "_write", batch_service._write_portable)


def test_it_writes_the_same_rows_through_the_portable_writer(portable, specialist):
    group, _ = new_group(group_number="100001")
    dental = make_group("100002", portal_registered_on=WEDNESDAY)
    make_product(dental, "dental")
    make_sl_app(dental)
    result = run()
    assert (result.counts.queued, result.counts.ineligible) == (1, 1)
    request = ECRequest.objects.get(batch=result.run)
    assert (request.group, request.state, request.business_functions) == (group, "queued", ["7125", "7126", "8581"])
    assert ECRequestEvent.objects.get(request=request).note == "Weekly batch 2026-11-09"
    assert ECBatchLine.objects.get().group == dental
    assert not run().created and ECRequest.objects.count() == 1


def test_it_skips_in_the_portable_writer_an_app_queued_meanwhile(portable, monkeypatch, specialist):
    result, _, _ = run_while_a_specialist_queues(monkeypatch, specialist)
    assert (result.counts.queued, result.counts.skipped) == (1, 1)
    assert ECBatchLine.objects.get().reason.endswith("was opened while the batch ran.")
