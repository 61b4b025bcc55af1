"""The call context panel on a case page: what the EC records hold on the case's group today
(registered by ec_access in its AppConfig.ready()), and the handle timer."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from ec_access.context import group_facts
from ec_access.models import Platform
from supportdesk.context import Fact, Subject, clock_text, handle_timer, subject_facts
from tests.clock import PINNED_DAY, office_moment
from tests.ec_access.make import make_group, make_product, make_sl_app
from tests.factories import make_case

pytestmark = pytest.mark.django_db

EMPLOYER = "ec-employer-cannot-see"


def page_of(client, case) -> str:
    response = client.get(reverse("case_step", args=[case.reference, case.current_step]))
    assert response.status_code == 200
    return response.content.decode()


def fusion_controls():
    group = make_group("824751", name="FUSION CONTROLS INC", platform=Platform.MTV,
                       employees_enrolled=1045, portal_registered_on=dt.date(2024, 3, 4))
    make_product(group, "medical", includes_go365=True)
    make_product(group, "dental", active_from=dt.date(2020, 1, 1), active_to=dt.date(2025, 12, 31))
    make_product(group, "vision", active_from=dt.date(2027, 1, 1))
    make_sl_app(group, sl_app_number="5550013", ec_identifier="1177334")
    return group


def facts_of(group_number: str, sl_app_number: str = "", today: dt.date = PINNED_DAY) -> dict[str, str]:
    held = group_facts(Subject({"group_number": group_number, "sl_app_number": sl_app_number}, today))
    assert held is not None and not held.note
    return {fact.label: fact.value for fact in held.facts}


def test_it_shows_the_group_as_the_ec_records_hold_it(signed_in, specialist):
    fusion_controls()
    case = make_case(specialist, EMPLOYER, group_number="824751")
    page = page_of(signed_in, case)
    assert 'class="call-context"' in page
    for label, value in [
        ("Group", "824751 FUSION CONTROLS INC"),
        ("SL app", "5550013 · Employer · EC 1177334"),
        ("Platform", "MTV"),
        ("Products", "Medical with Go365, Vision from Fri Jan 1, 2027"),
        ("Employees", "1,045 enrolled"),
        ("Registration", "Employer Portal since Mon Mar 4, 2024"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page
    assert "As the EC records hold it today" in page
    # The header no longer repeats the bare number beside the panel.
    assert "· group 824751" not in page


def test_it_reads_the_products_on_the_apps_today_not_the_machines(signed_in, specialist, on_day):
    fusion_controls()
    assert facts_of("824751", today=dt.date(2027, 2, 1))["Products"] == "Medical with Go365, Vision"
    on_day(dt.date(2025, 6, 1))  # the dental plan was still active then
    case = make_case(specialist, EMPLOYER, group_number="824751")
    assert ("<dt>Products</dt><dd>Medical with Go365, Dental, Vision from Fri Jan 1, 2027</dd>"
            in page_of(signed_in, case))


def test_it_says_when_no_product_is_active_and_the_group_never_registered():
    group = make_group("824752", portal_registered_on=None, is_reregistration=False)
    make_product(group, "medical", active_from=dt.date(2020, 1, 1), active_to=dt.date(2021, 1, 1))
    facts = facts_of("824752")
    assert facts["Products"] == "None active today"
    assert facts["Registration"] == "Not registered on the Employer Portal"
    assert facts["SL app"] == "No employer SL app on record"


def test_it_names_a_re_registration_and_the_mtv_shell_of_a_cas_group():
    shell = make_group("700100", platform=Platform.MTV)
    make_group("824753", platform=Platform.CAS, mtv_shell=shell, is_reregistration=True,
               portal_registered_on=dt.date(2026, 10, 1))
    facts = facts_of("824753")
    assert facts["Platform"] == "CAS (group benefits on MTV shell 700100)"
    assert facts["Registration"] == "Employer Portal since Thu Oct 1, 2026 (a re-registration)"


def test_it_shows_the_sl_app_the_case_names_rather_than_the_groups_first():
    group = fusion_controls()
    make_sl_app(None, "pseudo", sl_app_number="5550099")
    assert facts_of(group.group_number, "5550099")["SL app"] == "5550099 · Pseudo · no EC identifier"
    assert facts_of(group.group_number, "5559999")["SL app"] == "5559999: not in the EC records"


def test_it_says_plainly_that_an_unknown_group_is_not_in_the_records(signed_in, specialist):
    case = make_case(specialist, EMPLOYER, group_number="999999")
    page = page_of(signed_in, case)
    assert "Group 999999 is not in the EC records: confirm the number with the caller." in page
    assert "<dt>Products</dt>" not in page


def test_it_shows_no_panel_for_a_case_about_no_group(signed_in, specialist):
    case = make_case(specialist, "arsos-routing")
    page = page_of(signed_in, case)
    assert 'class="call-context"' not in page
    assert 'role="timer"' in page  # the timer is on every case page
    assert subject_facts(Subject({}, PINNED_DAY)) == []


def test_it_reads_the_group_in_two_queries(django_assert_num_queries):
    fusion_controls()
    with django_assert_num_queries(2):  # the group with its shell and SL app; its products
        held = group_facts(Subject({"group_number": "824751"}, PINNED_DAY))
    assert held.facts[0] == Fact("Group", "824751 FUSION CONTROLS INC")
    with django_assert_num_queries(0):
        assert group_facts(Subject({"sl_app_number": "5550013"}, PINNED_DAY)) is None


def test_the_core_registers_providers_and_imports_no_domain_app():
    source = Path(__file__).resolve().parents[2] / "supportdesk" / "context.py"
    imported = {node.module or "" for node in ast.walk(ast.parse(source.read_text()))
                if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(ast.parse(source.read_text()))
                 if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported
                if name.split(".")[0] in {"ec_access", "agent_rsos", "husky_reports", "noyo_sync"}}
    assert group_facts in __import__("supportdesk.context", fromlist=["_providers"])._providers


# --- The handle timer ----------------------------------------------------------------------

def test_it_times_a_case_opened_today_from_its_opening():
    opened = office_moment(PINNED_DAY)
    timer = handle_timer(opened_at=opened, closed_at=None, now=opened + dt.timedelta(minutes=3, seconds=12))
    assert (timer.label, timer.seconds, timer.running, timer.from_page) == ("On this case", 192, True, False)
    assert timer.shown == "03:12"


def test_it_times_only_this_call_for_a_case_opened_on_an_earlier_day():
    opened = office_moment(PINNED_DAY - dt.timedelta(days=3))
    timer = handle_timer(opened_at=opened, closed_at=None, now=office_moment(PINNED_DAY))
    assert (timer.label, timer.seconds, timer.running, timer.from_page) == ("On this call", 0, True, True)


def test_it_shows_what_a_closed_case_took():
    opened = office_moment(PINNED_DAY)
    timer = handle_timer(opened_at=opened, closed_at=opened + dt.timedelta(hours=1, seconds=5),
                         now=opened + dt.timedelta(hours=5))
    assert (timer.label, timer.shown, timer.running) == ("Handled in", "1:00:05", False)


def test_it_writes_the_clock_as_case_js_does():
    assert [clock_text(s) for s in (0, 59, 60, 3599, 3600, 36125)] == [
        "00:00", "00:59", "01:00", "59:59", "1:00:00", "10:02:05"]


def test_the_page_carries_a_silent_running_timer(signed_in, specialist, clock_at):
    case = make_case(specialist, "arsos-routing")
    clock_at(case.opened_at + dt.timedelta(minutes=2, seconds=30))
    page = page_of(signed_in, case)
    assert 'role="timer" aria-live="off"' in page
    assert 'data-timer-seconds="150"' in page or 'data-timer-seconds="151"' in page
    assert "On this case" in page and "js/case.js" in page
