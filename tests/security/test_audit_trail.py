"""The audit trail: every service write records who, what and when, in the write's own
transaction; nobody can change or remove an entry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from agent_rsos import services as arsos
from agent_rsos.rules import LineOfBusiness
from ec_access import services as ec
from noyo_sync import services as noyo
from noyo_sync.models import GroupConnection
from noyo_sync.transport import NoyoRefused, Page, RemoteConnection
from supportdesk import services
from supportdesk.audit import ACTIONS, audit
from supportdesk.engine import registry
from supportdesk.models import AuditEntry, Case
from tests.agent_rsos.make import MEMBER, details, make_draft, make_escalation
from tests.ec_access.conftest import WEDNESDAY
from tests.ec_access.make import make_eligible_group
from tests.factories import make_case
from tests.noyo_sync.make import request_connection

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def trail(obj: Any) -> list[tuple[str, str | None]]:
    """(action, username) of every entry about ``obj``, oldest first."""
    return [
        (entry.action, entry.user.username if entry.user else None)
        for entry in AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).select_related("user").order_by("pk")
    ]


def test_it_audits_every_case_service(specialist, supervisor):
    before = timezone.now()
    case = services.case_open(flow=registry.get("arsos-routing"), user=specialist)
    services.case_answer(case=case, user=specialist, step_key="sale_stage",
                         data={"choice": "post_sale"})
    services.case_back(case=case, user=specialist)
    services.case_restart(case=case, user=specialist)
    services.case_note(case=case, user=specialist, text="Called back.")
    closed = make_case(specialist, answers=[("sale_stage", {"choice": "pre_sale"})])
    services.case_review_add(case=closed, reviewer=supervisor, rating=4, note="Fine.")

    assert trail(case) == [
        ("case.open", "specialist"), ("case.answer", "specialist"), ("case.back", "specialist"),
        ("case.restart", "specialist"), ("case.note", "specialist"),
    ]
    assert trail(closed)[-1] == ("case.review", "supervisor")
    entry = AuditEntry.objects.get(action="case.answer", object_id=str(case.pk))
    assert before <= entry.created_at <= timezone.now()
    assert entry.summary.startswith(f"{case.reference}: answered")


def test_it_audits_every_ec_request_transition(specialist, access_user):
    group, sl_app = make_eligible_group()
    request = ec.ec_request_create(group=group, sl_app=sl_app, expedited=False, user=specialist,
                                   today=WEDNESDAY)
    ec.ec_request_claim(request_id=request.pk, user=access_user)
    ec.ec_request_release(request_id=request.pk, user=access_user)
    ec.ec_request_claim_next(user=access_user)
    ec.ec_request_grant(request_id=request.pk, user=access_user)
    other_group, other_app = make_eligible_group()
    rejected = ec.ec_request_create(group=other_group, sl_app=other_app, expedited=True,
                                    user=specialist, today=WEDNESDAY)
    ec.ec_request_claim(request_id=rejected.pk, user=access_user)
    ec.ec_request_reject(request_id=rejected.pk, user=access_user, reason="other", note="Duplicate.")

    assert trail(request) == [
        ("ec_request.create", "specialist"), ("ec_request.claim", "access"),
        ("ec_request.release", "access"), ("ec_request.claim", "access"),
        ("ec_request.grant", "access"),
    ]
    assert trail(rejected) == [
        ("ec_request.create", "specialist"), ("ec_request.claim", "access"),
        ("ec_request.reject", "access"),
    ]
    created = AuditEntry.objects.get(action="ec_request.create", object_id=str(rejected.pk))
    assert f"EC request #{rejected.pk} queued (expedited) for group {other_group.group_number}" \
        in created.summary


def test_it_audits_a_refused_transition_not_at_all(access_user):
    with pytest.raises(ec.QueueRefused):
        ec.ec_request_claim(request_id=999999, user=access_user)
    assert not AuditEntry.objects.exists()


def test_it_audits_the_weekly_batch_as_supportdesk_itself():
    first = ec.ec_batch_run(week_of=dt.date(2026, 11, 9), trigger="beat", today=WEDNESDAY)
    again = ec.ec_batch_run(week_of=dt.date(2026, 11, 9), trigger="beat", today=WEDNESDAY)

    assert first.created and again.already_ran
    assert trail(first.run) == [("ec_batch.run", None)]  # a re-delivered task adds nothing


def test_it_audits_every_escalation_step_without_member_data(specialist):
    escalation = make_draft(specialist)  # drafted by the routing flow's action
    arsos.escalation_save_details(escalation_id=escalation.pk, user=specialist, details=details())
    second = arsos.escalation_split(escalation_id=escalation.pk, user=specialist)
    arsos.escalation_mark_sent(escalation_id=escalation.pk, user=specialist)
    arsos.escalation_acknowledge(escalation_id=escalation.pk, user=specialist)
    arsos.escalation_follow_up(escalation_id=escalation.pk, user=specialist)
    arsos.escalation_resolve(escalation_id=escalation.pk, user=specialist)
    arsos.escalation_save_details(escalation_id=second.pk, user=specialist,
                                  details=details(LineOfBusiness.HUMANAONE))
    arsos.escalation_mark_sent(escalation_id=second.pk, user=specialist)
    arsos.escalation_escalate(escalation_id=second.pk, user=specialist, escalated_to="brm")

    steps = [action for action, _ in trail(escalation)]
    assert steps == [
        "arsos_escalation.draft", "arsos_escalation.details", "arsos_escalation.split",
        "arsos_escalation.sent", "arsos_escalation.acknowledge", "arsos_escalation.follow_up",
        "arsos_escalation.resolve",
    ]
    assert [action for action, _ in trail(second)] == [
        "arsos_escalation.draft", "arsos_escalation.details", "arsos_escalation.sent",
        "arsos_escalation.escalate",
    ]
    assert {user for _, user in trail(escalation) + trail(second)} == {"specialist"}
    for summary in AuditEntry.objects.values_list("summary", flat=True):
        for value in MEMBER.values():
            assert value not in summary


def test_it_audits_sla_reminders_as_supportdesk_itself(specialist):
    escalation = make_escalation(specialist, status="sent",
                                 sent_at=timezone.now() - dt.timedelta(hours=80))

    assert arsos.sla_reminders_send() == 1
    assert arsos.sla_reminders_send() == 0

    assert trail(escalation)[-1] == ("arsos_escalation.reminder", None)
    assert AuditEntry.objects.filter(action="arsos_escalation.reminder").count() == 1


class FakeNoyo:
    """A transport that answers from memory: status changes are set on it by the test."""

    def __init__(self, status: str = "created", *, refuse: bool = False) -> None:
        self.status, self.refuse = status, refuse

    def _remote(self, connection_id: str = "nc_1") -> RemoteConnection:
        return RemoteConnection(id=connection_id, status=self.status, carrier_id="humana-sandbox",
                                carrier_group_id="989101")

    def create_group_connection(self, **kwargs: Any) -> RemoteConnection:
        if self.refuse:
            raise NoyoRefused("Noyo refused: group_data.carrier_group_id is invalid.", status=400)
        return self._remote()

    def get_group_connection(self, connection_id: str) -> RemoteConnection:
        return self._remote(connection_id)

    def retry_group_connection(self, connection_id: str, **kwargs: Any) -> RemoteConnection:
        return self._remote(connection_id)

    def list_group_connections(self, **kwargs: Any) -> Page:
        return Page(connections=[self._remote()], offset=0, page_size=100, total=1)

    def close(self) -> None:
        pass


def test_it_audits_every_noyo_connection_write(specialist):
    connection = request_connection(specialist, "989101", send=False)
    noyo.group_connection_send(connection_id=connection.pk, transport=FakeNoyo("created"))
    fake = FakeNoyo("processing")
    noyo.group_connection_refresh(connection_id=connection.pk, user=specialist, transport=fake)
    fake.status = "noyo_review"
    run = noyo.poll_group_connections(transport=fake, sleep=lambda seconds: None)
    GroupConnection.objects.filter(pk=connection.pk).update(status="action_required")
    noyo.group_connection_retry(connection_id=connection.pk, user=specialist,
                                transport=FakeNoyo("processing"))
    refused = request_connection(specialist, "767101", send=False)
    noyo.group_connection_send(connection_id=refused.pk, transport=FakeNoyo(refuse=True))

    assert trail(connection) == [
        ("noyo_connection.request", "specialist"), ("noyo_connection.sent", None),
        ("noyo_connection.refresh", "specialist"), ("noyo_connection.retry", "specialist"),
    ]
    assert trail(run) == [("noyo_poll.changes", None)]
    assert trail(refused) == [("noyo_connection.request", "specialist"),
                              ("noyo_connection.refused", None)]


def test_it_records_a_check_with_noyo_even_when_noyo_is_down(specialist, settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"  # nothing listens
    connection = request_connection(specialist, "989101", send=False)

    run = noyo.group_connection_refresh(connection_id=connection.pk, user=specialist)

    assert run.outcome == "outage"
    assert trail(connection)[-1] == ("noyo_connection.refresh", "specialist")
    assert "Noyo unreachable" in AuditEntry.objects.get(action="noyo_connection.refresh").summary


def test_it_names_every_action_the_services_record():
    """ACTIONS is the filter's list: it must hold every action a service records, and nothing
    that no code records (the import command's entry aside, which the lead wires)."""
    recorded = set()
    for package in ("supportdesk", "ec_access", "agent_rsos", "noyo_sync", "husky_reports"):
        for path in (REPO / package).rglob("*.py"):
            recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert recorded <= set(ACTIONS), recorded - set(ACTIONS)
    assert set(ACTIONS) - recorded <= {"ec_data.import"}


def test_it_refuses_an_unknown_action_or_an_unsaved_object(specialist):
    case = make_case(specialist)
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit(user=specialist, action="case.delete", obj=case, summary="")
    with pytest.raises(ValueError, match="saved object"):
        audit(user=specialist, action="case.open", obj=Case(), summary="")


def test_it_records_an_action_on_no_single_object(client, supervisor):
    """The import command's entry (a whole file, by nobody signed in)."""
    with transaction.atomic():
        entry = audit(user=None, action="ec_data.import", obj=None, summary="groups.csv: 3 created")
    assert (entry.object_type, entry.object_id, entry.user) == ("", "", None)
    client.force_login(supervisor)
    row = client.get("/supervisor/audit/").context["rows"][0]
    assert (row.action, row.object_label, row.object_url, row.who) == (
        "EC data imported", "—", "", "SupportDesk")


def test_it_keeps_a_summary_to_one_bounded_line(specialist):
    case = make_case(specialist)
    with transaction.atomic():
        entry = audit(user=specialist, action="case.note", obj=case, summary="a\nb  " + "x" * 500)
    assert entry.summary.startswith("a b x") and len(entry.summary) == 300
    assert entry.summary.endswith("…")


# --- Nobody can edit it -------------------------------------------------------------------


@pytest.fixture
def entry(specialist):
    make_case(specialist)
    return AuditEntry.objects.get(action="case.open")


def test_it_refuses_to_update_or_delete_an_entry_through_the_model(entry):
    entry.summary = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary != "rewritten"


@pytest.mark.parametrize("statement", [
    "UPDATE supportdesk_auditentry SET summary = 'rewritten' WHERE id = %s",
    "DELETE FROM supportdesk_auditentry WHERE id = %s",
])
def test_it_refuses_raw_sql_that_rewrites_the_trail(entry, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).summary == entry.summary


def test_it_lets_no_one_change_an_entry_in_the_admin(client, entry, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="a-long-test-password")
    client.force_login(admin)

    assert client.get("/admin/supportdesk/auditentry/").status_code == 200
    assert client.get(f"/admin/supportdesk/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/supportdesk/auditentry/add/").status_code == 403
    assert client.post(f"/admin/supportdesk/auditentry/{entry.pk}/change/",
                       {"summary": "rewritten"}).status_code == 403
    assert client.post(f"/admin/supportdesk/auditentry/{entry.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).summary == entry.summary


# --- Same transaction as the write --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_commits_and_rolls_back_with_the_write(specialist):
    make_case(specialist)
    assert AuditEntry.objects.filter(action="case.open").count() == 1  # committed together

    with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
        services.case_open(flow=registry.get("arsos-routing"), user=specialist)
        raise RuntimeError("boom")
    assert Case.objects.count() == 1
    assert AuditEntry.objects.filter(action="case.open").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_entry_outside_a_transaction(specialist):
    case = make_case(specialist)
    with pytest.raises(RuntimeError, match="inside the write's transaction"):
        audit(user=specialist, action="case.note", obj=case, summary="outside")
    assert not AuditEntry.objects.filter(action="case.note").exists()
