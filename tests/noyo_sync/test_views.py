"""The Noyo pages: each as the right role, a wrong role and anonymous; clear messages, no 500s."""

from __future__ import annotations

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from noyo_sync.models import GroupConnection, PollRun
from tests.noyo_sync.make import make_group, request_connection

pytestmark = pytest.mark.django_db

OK, FORBIDDEN = "ok", 403


@pytest.fixture
def connection(specialist, settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"  # nothing listens: an outage
    return request_connection(specialist, "989101", send=False)


# url name, method, expected for specialist / supervisor / access_user / outsider
MATRIX = [
    ("noyo_connections", "get", {"specialist": OK, "supervisor": OK, "access_user": FORBIDDEN, "outsider": FORBIDDEN}),
    ("noyo_connection", "get", {"specialist": OK, "supervisor": OK, "access_user": FORBIDDEN, "outsider": FORBIDDEN}),
    ("noyo_connection_new", "get", {"specialist": OK, "supervisor": FORBIDDEN, "access_user": FORBIDDEN, "outsider": FORBIDDEN}),
    ("noyo_connection_refresh", "post", {"specialist": OK, "supervisor": FORBIDDEN, "access_user": FORBIDDEN, "outsider": FORBIDDEN}),
    ("noyo_connection_retry", "post", {"specialist": OK, "supervisor": FORBIDDEN, "access_user": FORBIDDEN, "outsider": FORBIDDEN}),
    ("noyo_member_change_check", "get", {"specialist": OK, "supervisor": FORBIDDEN, "access_user": FORBIDDEN, "outsider": FORBIDDEN}),
]  # fmt: skip
NEEDS_ID = {"noyo_connection", "noyo_connection_refresh", "noyo_connection_retry"}


def _url(name: str, connection: GroupConnection) -> str:
    return reverse(name, args=[connection.pk] if name in NEEDS_ID else [])


@pytest.mark.parametrize(("name", "method", "expected"), MATRIX)
@pytest.mark.parametrize("role", ["specialist", "supervisor", "access_user", "outsider"])
def test_it_gives_each_role_exactly_its_pages(request, client, connection, name, method, expected, role):
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(_url(name, connection))
    if expected[role] == OK:
        assert response.status_code in {200, 303}
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize(("name", "method", "_expected"), MATRIX)
def test_it_sends_anonymous_visitors_to_sign_in(client, connection, name, method, _expected):
    url = _url(name, connection)
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"] == redirect_to_login(url)["Location"]


def test_it_lists_connections_with_the_manual_review_flag_and_filters(client, specialist, connection):
    request_connection(specialist, "212101", people=450, send=False)
    client.force_login(specialist)
    body = client.get(reverse("noyo_connections")).content.decode()
    assert "989101" in body and "212101" in body and "300+ people" in body
    filtered = client.get(reverse("noyo_connections"), {"group": "212101"}).context["page"].object_list
    assert [c.carrier_group_id for c in filtered] == ["212101"]
    assert client.get(reverse("noyo_connections"), {"status": "bogus"}).status_code == 200


def test_it_requests_a_connection_and_says_when_noyo_was_unreachable(client, specialist, settings):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"
    group = make_group("824751")
    client.force_login(specialist)
    response = client.post(reverse("noyo_connection_new"), {
        "group_number": "824751", "carrier_group_id": "989101", "people": "40",
        "census_file_sent": "on", "group_number_issued": "on",
    }, follow=True)
    connection = GroupConnection.objects.get()
    assert connection.group == group and connection.requested_by == specialist
    assert response.redirect_chain[-1][0] == reverse("noyo_connection", args=[connection.pk])
    # The test client runs on_commit callbacks only inside captureOnCommitCallbacks: the send is
    # tested over HTTP elsewhere; here the request waits, as it would through an outage.
    assert connection.status == "not_sent"


@pytest.mark.parametrize(("data", "message"), [
    ({"carrier_group_id": "98910"}, "6-digit string"),
    ({"group_number": "999999"}, "SupportDesk has no employer group 999999"),
    ({"people": "lots"}, "Enter a whole number"),
    ({"census_file_sent": ""}, "census file"),
    ({"unsupported": ["dental_hmo", "salary_class_life"]}, "Salary- and class-based life coverage"),
])
def test_it_refuses_a_bad_request_with_a_clear_message_and_saves_nothing(client, specialist, data, message):
    make_group("824751")
    client.force_login(specialist)
    post = {"group_number": "824751", "carrier_group_id": "989101", "people": "40",
            "census_file_sent": "on", "group_number_issued": "on", **data}
    response = client.post(reverse("noyo_connection_new"), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GroupConnection.objects.exists()


def test_it_refuses_a_duplicate_with_the_seeds_reason(client, specialist, connection):
    client.force_login(specialist)
    response = client.post(reverse("noyo_connection_new"), {
        "group_number": connection.group.group_number, "carrier_group_id": "989101", "people": "40",
        "census_file_sent": "on", "group_number_issued": "on",
    })
    assert "unique by carrier ID and carrier group ID" in response.content.decode()
    assert GroupConnection.objects.count() == 1


def test_it_shows_the_status_its_meaning_the_history_and_the_outage(client, specialist, connection):
    client.force_login(specialist)
    client.post(reverse("noyo_connection_refresh", args=[connection.pk]))  # Noyo is unreachable
    response = client.get(reverse("noyo_connection", args=[connection.pk]))
    body = response.content.decode()
    assert "Not yet sent to Noyo" in body and "SupportDesk sends it again every minute" in body
    assert "Noyo unreachable since" in body and "nothing is marked failed" in body
    assert "Requested" in body and "Prerequisites confirmed" in body
    assert PollRun.objects.get().outcome == "outage"
    assert "move_to_carrier_authorization" in body


def test_it_swaps_only_the_status_for_htmx(client, supervisor, connection):
    client.force_login(supervisor)
    response = client.get(reverse("noyo_connection", args=[connection.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="connection-status"')
    assert "<html" not in body and "<h1>" not in body and "History" in body
    assert "Check with Noyo now" not in body and "Send to Noyo now" not in body  # a reader


def test_it_refuses_a_retry_that_noyo_would_not_take(client, specialist, connection):
    client.force_login(specialist)
    response = client.post(reverse("noyo_connection_retry", args=[connection.pk]), follow=True)
    assert "Only a connection that is Action required or Unable to connect can be retried" in response.content.decode()


def test_it_404s_an_unknown_connection(client, specialist):
    client.force_login(specialist)
    assert client.get(reverse("noyo_connection", args=[999999])).status_code == 404
    assert client.post(reverse("noyo_connection_refresh", args=[999999])).status_code == 404


# --- The member-change checker ----------------------------------------------------------------


def test_it_shows_every_broken_rule_in_the_seeds_words(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse("noyo_member_change_check"), {
        "transaction": "termination", "submitted_on": "2025-05-01", "term_date": "2025-02-15",
        "coverage_start": "2025-03-01", "group_state": "TX", "group_has_medical": "on",
    })
    body = response.content.decode()
    rules_shown = [f.rule for f in response.context["findings"]]
    assert rules_shown == ["retro_termination", "texas_sb51", "termination_before_start"]
    assert "Terminations must be submitted within 60 days of the term date." in body
    assert "Texas SB51" in body and "Mon Mar 31, 2025" in body


def test_it_shows_the_oe_window_for_a_renewal(client, specialist):
    client.force_login(specialist)
    response = client.post(reverse("noyo_member_change_check"), {
        "transaction": "open_enrollment", "submitted_on": "2024-08-01", "renewal_date": "2024-10-10",
        "renewal_ready": "on",
    })
    assert "Fri Aug 2, 2024 to Thu Oct 31, 2024" in response.content.decode()
    assert [f.rule for f in response.context["findings"]] == ["outside_oe_window"]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"transaction": "new_hire", "submitted_on": "2025-01-01"}, "coverage_start", "effective start date"),
    ({"transaction": "qle_birth", "event_date": "2025-01-01"}, "submitted_on", "the day the change was sent"),
    ({"transaction": "plan_switch"}, "line", "line of coverage"),
    ({"transaction": "open_enrollment", "submitted_on": "2025-01-01"}, "renewal_date", "renewal date"),
    ({"transaction": "new_hire", "submitted_on": "0001-01-01", "coverage_start": "2025-01-01"},
     "submitted_on", "between 1900 and 2199"),
    ({"transaction": "new_hire", "submitted_on": "not a date"}, "submitted_on", "valid date"),
    ({"transaction": "marry-me"}, "transaction", "Select a valid choice"),
])
def test_it_asks_for_what_each_change_needs_without_a_500(client, specialist, data, field, message):
    client.force_login(specialist)
    response = client.post(reverse("noyo_member_change_check"), data)
    assert response.status_code == 200
    assert response.context["findings"] is None
    assert message in " ".join(response.context["form"].errors[field])


def test_it_never_puts_the_change_in_the_url_or_the_logs(client, specialist, caplog):
    client.force_login(specialist)
    page = client.get(reverse("noyo_member_change_check")).content.decode()
    assert 'method="post"' in page
    client.post(reverse("noyo_member_change_check"), {
        "transaction": "qle_birth", "submitted_on": "2025-03-10", "event_date": "2025-01-07"})
    assert "2025-01-07" not in caplog.text
