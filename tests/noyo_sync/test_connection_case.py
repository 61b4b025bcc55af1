"""A case that requests a Noyo connection waits on it: followed up on the third business day,
told of each status change, resumed to the end Noyo's status points to. Back past the request
cancels one SupportDesk has not sent yet, and is refused once Noyo holds it."""

from __future__ import annotations

import datetime as dt

import pytest

from noyo_sync import rules
from noyo_sync.models import GroupConnection
from noyo_sync.services import record_accepted, record_status
from noyo_sync.transport import RemoteConnection
from supportdesk import services
from supportdesk.models import Case, CaseEvent
from supportdesk.services import StepRefused
from tests.factories import make_case
from tests.noyo_sync.make import make_group
from tests.noyo_sync.test_flows import CONNECT, details, plans, ready

pytestmark = pytest.mark.django_db
S = rules.ConnectionStatus


# --- The rule: seed 004, "Most connections are completed in 1–3 business days." --------------


@pytest.mark.parametrize(("requested", "today", "follow_up"), [
    (dt.date(2026, 11, 30), dt.date(2026, 11, 30), dt.date(2026, 12, 3)),  # Monday → Thursday
    (dt.date(2026, 11, 25), dt.date(2026, 11, 25), dt.date(2026, 12, 1)),  # over Thanksgiving
    (dt.date(2026, 12, 4), dt.date(2026, 12, 4), dt.date(2026, 12, 9)),  # Friday → Wednesday
    (dt.date(2026, 11, 30), dt.date(2026, 12, 3), dt.date(2026, 12, 3)),  # due today
    (dt.date(2026, 11, 20), dt.date(2026, 12, 1), dt.date(2026, 12, 2)),  # overdue: next day
])
def test_a_connection_is_followed_up_on_the_third_business_day(requested, today, follow_up):
    assert rules.connection_follow_up_on(requested, today) == follow_up


# --- The case ----------------------------------------------------------------------------------


@pytest.fixture
def unreachable(settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"


@pytest.fixture
def waiting_case(specialist, unreachable, on_day):
    """Requested on Monday 30 November 2026; Noyo not reached, so the request is not sent."""
    on_day(dt.date(2026, 11, 30))
    specialist.email = "sam.rivera@example.com"
    specialist.save()
    make_group("824751")
    case = make_case(specialist, CONNECT, [ready(), plans(), details("824751", "989101"),
                                           ("create", {})], group_number="824751")
    return case, GroupConnection.objects.get()


def accept(connection: GroupConnection, status: str = "created") -> GroupConnection:
    remote = RemoteConnection(id="noyo-1", status=status, carrier_id=connection.carrier_id,
                              carrier_group_id=connection.carrier_group_id)
    return record_accepted(connection.pk, remote, "Noyo accepted the connection request.", None)


def moved(connection: GroupConnection, status: S) -> None:
    connection = GroupConnection.objects.select_for_update().get(pk=connection.pk)
    assert record_status(connection, status)


def resume(case: Case, user, step_key: str = "connection_wait") -> Case:
    return services.case_answer(case=case, user=user, step_key=step_key, data={}).case


def test_the_case_waits_on_its_connection_until_the_third_business_day(waiting_case):
    case, connection = waiting_case
    assert connection.case == case
    assert (case.status, case.current_step) == ("waiting", "connection_wait")
    assert case.follow_up_on == dt.date(2026, 12, 3)
    assert case.waiting_on == f"Noyo connection #{connection.pk}"
    assert "Most connections are completed in 1–3 business days" in case.waiting_reason
    assert case.disposition == ""


def test_each_status_change_is_noted_and_only_a_settled_one_is_mailed(
    waiting_case, specialist, mailoutbox, django_capture_on_commit_callbacks
):
    case, connection = waiting_case
    with django_capture_on_commit_callbacks(execute=True):
        accept(connection)
        moved(connection, S.PROCESSING)
    notes = case.events.filter(kind=CaseEvent.Kind.NOTE).values_list("answer", flat=True)
    assert [note.split(": ")[0] for note in notes] == [
        f"Noyo group connection #{connection.pk} (carrier group ID 989101) is now Created",
        f"Noyo group connection #{connection.pk} (carrier group ID 989101) is now Processing",
    ]
    assert mailoutbox == []
    case.refresh_from_db()
    assert case.news.startswith(f"Noyo group connection #{connection.pk}")
    assert (case.status, case.follow_up_on) == ("waiting", dt.date(2026, 12, 3))

    with django_capture_on_commit_callbacks(execute=True):
        moved(connection, S.COMPLETED)
    [email] = mailoutbox
    assert email.to == ["sam.rivera@example.com"] and "is now Completed" in email.body
    case.refresh_from_db()
    assert case.follow_up_on == dt.date(2026, 11, 30)  # settled: due today, at the top
    assert "resume the case" in case.waiting_reason

    case = resume(case, specialist)
    assert (case.status, case.outcome_key, case.disposition) == ("closed", "out_connected", "answered")


def test_a_connection_that_needs_action_asks_whether_to_wait_again(waiting_case, specialist):
    case, connection = waiting_case
    accept(connection, status="action_required")
    case = resume(Case.objects.get(pk=case.pk), specialist)
    assert case.current_step == "connection_action"
    text = services.current_step(case).render_text(services.flow_state(case))
    assert "Provide what Noyo asks for (Noyo Command Center), then ask Noyo to retry." in text

    case = services.case_answer(case=case, user=specialist, step_key="connection_action",
                                data={"choice": "retried"}).case
    assert (case.status, case.current_step) == ("waiting", "connection_wait")
    moved(connection, S.UNABLE_TO_CONNECT)
    case = resume(Case.objects.get(pk=case.pk), specialist)
    case = services.case_answer(case=case, user=specialist, step_key="connection_action",
                                data={"choice": "handed_over"}).case
    assert (case.outcome_key, case.disposition) == ("out_connection_action", "referred")


def test_a_refused_request_goes_back_to_the_details_to_send_again(waiting_case, specialist):
    from noyo_sync.services.connections import _record_refused

    case, connection = waiting_case
    _record_refused(connection.pk, "carrier_group_id: not a Humana group.", None)
    case = resume(Case.objects.get(pk=case.pk), specialist)
    assert case.current_step == "connection_refused"
    text = services.current_step(case).render_text(services.flow_state(case))
    assert "Noyo refused the connection request: carrier_group_id: not a Humana group." in text
    case = resume(case, specialist, "connection_refused")
    assert case.current_step == "connection"
    case = services.case_answer(case=case, user=specialist, step_key="connection",
                                data=details("824751", "767101")[1]).case
    assert case.current_step == "create"
    assert GroupConnection.objects.filter(case=case).count() == 2


def test_back_past_a_request_not_yet_sent_cancels_it(waiting_case, specialist):
    case, connection = waiting_case
    case = services.case_back(case=case, user=specialist)  # from the wait to the request step
    assert (case.status, case.current_step) == ("open", "create")
    connection.refresh_from_db()
    assert connection.status == "not_sent"
    case = services.case_back(case=case, user=specialist)
    assert (case.status, case.current_step) == ("open", "connection")
    connection.refresh_from_db()
    assert connection.status == "cancelled"
    assert list(connection.events.values_list("kind", flat=True)) == ["requested", "cancelled"]
    assert "cancelled before it was sent: Noyo never received it" in case.events.last().answer
    assert "create" not in case.artifacts
    # The carrier group ID is free again: the same request can be made once more.
    case = make_case_step(case, specialist, details("824751", "989101"))
    assert case.current_step == "create"
    assert GroupConnection.objects.exclude(status="cancelled").count() == 1


def make_case_step(case, user, answer):
    step_key, data = answer
    result = services.case_answer(case=case, user=user, step_key=step_key, data=data)
    assert result.ok
    return result.case


def test_back_past_a_request_noyo_holds_is_refused_and_changes_nothing(waiting_case, specialist):
    case, connection = waiting_case
    accept(connection)
    case = services.case_back(case=Case.objects.get(pk=case.pk), user=specialist)
    with pytest.raises(StepRefused, match=f"Noyo holds Noyo group connection #{connection.pk} "
                       r"for carrier group ID 989101 \(Created\); Noyo offers no way"):
        services.case_back(case=case, user=specialist)
    with pytest.raises(StepRefused, match="Noyo offers no way"):
        services.case_restart(case=case, user=specialist)
    case.refresh_from_db()
    assert (case.status, case.current_step) == ("open", "create")
    connection.refresh_from_db()
    assert connection.status == "created"


def test_back_while_the_request_is_being_sent_is_refused(waiting_case, specialist):
    from supportdesk import clock

    case, connection = waiting_case
    GroupConnection.objects.filter(pk=connection.pk).update(send_claimed_at=clock.now())
    case = services.case_back(case=case, user=specialist)
    with pytest.raises(StepRefused, match="sending .* to Noyo right now"):
        services.case_back(case=case, user=specialist)
    connection.refresh_from_db()
    assert connection.status == "not_sent"


def test_the_poller_tells_the_waiting_case_of_what_it_saw(waiting_case):
    from noyo_sync.models import PollRun
    from noyo_sync.services.polling import _apply_page
    from noyo_sync.transport import Page

    case, connection = waiting_case
    accept(connection)
    page = Page(connections=[RemoteConnection(id="noyo-1", status="waiting_on_carrier",
                                              carrier_id=connection.carrier_id,
                                              carrier_group_id="989101")],
                offset=0, page_size=100, total=1)
    assert _apply_page(page, PollRun.objects.create(trigger=PollRun.Trigger.BEAT)) == (1, 1)
    case.refresh_from_db()
    assert case.events.last().answer.startswith(
        f"Noyo group connection #{connection.pk} (carrier group ID 989101) is now Waiting on carrier")
    assert case.news and "Waiting on carrier" in case.waiting_reason
