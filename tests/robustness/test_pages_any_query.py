"""Every filter form of a page, through Django's test client, fed anything HTTP can carry in a
query string (arbitrary and 100 kB strings, NUL, bidi controls, dates from year 1 to 9999, numbers
past 64 bits, page numbers): the case list and its export, the dashboard and its exports, the EC
queue, the escalations overview, the Noyo connections, the HUSKY catalog. Never a 500, and reading
never writes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from agent_rsos.forms import EscalationFilterForm
from ec_access.forms import QueueFilterForm
from husky_reports.forms import CatalogSearchForm
from noyo_sync.forms import ConnectionFilterForm
from supportdesk.forms import CaseFilterForm
from supportdesk.views.dashboard import DashboardForm
from tests.robustness.strategies import FUZZ_FEW, form_data, text
from tests.robustness.web import web
from tests.robustness.writes import captured_writes

pytestmark = pytest.mark.django_db


FILTER_PAGES = [
    ("supervisor", "supervisor_cases", (), CaseFilterForm),
    ("supervisor", "supervisor_cases_export", ("csv",), CaseFilterForm),
    ("supervisor", "supervisor_dashboard", (), DashboardForm),
    ("supervisor", "supervisor_dashboard_export", ("arsos-sla", "csv"), DashboardForm),
    ("supervisor", "supervisor_dashboard_export", ("drop-off", "xlsx"), DashboardForm),
    ("access_user", "ec_queue", (), QueueFilterForm),
    ("supervisor", "arsos_escalation_overview", (), EscalationFilterForm),
    ("specialist", "noyo_connections", (), ConnectionFilterForm),
    ("supervisor", "noyo_connections", (), ConnectionFilterForm),
    ("specialist", "husky_catalog", (), CatalogSearchForm),
]


@pytest.mark.parametrize("role,name,args,form_class", FILTER_PAGES,
                         ids=[f"{name}{'.' + '.'.join(args) if args else ''}"
                              for _, name, args, _ in FILTER_PAGES])
@FUZZ_FEW
@given(data=st.data())
def test_it_reads_any_filter_without_a_500_or_a_write(request, role, name, args, form_class, data):
    params = data.draw(form_data(form_class, http=True), label="query")
    params["page"] = data.draw(st.lists(text(http=True), max_size=1), label="page")
    client = web(request.getfixturevalue(role))
    with captured_writes() as writes:
        response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    assert writes == []


EDGE_DATES = [("0001-01-01", "0001-01-01"), ("0001-01-01", "0001-12-31"),
              ("9999-12-31", "9999-12-31"), ("9999-01-01", "9999-12-31")]


@pytest.mark.parametrize("start,end", EDGE_DATES)
@pytest.mark.parametrize("name,args,params", [
    ("supervisor_dashboard", (), ("start", "end")),
    ("supervisor_dashboard_export", ("arsos-sla", "csv"), ("start", "end")),
    ("supervisor_cases", (), ("opened_from", "opened_to")),
    ("supervisor_cases_export", ("xlsx",), ("opened_from", "opened_to")),
])
def test_it_filters_by_the_first_and_last_days_of_the_calendar(supervisor, name, args, params,
                                                               start, end):
    # Always examples, not left to chance: each filter adds or subtracts days from these.
    response = web(supervisor).get(reverse(name, args=args), dict(zip(params, (start, end), strict=False)))
    assert response.status_code == 200
