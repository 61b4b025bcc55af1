"""A Grant submitted twice at the same moment (a double click, two tabs), on PostgreSQL with two
real connections: the row lock makes the second wait, then refuse; the SL app is written once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ec_access import services
from ec_access.models import ECRequestEvent
from supportdesk.models import AuditEntry
from supportdesk.roles import Role
from tests.ec_access.make import make_request
from tests.ec_access.test_queue_concurrency import in_thread, in_thread_holding
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_grants_write_once(mailoutbox):
    clerk = make_user("clerk1", Role.ACCESS_MANAGEMENT, first_name="Alex", last_name="Morgan",
                      email="alex@example.com")
    requester = make_user("sam", Role.SPECIALIST, email="sam@example.com")
    request = make_request(state="claimed", claimed_by=clerk, claimed_at=timezone.now(),
                           requested_by=requester)
    thread_a, outcome_a, release = in_thread_holding(
        lambda: services.ec_request_grant(request_id=request.pk, user=clerk)
    )
    thread_b, outcome_b = in_thread(
        lambda: services.ec_request_grant(request_id=request.pk, user=clerk)
    )
    thread_b.join(0.5)
    assert thread_b.is_alive(), "the second grant should wait on the first one's row lock"
    release.set()
    thread_a.join(10)
    thread_b.join(10)

    assert outcome_a["result"].state == "granted"
    assert isinstance(outcome_b.get("error"), services.QueueRefused)
    assert "already granted: nothing more to do" in str(outcome_b["error"])
    assert ECRequestEvent.objects.filter(request=request, kind="granted").count() == 1
    assert AuditEntry.objects.filter(action="ec_request.grant").count() == 1
    assert len(mailoutbox) == 1
