"""Attribution and the monthly refresh: "why is this member not on my panel?" (seed 003)."""

from __future__ import annotations

import datetime as dt

import pytest

from husky_reports.rules import attribution, last_refresh, next_refresh

ON = dt.date(2025, 8, 15)


def test_it_refreshes_on_the_first_of_each_month():
    assert last_refresh(ON) == dt.date(2025, 8, 1)
    assert next_refresh(ON) == dt.date(2025, 9, 1)
    assert next_refresh(dt.date(2025, 12, 31)) == dt.date(2026, 1, 1)
    assert last_refresh(dt.date(2025, 9, 1)) == dt.date(2025, 9, 1)


def test_it_attributes_a_member_on_the_patient_panel():
    assert attribution(on=ON, on_panel=True).attributed


@pytest.mark.parametrize(("selected", "attributed", "pending"), [
    (dt.date(2025, 7, 31), True, None),
    (dt.date(2025, 8, 1), False, dt.date(2025, 9, 1)),  # on refresh day: counts at the next
    (dt.date(2025, 8, 15), False, dt.date(2025, 9, 1)),
])
def test_it_attributes_self_selection_from_the_next_refresh(selected, attributed, pending):
    result = attribution(on=ON, self_selected_on=selected)
    assert result.attributed is attributed
    assert result.pending_until == pending
    if pending:
        assert "Mon Sep 1, 2025" in result.reason and "refreshed monthly" in result.reason


@pytest.mark.parametrize(("visit", "attributed"), [
    (dt.date(2024, 5, 1), True),  # 15 months before the 08/01/2025 refresh, to the day
    (dt.date(2024, 4, 30), False),
    (dt.date(2025, 7, 31), True),
])
def test_it_attributes_by_15_months_of_claims_history(visit, attributed):
    result = attribution(on=ON, last_pcp_visit_on=visit, visit_qualifies=True)
    assert result.attributed is attributed
    if not attributed:
        assert "15 months of claims history" in result.reason


def test_it_says_when_claims_attribution_lapses():
    result = attribution(on=ON, last_pcp_visit_on=dt.date(2024, 5, 20), visit_qualifies=True)
    assert result.drops_at == dt.date(2025, 9, 1)
    # Checked against the definition: the 09/01 refresh looks back to 06/01/2024.
    assert attribution(on=dt.date(2025, 9, 2), last_pcp_visit_on=dt.date(2024, 5, 20),
                       visit_qualifies=True).attributed is False
    assert attribution(on=dt.date(2025, 8, 31), last_pcp_visit_on=dt.date(2024, 5, 20),
                       visit_qualifies=True).attributed is True


def test_it_waits_for_the_next_refresh_after_a_recent_visit():
    result = attribution(on=ON, last_pcp_visit_on=dt.date(2025, 8, 3), visit_qualifies=True)
    assert not result.attributed and result.pending_until == dt.date(2025, 9, 1)


def test_it_does_not_count_a_visit_without_the_right_codes_or_pcp_flag():
    result = attribution(on=ON, last_pcp_visit_on=dt.date(2025, 6, 1), visit_qualifies=False)
    assert not result.attributed and result.pending_until is None
    assert "Evaluation & Management (E&M)" in result.reason
    assert "flagged as PCPs in CHNCT's system" in result.reason


def test_it_explains_that_nothing_attributes_the_member():
    result = attribution(on=ON)
    assert not result.attributed
    assert "claims history or self selection" in result.reason
    assert result.next_refresh == dt.date(2025, 9, 1)
