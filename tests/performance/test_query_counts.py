"""The SQL a wizard step and a case page cost does not grow with the case's transcript.

Each page is measured on a case with 1 event and on one with 200, under the same budget
(django_assert_max_num_queries), and the two counts must be equal: one query per event fails
even while under budget. The budgets are today's counts; raise one only with a reason.

What a request costs before the view runs: the session, and the user with the ids of their
permissions (role checks) in one query (supportdesk.backends.RoleBackend); the session is saved
at most once a minute (SessionActivityMiddleware), not in these requests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.template import Context, Template
from django.urls import reverse

from supportdesk import services
from supportdesk.models import Case, CaseEvent
from tests.factories import make_case
from tests.pages import step_url

EVENT_COUNTS = (1, 200)


def case_with_events(user: Any, events: int) -> Case:
    """An open ARSOS case standing on its first question with ``events`` transcript rows, made
    through the services: answered, went back, answered... (the rows the side panel lists),
    then notes to make up an odd count."""
    case = make_case(user, "arsos-routing")
    written = 1
    while written + 2 <= events:
        services.case_answer(case=case, user=user, step_key="sale_stage", data={"choice": "post_sale"})
        services.case_back(case=case, user=user)
        written += 2
    for _ in range(events - written):
        services.case_note(case=case, user=user, text="A note.")
    case.refresh_from_db()
    assert case.events.count() == events and case.current_step == "sale_stage"
    return case


@dataclass(frozen=True)
class Page:
    role: str  # the fixture that signs in
    budget: int
    request: Callable[[Any, Case], Any]


PAGES = {
    "case step page": Page("specialist", 4, lambda client, case: client.get(step_url(case))),
    "case step, htmx": Page(
        "specialist", 4, lambda client, case: client.get(step_url(case), HTTP_HX_REQUEST="true")),
    # Answering: the case read and locked (the opener's only), its last event number, the
    # event inserted, the case saved, the supervisor rollups' counters (one upsert statement),
    # the audit row, inside a savepoint here (a transaction in production), then the step
    # rendered (its events for the side panel).
    "case step POST, htmx": Page(
        "specialist", 11, lambda client, case: client.post(
            step_url(case), {"choice": "post_sale"}, HTTP_HX_REQUEST="true")),
    "supervisor case detail": Page(
        "supervisor", 5,
        lambda client, case: client.get(reverse("supervisor_case", args=[case.reference]))),
    "transcript PDF": Page(
        "supervisor", 4,
        lambda client, case: client.get(reverse("supervisor_case_pdf", args=[case.reference]))),
}


@pytest.mark.parametrize("name", PAGES)
def test_it_costs_the_same_queries_for_1_and_200_events(
    name, request, client, specialist, django_assert_max_num_queries
):
    page = PAGES[name]
    client.force_login(request.getfixturevalue(page.role))
    client.get(reverse("home"))  # marks the session active: the measured clicks do not save it
    counts = {}
    for events in EVENT_COUNTS:
        case = case_with_events(specialist, events)
        with django_assert_max_num_queries(page.budget) as captured:
            response = page.request(client, case)
        assert response.status_code == 200, response.status_code
        counts[events] = len(captured)
    print(f"{name}: {counts} queries for {' and '.join(map(str, EVENT_COUNTS))} events")
    assert counts[1] == counts[200], f"{name}: {counts}: the query count grows with the events"


def test_it_catches_a_query_per_event(specialist, django_assert_max_num_queries):
    """The measure itself can fail: a transcript that reads each event's user lazily."""
    case = case_with_events(specialist, 20)
    lazy = Template("{% for e in events %}{{ e.user.username }}{% endfor %}")
    with pytest.raises(pytest.fail.Exception, match="Expected to perform 5 queries or less"):
        with django_assert_max_num_queries(5):
            lazy.render(Context({"events": CaseEvent.objects.filter(case=case)}))
