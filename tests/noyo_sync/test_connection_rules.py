"""Seed 004's group connection rules, at their boundaries."""

from __future__ import annotations

import pytest

from noyo_sync import rules

S = rules.ConnectionStatus


@pytest.mark.parametrize("value", ["989101", "000000", "212999"])
def test_it_accepts_a_six_digit_string(value):
    assert rules.carrier_group_id_problem(value) is None


@pytest.mark.parametrize("value", ["98910", "9891011", "98910a", " 989101", "989101 ", "", "９８９１０１", 989101, None])
def test_it_refuses_anything_but_a_six_digit_string_with_the_seeds_reason(value):
    problem = rules.carrier_group_id_problem(value)
    assert problem is not None
    assert "The format expected is a 6-digit string." in problem


@pytest.mark.parametrize(("carrier_group_id", "expected"), [
    ("989000", S.NOYO_REVIEW),
    ("989999", S.NOYO_REVIEW),
    ("767123", S.WAITING_ON_CARRIER),
    ("545123", S.ACTION_REQUIRED),
    ("323123", S.UNABLE_TO_CONNECT),
    ("212123", S.CARRIER_AUTHORIZATION),  # the seed's "move_to_carrier_authorization"
    ("988999", S.COMPLETED),  # not one of the seed's prefixes
    ("100560", S.COMPLETED),
])
def test_it_picks_the_sandbox_status_from_the_first_three_digits(carrier_group_id, expected):
    assert rules.sandbox_resulting_status(carrier_group_id) == expected


def test_it_reads_move_to_carrier_authorization_as_carrier_authorization_and_ignores_unknown_statuses():
    assert rules.noyo_status("move_to_carrier_authorization") == S.CARRIER_AUTHORIZATION
    assert rules.noyo_status("completed") == S.COMPLETED
    assert rules.noyo_status("connecting") is None
    assert rules.noyo_status("not_sent") is None  # ours, never Noyo's
    assert "move_to_carrier_authorization" in rules.MOVE_TO_CARRIER_AUTHORIZATION_NOTE


def test_it_gives_every_status_a_meaning_and_what_to_do():
    assert set(rules.STATUS_GUIDE) == set(S)
    assert all(guide.meaning and guide.what_to_do for guide in rules.STATUS_GUIDE.values())
    assert "no action is needed from you" in rules.STATUS_GUIDE[S.NOYO_REVIEW].meaning


def test_it_watches_only_statuses_noyo_may_still_move():
    assert rules.is_open(S.CREATED) and rules.is_open(S.ACTION_REQUIRED)
    assert not rules.is_open(S.COMPLETED) and not rules.is_open(S.UNABLE_TO_CONNECT)
    assert not rules.is_open(S.NOT_SENT) and not rules.is_open(S.REFUSED)
    assert {s for s in S if rules.retry_allowed(s)} == {S.ACTION_REQUIRED, S.UNABLE_TO_CONNECT}


@pytest.mark.parametrize(("feature", "words"), [
    ("dental_hmo", "Noyo does not support groups with: Dental HMO plans."),
    ("medical_hsa_hra_fsa", "Noyo does not support groups with: Medical plans with HSA/HRA/FSA options."),
    ("salary_class_life", "Noyo does not support groups with: Salary- and class-based life coverage."),
    ("variable_waiting_periods",
     "Noyo does not support groups with: Variable waiting periods (class- or subgroup-based)."),
])
def test_it_refuses_each_unsupported_plan_with_the_seeds_reason(feature, words):
    assert rules.unsupported_reasons([feature]) == [words]


def test_it_lists_every_unsupported_plan_and_none_for_a_supported_group():
    assert len(rules.unsupported_reasons([f.value for f in rules.UnsupportedFeature])) == 4
    assert rules.unsupported_reasons([]) == []


@pytest.mark.parametrize(("census", "issued", "missing"), [
    (True, True, 0), (False, True, 1), (True, False, 1), (False, False, 2),
])
def test_it_needs_the_census_file_and_the_group_number(census, issued, missing):
    found = rules.missing_prerequisites(census_file_sent=census, group_number_issued=issued)
    assert len(found) == missing
    if not census:
        assert any("census file" in line for line in found)
    if not issued:
        assert any("welcome letter" in line for line in found)


def test_it_advises_deactivating_previous_transfers_only_for_existing_coverage():
    assert rules.previous_transfers_advice(existing_coverage=True, transfers_deactivated=False)
    assert rules.previous_transfers_advice(existing_coverage=True, transfers_deactivated=True) is None
    assert rules.previous_transfers_advice(existing_coverage=False, transfers_deactivated=False) is None


@pytest.mark.parametrize(("people", "flagged"), [(1, False), (299, False), (300, True), (5000, True)])
def test_it_flags_groups_of_300_or_more_people_for_manual_review(people, flagged):
    assert rules.needs_manual_carrier_review(people) is flagged
