"""The EC request path walked with the clock on the days that matter, not on the machine's date.

Seed 000: "Reporting is down from the 1st-5th of every month for updates, so you will not be
able to run any business function reports until the 6th of every month." "Today" is the date in
TIME_ZONE (New York), so the edges are tested at the last minute of the 5th and the first of the
6th, when UTC already shows the next day (or still the previous one).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from ec_access.models import ECRequest
from supportdesk.dates import date_text
from tests.ec_access.make import make_eligible_group
from tests.factories import make_case

pytestmark = pytest.mark.django_db
FLOW = "ec-employer-access"


def office(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(settings.TIME_ZONE))


def request_access(user, capture, *, blackout: bool = False):
    """The specialist's path: the group, then (outside the blackout) run the report and send a
    standard request."""
    make_eligible_group(group_number="824751")
    steps = [("group", {"group-group_number": "824751"})]
    if not blackout:
        steps += [("run_report", {}), ("expedite", {"choice": "standard"})]
    with capture(execute=True):
        case = make_case(user, FLOW, steps)
    case.refresh_from_db()
    return case


# The report can be run from the 6th; the case is followed up on the first business day from
# then (6 December 2026 is a Sunday, so Monday the 7th).
BLACKOUT = [
    pytest.param(office(2026, 12, 3), dt.date(2026, 12, 7), id="the 3rd"),
    pytest.param(office(2026, 12, 1, 0, 1), dt.date(2026, 12, 7), id="the 1st, 00:01"),
    # 23:59 on the 5th in New York is already the 6th in UTC: still down.
    pytest.param(office(2026, 12, 5, 23, 59), dt.date(2026, 12, 7), id="the 5th, 23:59"),
    pytest.param(office(2027, 1, 1, 0, 1), dt.date(2027, 1, 6), id="new year's day"),
    pytest.param(office(2028, 3, 1), dt.date(2028, 3, 6), id="the day after 29 february"),
]

OPEN = [
    pytest.param(office(2026, 12, 9), id="the 9th"),
    pytest.param(office(2026, 12, 6, 0, 1), id="the 6th, 00:01"),
    # 21:00 on 30 November in New York is 1 December in UTC: not yet the blackout.
    pytest.param(office(2026, 11, 30, 21, 0), id="the last day of a month, 21:00"),
    pytest.param(office(2026, 12, 31, 23, 59), id="31 december, 23:59"),
    pytest.param(office(2028, 2, 29), id="29 february"),
    # Friday before Martin Luther King Jr. Day (Monday 18 January 2027).
    pytest.param(office(2027, 1, 15, 16, 30), id="a friday before a federal holiday"),
]


@pytest.mark.parametrize("moment,available", BLACKOUT)
def test_it_ends_at_the_blackout_from_the_1st_to_the_5th(specialist, clock_at, mailoutbox,
                                                         django_capture_on_commit_callbacks,
                                                         moment, available):
    clock_at(moment)
    case = request_access(specialist, django_capture_on_commit_callbacks, blackout=True)

    assert (case.status, case.current_step) == ("waiting", "blackout_wait")
    assert case.follow_up_on == available and case.disposition == ""
    shown = case.events.get(kind="wait").shown
    assert "Reporting is down from the 1st-5th of every month" in shown
    assert date_text(available) in shown  # "Mon Dec 7, 2026"
    assert not ECRequest.objects.exists() and mailoutbox == []


@pytest.mark.parametrize("moment", OPEN)
def test_it_sends_the_request_outside_the_blackout(specialist, clock_at, mailoutbox,
                                                  django_capture_on_commit_callbacks, moment):
    clock_at(moment)
    case = request_access(specialist, django_capture_on_commit_callbacks)

    assert case.current_step == "request_email"
    request = ECRequest.objects.get()
    assert (request.state, request.case, request.expedited) == ("queued", case, False)
    assert abs(request.created_at - moment) < dt.timedelta(minutes=1)  # stamped by the one clock
    [email] = mailoutbox
    assert email.to == ["EmployerGroup@humana.com"] and "824751" in email.subject

