"""The ARSOS demo data: every lifecycle point, made through the services, loaded once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from agent_rsos.demo import load_agent_rsos_demo
from agent_rsos.models import Escalation
from supportdesk.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_it_loads_one_escalation_per_lifecycle_point_once(specialist):
    today = timezone.localdate()

    summary = load_agent_rsos_demo(today)
    again = load_agent_rsos_demo(today)

    assert summary == "ARSOS demo: 1 draft, 1 sent, 2 acknowledged, 1 resolved, 1 escalated"
    assert again == "ARSOS demo: 6 escalations already there"
    assert Escalation.objects.count() == 6
    now = timezone.now()
    overdue = Escalation.objects.filter(next_due_at__lte=now)
    assert sorted(overdue.values_list("next_due_kind", flat=True)) == ["follow_up", "response"]
    assert Escalation.objects.get(status="escalated").escalated_to == "brm"
    for event in CaseEvent.objects.all():  # no demo member on any case either
        assert "H0000000" not in f"{event.shown} {event.answer} {event.artifact}"


def test_it_skips_without_the_demo_specialist(db):
    assert load_agent_rsos_demo(timezone.localdate()) == \
        "ARSOS demo: skipped (no demo specialist yet)"
    assert not Escalation.objects.exists()
