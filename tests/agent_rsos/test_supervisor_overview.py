"""The supervisor's overview: open escalations with due / overdue, filters, and the SLA
compliance rate per week (database aggregates)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agent_rsos import queries, services
from agent_rsos.models import Escalation
from agent_rsos.rules import LineOfBusiness
from tests.agent_rsos.make import MEMBER, make_escalation

pytestmark = pytest.mark.django_db


def monday_weeks_ago(weeks: int) -> dt.datetime:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 7 * weeks)
    return timezone.make_aware(dt.datetime.combine(monday, dt.time(10, 0)))


def listed(client, **params: str) -> list[Escalation]:
    return list(client.get(reverse("arsos_escalation_overview"), params).context["page"])


def test_it_lists_open_escalations_soonest_due_first_without_drafts_or_closed(
        client, specialist, supervisor):
    now = timezone.now()
    later = make_escalation(specialist, status="sent", sent_at=now - dt.timedelta(hours=1))
    overdue = make_escalation(specialist, status="sent", sent_at=now - dt.timedelta(hours=80))
    make_escalation(specialist, status="draft")
    make_escalation(specialist, status="resolved")
    client.force_login(supervisor)

    response = client.get(reverse("arsos_escalation_overview"))

    assert list(response.context["page"]) == [overdue, later]
    body = response.content.decode()
    assert "2 open · 1 overdue" in body
    assert "Overdue" in body
    for value in MEMBER.values():  # the list needs no member data
        assert value not in body


@pytest.mark.parametrize(("params", "expected"), [
    ({"due": "overdue"}, ["overdue"]),
    ({"due": "due_24h"}, ["soon"]),
    ({"due": "on_track"}, ["soon", "later"]),
    ({"line_of_business": "HumanaOne"}, ["later"]),
    ({"state": "resolved"}, ["closed"]),
    ({"state": "draft"}, ["draft"]),
    ({"state": ""}, ["overdue", "soon", "later", "closed", "draft"]),
])
def test_it_filters_by_due_line_and_state(client, specialist, supervisor, params, expected):
    now = timezone.now()
    made = {
        "overdue": make_escalation(specialist, status="sent", sent_at=now - dt.timedelta(hours=75)),
        "soon": make_escalation(specialist, status="sent", sent_at=now - dt.timedelta(hours=60)),
        "later": make_escalation(specialist, status="sent", sent_at=now - dt.timedelta(hours=1),
                                 line=LineOfBusiness.HUMANAONE),
        "closed": make_escalation(specialist, status="resolved"),
        "draft": make_escalation(specialist, status="draft"),
    }
    client.force_login(supervisor)

    got = listed(client, **params)

    assert sorted(e.pk for e in got) == sorted(made[name].pk for name in expected)


def test_it_filters_by_specialist(client, specialist, other_specialist, supervisor):
    mine = make_escalation(specialist, status="sent")
    make_escalation(other_specialist, status="sent")
    client.force_login(supervisor)

    assert listed(client, owner=str(specialist.pk)) == [mine]


def test_it_refuses_a_bad_filter_value_without_a_500(client, supervisor):
    client.force_login(supervisor)

    response = client.get(reverse("arsos_escalation_overview"), {"state": "bogus", "owner": "x"})

    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_it_computes_the_weekly_compliance_rate(client, specialist, supervisor):
    sent = monday_weeks_ago(2)
    hours = lambda n: sent + dt.timedelta(hours=n)  # noqa: E731

    def walk(*, update_after: float | None, missed: int = 0) -> Escalation:
        escalation = make_escalation(specialist, status="sent", sent_at=sent)
        if update_after is not None:
            services.escalation_acknowledge(escalation_id=escalation.pk, user=specialist,
                                            occurred_at=hours(1))
            services.escalation_follow_up(escalation_id=escalation.pk, user=specialist,
                                          occurred_at=hours(update_after))
        Escalation.objects.filter(pk=escalation.pk).update(follow_ups_missed=missed)
        return escalation

    walk(update_after=24)               # answered within 72 hours: compliant
    walk(update_after=80)               # answered late
    walk(update_after=None)             # never answered: measured, not compliant
    walk(update_after=2, missed=1)      # on time, but a follow-up was missed
    make_escalation(specialist, status="sent",  # this week: a row of its own
                    sent_at=timezone.now() - dt.timedelta(minutes=1))

    weeks = queries.weekly_compliance(now=timezone.now())

    assert [w.week for w in weeks][-1] == sent.date()
    old = weeks[-1]
    assert (old.sent, old.measured, old.on_time, old.follow_ups_missed, old.compliant) == \
        (4, 4, 2, 1, 1)
    assert old.percent == "25%"
    client.force_login(supervisor)
    body = client.get(reverse("arsos_escalation_overview")).content.decode()
    assert "SLA compliance per week" in body and "25%" in body and "(1 of 4)" in body


def test_it_leaves_a_week_unmeasured_until_its_72_hours_are_up(specialist):
    make_escalation(specialist, status="sent", sent_at=timezone.now() - dt.timedelta(hours=1))

    (week,) = queries.weekly_compliance(now=timezone.now())

    assert (week.sent, week.measured, week.rate, week.percent) == (1, 0, None, "—")


def test_it_keeps_the_open_default_on_a_bare_page_link(client, specialist, supervisor):
    sent = make_escalation(specialist, status="sent")
    make_escalation(specialist, status="resolved")
    client.force_login(supervisor)

    assert listed(client, page="1") == [sent]
