"""Every lifecycle form's note is kept: on the escalation's event, shown in its history; the case
transcript says a note was kept, never what it says (a note may name the member)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agent_rsos import services
from agent_rsos.models import Escalation
from supportdesk import clock
from supportdesk.models import CaseEvent
from tests.agent_rsos.make import details, make_escalation

pytestmark = pytest.mark.django_db

STEPS = [
    ("arsos_escalation_sent", "sent", "details", "sent", {}),
    ("arsos_escalation_acknowledged", "ack", "sent", "acknowledged", {}),
    ("arsos_escalation_follow_up", "follow_up", "acknowledged", "follow_up", {}),
    ("arsos_escalation_resolved", "resolve", "acknowledged", "resolved", {}),
    ("arsos_escalation_escalated", "escalate", "acknowledged", "escalated", {"escalated_to": "brm"}),
]


def ready(specialist, status: str) -> Escalation:
    """An escalation at ``status``; "details": a draft whose template is filled in."""
    if status == "details":
        escalation = make_escalation(specialist, status="draft")
        services.escalation_save_details(escalation_id=escalation.pk, user=specialist, details=details())
        return escalation
    return make_escalation(specialist, status=status)


@pytest.mark.parametrize(("view", "prefix", "before", "kind", "extra"), STEPS, ids=[s[0] for s in STEPS])
def test_it_keeps_the_note_typed_with_each_step(client, specialist, view, prefix, before, kind, extra):
    escalation = ready(specialist, before)
    client.force_login(specialist)
    note = f"Spoke to the mailbox about step {kind}; ticket 4471."

    response = client.post(reverse(view, args=[escalation.pk]), {
        f"{prefix}-occurred_at": clock.local_now().strftime("%Y-%m-%dT%H:%M"),
        f"{prefix}-note": note,
        **{f"{prefix}-{name}": value for name, value in extra.items()},
    })

    assert response.status_code == 303, response.content.decode()[:500]
    event = escalation.events.get(kind=kind)
    assert event.note == note
    page = client.get(reverse("arsos_escalation", args=[escalation.pk])).content.decode()
    assert note in page  # the escalation's history
    transcript = " ".join(CaseEvent.objects.filter(case=escalation.case).values_list("answer", flat=True))
    assert "A note is kept with the escalation." in transcript and note not in transcript


def test_it_says_nothing_of_a_note_when_none_was_typed(client, specialist):
    escalation = ready(specialist, "details")
    client.force_login(specialist)
    client.post(reverse("arsos_escalation_sent", args=[escalation.pk]),
                {"sent-occurred_at": clock.local_now().strftime("%Y-%m-%dT%H:%M")})
    assert escalation.events.get(kind="sent").note == ""
    transcript = " ".join(CaseEvent.objects.filter(case=escalation.case).values_list("answer", flat=True))
    assert "sent to" in transcript and "A note is kept" not in transcript
