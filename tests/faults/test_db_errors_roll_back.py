"""A database error late inside a service rolls the whole service back.

Each test lets the service do most of its work, then makes PostgreSQL fail a statement at its
last write (a real error, "division by zero", which aborts the transaction), and checks that
not one row of the service's write remains: every table's row count, and the rows it updates,
are as they were. The tests commit (transaction=True), so what is checked is what PostgreSQL
kept, not a test savepoint.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.db import DatabaseError, connection
from django.utils import timezone

from agent_rsos import services as arsos
from agent_rsos.models import Escalation
from ec_access import importing
from ec_access import services as ec
from ec_access.models import ECRequest, SLApplication
from ec_access.services import batch as batch_service
from ec_access.services import queue as queue_service
from noyo_sync import services as noyo
from noyo_sync.models import GroupConnection, GroupConnectionEvent
from noyo_sync.services import connections as connection_service
from supportdesk import services
from supportdesk.engine import registry
from tests.agent_rsos.make import TO_MAILBOX_LINE, details, make_escalation
from tests.ec_access.make import make_eligible_group, make_request
from tests.factories import make_case
from tests.noyo_sync.make import make_group as make_noyo_group
from tests.noyo_sync.make import request_connection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
APPS = ("supportdesk", "ec_access", "agent_rsos", "noyo_sync", "husky_reports", "auth")


def fail_in_postgresql(*args, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count()
            for label in APPS for model in apps.get_app_config(label).get_models()}


def row(instance) -> dict:
    return type(instance)._default_manager.filter(pk=instance.pk).values().get()


def fails_on(kind: str, original):
    """The transcript writer, failing only for events of ``kind``."""
    def append(case, user, **fields):
        if fields["kind"] == kind:
            fail_in_postgresql()
        return original(case, user, **fields)
    return append


# --- supportdesk ----------------------------------------------------------------------------


def test_it_rolls_back_a_case_that_failed_to_open(specialist, monkeypatch):
    before = row_counts()
    monkeypatch.setattr(services, "_move_to", fail_in_postgresql)  # the case and "opened" written
    with pytest.raises(DatabaseError):
        services.case_open(flow=registry.get("arsos-routing"), user=specialist)
    assert row_counts() == before


def test_it_rolls_back_an_answer_that_failed_to_move_the_case_on(specialist, monkeypatch):
    case = make_case(specialist, "arsos-routing", [("sale_stage", {"choice": "post_sale"})])
    before, case_row = row_counts(), row(case)
    monkeypatch.setattr(services, "_move_to", fail_in_postgresql)  # the answer event written
    with pytest.raises(DatabaseError):
        services.case_answer(case=case, user=specialist, step_key="topic",
                             data={"choice": "billing"})
    assert row_counts() == before and row(case) == case_row


def test_it_rolls_back_the_escalation_an_action_drafted(specialist, monkeypatch):
    case = make_case(specialist, "arsos-routing", TO_MAILBOX_LINE)
    before, case_row = row_counts(), row(case)
    # The action drafts the escalation, then its transcript event fails.
    monkeypatch.setattr(services, "_append", fails_on("action", services._append))
    with pytest.raises(DatabaseError):
        services.case_answer(case=case, user=specialist, step_key="mailbox_line",
                             data={"mailbox_line-medicare": "on"})
    assert row_counts() == before and row(case) == case_row
    assert not Escalation.objects.exists()


def test_it_rolls_back_the_ec_request_an_action_queued(specialist, on_day, monkeypatch):
    on_day(dt.date(2026, 11, 18))
    make_eligible_group(group_number="824751")
    case = make_case(specialist, "ec-employer-access", [
        ("group", {"group-group_number": "824751"}), ("run_report", {}),
    ])
    before, case_row = row_counts(), row(case)
    monkeypatch.setattr(services, "_append", fails_on("action", services._append))
    with pytest.raises(DatabaseError):
        services.case_answer(case=case, user=specialist, step_key="expedite",
                             data={"choice": "standard"})
    assert row_counts() == before and row(case) == case_row
    assert not ECRequest.objects.exists()


# --- ec_access --------------------------------------------------------------------------------


@pytest.mark.parametrize("action,state", [
    (lambda request_id, user: ec.ec_request_claim(request_id=request_id, user=user), "queued"),
    (lambda request_id, user: ec.ec_request_grant(request_id=request_id, user=user), "claimed"),
    (lambda request_id, user: ec.ec_request_release(request_id=request_id, user=user), "claimed"),
    (lambda request_id, user: ec.ec_request_reject(request_id=request_id, user=user,
                                                   reason="other", note="Wrong group."), "claimed"),
], ids=["claim", "grant", "release", "reject"])
def test_it_rolls_back_a_queue_transition_whose_event_failed(access_user, monkeypatch, action,
                                                             state):
    claimed = {"claimed_by": access_user, "claimed_at": timezone.now()} if state == "claimed" else {}
    ec_request = make_request(state=state, **claimed)
    sl_app = SLApplication.objects.get(pk=ec_request.sl_app_id)
    before = (row_counts(), row(ec_request), row(sl_app),
              list(sl_app.business_functions.values_list("code", flat=True)))
    # Its event is the transition's last write: for a grant, after the EC and the business
    # functions went onto the SL app.
    monkeypatch.setattr(queue_service, "_event", fail_in_postgresql)
    with pytest.raises(DatabaseError):
        action(ec_request.pk, access_user)
    assert (row_counts(), row(ec_request), row(sl_app),
            list(sl_app.business_functions.values_list("code", flat=True))) == before


def test_it_rolls_back_a_weekly_batch_that_failed_after_writing_its_rows(monkeypatch):
    make_eligible_group(group_number="100001", portal_registered_on=dt.date(2026, 11, 11))
    before = row_counts()
    monkeypatch.setattr(batch_service.spreadsheet, "batch_workbook", fail_in_postgresql)
    with pytest.raises(DatabaseError):
        ec.ec_batch_run(week_of=dt.date(2026, 11, 9), trigger="command", today=dt.date(2026, 11, 16))
    assert row_counts() == before


def test_it_rolls_back_an_import_that_failed_in_its_second_pass(monkeypatch, tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text((ROOT / "docs/ec_import_samples/groups.csv").read_text())
    before = row_counts()
    monkeypatch.setattr(importing, "_attach_mtv_shells", fail_in_postgresql)
    with pytest.raises(DatabaseError):
        importing.ec_data_import(path=path)
    assert row_counts() == before


# --- agent_rsos -------------------------------------------------------------------------------


def test_it_rolls_back_escalation_details_whose_event_failed(specialist, monkeypatch):
    escalation = make_escalation(specialist)
    before = (row_counts(), row(escalation))
    monkeypatch.setattr(arsos, "_event", fail_in_postgresql)
    with pytest.raises(DatabaseError):
        arsos.escalation_save_details(escalation_id=escalation.pk, user=specialist,
                                      details=details())
    assert (row_counts(), row(escalation)) == before


def test_it_rolls_back_a_sent_mark_whose_case_note_failed(specialist, monkeypatch):
    escalation = make_escalation(specialist)
    arsos.escalation_save_details(escalation_id=escalation.pk, user=specialist, details=details())
    before = (row_counts(), row(escalation))
    monkeypatch.setattr(arsos, "_case_note", fail_in_postgresql)  # status, clock and event written
    with pytest.raises(DatabaseError):
        arsos.escalation_mark_sent(escalation_id=escalation.pk, user=specialist)
    assert (row_counts(), row(escalation)) == before


def test_it_rolls_back_a_reminder_whose_event_failed_and_sends_it_next_run(specialist, monkeypatch,
                                                                           mailoutbox, caplog):
    specialist.email = "sam.rivera@example.com"
    specialist.save()
    escalation = make_escalation(specialist, status="sent",
                                 sent_at=timezone.now() - dt.timedelta(hours=80))
    before = (row_counts(), row(escalation))
    with monkeypatch.context() as patch:
        patch.setattr(arsos, "_event", fail_in_postgresql)  # after the reminder row
        assert arsos.sla_reminders_send() == 0  # one escalation failing never stops the others
    assert (row_counts(), row(escalation)) == before and mailoutbox == []
    assert f"escalation {escalation.pk} failed; retried next run" in caplog.text

    assert arsos.sla_reminders_send() == 1 and len(mailoutbox) == 1


# --- noyo_sync --------------------------------------------------------------------------------


def test_it_rolls_back_a_connection_request_whose_history_failed(specialist, monkeypatch):
    group = make_noyo_group()
    before = row_counts()
    monkeypatch.setattr(connection_service, "_event", fail_in_postgresql)
    with pytest.raises(DatabaseError):
        noyo.group_connection_request(group=group, carrier_group_id="989101", people=40,
                                      census_file_sent=True, group_number_issued=True,
                                      user=specialist, send=False)
    assert row_counts() == before


def test_it_rolls_back_a_poll_page_whose_history_failed(fake_noyo, specialist, monkeypatch):
    request_connection(specialist, "989101", send=False)
    request_connection(specialist, "767101", send=False)
    noyo.poll_group_connections(sleep=lambda seconds: None)
    fake_noyo.set_status("noyo_review")
    statuses = dict(GroupConnection.objects.values_list("pk", "status"))
    events = GroupConnectionEvent.objects.count()
    with monkeypatch.context() as patch:
        patch.setattr(GroupConnectionEvent.objects, "bulk_create", fail_in_postgresql)
        with pytest.raises(DatabaseError):
            noyo.poll_group_connections(sleep=lambda seconds: None)
    assert dict(GroupConnection.objects.values_list("pk", "status")) == statuses
    assert GroupConnectionEvent.objects.count() == events

    run = noyo.poll_group_connections(sleep=lambda seconds: None)
    assert run.changed == 2  # the next poll records both changes, once
    assert set(GroupConnection.objects.values_list("status", flat=True)) == {"noyo_review"}
