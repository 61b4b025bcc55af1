"""Unit tests of ec_access.rules, in the words of seed 000 ("Enterprise Customer (EC) Reporting
– Go365 Reports"). Pure: no database; every date is passed in."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ec_access import rules
from ec_access.rules import (
    BF_REPORT_PATH,
    BUSINESS_FUNCTIONS,
    CUSTOMER_REPORTING,
    EMPLOYER_GROUP_MAILBOX,
    GO365_ACTIVITY,
    GO365_MEMBER_ENGAGEMENT,
    GRANT_SENTENCE,
    HSI,
    HSI_EMPLOYEE_THRESHOLD,
    HSI_THRESHOLD_NOTE,
    MEMBERSHIP_SNAPSHOT,
    REPORTING_BLACKOUT_LAST_DAY,
    REPORTS,
    SECONDARY_USER_FUNCTIONS,
    SRE_WEB_PORTALS,
    ProductFacts,
    Report,
    active_products,
    bf_report_available_on,
    bf_report_group_number,
    blackout_follow_up_on,
    blank_report_reasons,
    business_functions_for,
    covered_by_weekly_process,
    ec_identifier_allowed,
    ec_reporting_available_on,
    eligible_for_ec_reporting,
    email_subject,
    functions_not_on_report,
    has_active_go365,
    has_active_medical,
    hsi_available,
    in_reporting_blackout,
    missing_on_sl_app,
    missing_secondary_functions,
    needs_independent_logons,
    paa_only_reports,
    report_business_functions,
    reports_for,
    second_ec_refused,
)

TODAY = dt.date(2025, 6, 10)
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)
LAST_YEAR = dt.date(2024, 1, 1)


def medical(*, go365: bool = True, start: dt.date = LAST_YEAR, end: dt.date | None = None):
    return ProductFacts("medical", active_from=start, active_to=end, includes_go365=go365)


def go365_nim(*, start: dt.date = LAST_YEAR, end: dt.date | None = None):
    return ProductFacts("go365", active_from=start, active_to=end)


def dental(*, start: dt.date = LAST_YEAR, end: dt.date | None = None):
    return ProductFacts("dental", active_from=start, active_to=end)


# --- Constants -----------------------------------------------------------------------------


def test_it_uses_the_seeds_mailboxes():
    # "Attach to an email request addressed to EmployerGroup@humana.com"; "Enterprise Customer
    # Reporting (CRC@humana.com)". The seed also spells both in lower case.
    assert EMPLOYER_GROUP_MAILBOX == "EmployerGroup@humana.com"
    assert EMPLOYER_GROUP_MAILBOX.lower() == "employergroup@humana.com"
    assert CUSTOMER_REPORTING == "CRC@humana.com"
    assert CUSTOMER_REPORTING.lower() == "crc@humana.com"


def test_it_has_the_seeds_business_function_report_menu_path():
    assert " > ".join(BF_REPORT_PATH) == (
        "Home > 13070 > Customer Reporting Self-Serv Reports > Business Function Report"
    )
    assert BF_REPORT_PATH[-1] == "Business Function Report"


def test_it_has_the_seeds_grant_sentence_word_for_word():
    # Seed: Include in the body of the email “Please grant the PAA’s access as outlined in the
    # attached report.” (typographic apostrophe, as in the seed).
    assert GRANT_SENTENCE == "Please grant the PAA\u2019s access as outlined in the attached report."


def test_it_names_the_web_portal_support_group():
    # "an Incident in ServiceNow can be sent to SRE_WebPortals (Web Portal Support)".
    assert SRE_WEB_PORTALS == "SRE_WebPortals (Web Portal Support)"


@pytest.mark.parametrize(
    "constant, code",
    [
        (GO365_MEMBER_ENGAGEMENT, "7125"),
        (GO365_ACTIVITY, "7126"),
        (HSI, "6869"),
        (MEMBERSHIP_SNAPSHOT, "8581"),
    ],
)
def test_it_has_the_seeds_business_function_codes(constant, code):
    assert constant == code


def test_it_describes_exactly_the_four_business_functions():
    assert set(BUSINESS_FUNCTIONS) == {"7125", "7126", "6869", "8581"}
    assert BUSINESS_FUNCTIONS["6869"] == "Humana Smart Insights (HSI)"
    assert BUSINESS_FUNCTIONS["8581"] == "Group Medical Membership Snapshot"
    assert "Go365" in BUSINESS_FUNCTIONS["7125"]
    assert "Go365" in BUSINESS_FUNCTIONS["7126"]


def test_it_gives_every_report_code_a_description():
    for report in REPORTS:
        for code in report.business_functions:
            assert code in BUSINESS_FUNCTIONS, (report.name, code)


def test_it_keeps_wei_out_of_the_ec_reports():
    # "The Wellness Engagement Incentive (WEI) report is NOT included in the EC functions".
    for report in REPORTS:
        assert "WEI" not in report.name
        assert "Wellness Engagement Incentive" not in report.name


def test_it_has_the_thresholds_the_seed_states():
    assert HSI_EMPLOYEE_THRESHOLD == 100  # "groups over 100 Employees"
    assert REPORTING_BLACKOUT_LAST_DAY == 5  # "Reporting is down from the 1st-5th"


def test_it_lists_the_secondary_user_functions_in_the_seeds_order():
    # Troubleshooting: "the proper access required to access EC reporting which includes:"
    assert SECONDARY_USER_FUNCTIONS == (
        "Activity Report Vitality",
        "Contribution Manager Report Vitality",
        "Grp Medical Membership Snapshot",
        "Wellness",
    )


def test_it_includes_the_employer_access_delegation_functions():
    # Employer Access: the PAA "will assign the 'Activity Report Vitality', 'Grp Medical
    # Membership Snapshot' and 'Wellness' functions".
    for name in ("Activity Report Vitality", "Grp Medical Membership Snapshot", "Wellness"):
        assert name in SECONDARY_USER_FUNCTIONS


def test_it_makes_reports_immutable():
    report = REPORTS[0]
    assert isinstance(report, Report)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.employer = not report.employer  # type: ignore[misc]  # the refused write is the test


# --- reports_for / paa_only_reports / report_business_functions ----------------------------

EMPLOYER_REPORTS = [
    "Go365 Member Engagement Report",
    "Go365 Activity Report",
    "Go365 Taxable Redemption Report",
    "Go365 NCQA Report",
    "Humana Smart Insights (HSI)",
    "Group Medical Membership Snapshot",
]
AGENT_REPORTS = [
    "Go365 Member Engagement Report",
    "Go365 Summary Report",
    "Go365 NCQA Report",
    "Humana Smart Insights (HSI)",
]


def test_it_gives_employers_exactly_the_employer_access_list():
    names = [r.name for r in reports_for("employer")]
    assert names == EMPLOYER_REPORTS  # and in the seed's order


def test_it_gives_agents_exactly_the_agent_access_list():
    names = [r.name for r in reports_for("agent")]
    assert len(names) == len(AGENT_REPORTS)
    assert sorted(names) == sorted(AGENT_REPORTS)


@pytest.mark.parametrize(
    "audience, sees_summary",
    [("agent", True), ("employer", False)],
)
def test_it_shows_the_go365_summary_report_only_to_agents(audience, sees_summary):
    # "The Go365 Summary Report is only available for internal self-service via
    # go/CRExcellence. Groups do not have direct access to this report."
    names = {r.name for r in reports_for(audience)}
    assert ("Go365 Summary Report" in names) is sees_summary


@pytest.mark.parametrize(
    "report_name",
    ["Go365 Activity Report", "Go365 Taxable Redemption Report", "Group Medical Membership Snapshot"],
)
def test_it_keeps_employer_only_reports_from_agents(report_name):
    assert report_name not in {r.name for r in reports_for("agent")}
    assert report_name in {r.name for r in reports_for("employer")}


@pytest.mark.parametrize("audience", ["", "Employer", "AGENT", "broker", "pseudo", "wa"])
def test_it_refuses_an_unknown_audience(audience):
    with pytest.raises(ValueError):
        reports_for(audience)


def test_it_marks_the_starred_reports_paa_only():
    # "Go365 Taxable Redemption Report*", "Group Medical Membership Snapshot*";
    # "*only available for the employer group PAA".
    names = [r.name for r in paa_only_reports()]
    assert names == ["Go365 Taxable Redemption Report", "Group Medical Membership Snapshot"]
    assert all(r.employer and not r.agent for r in paa_only_reports())


@pytest.mark.parametrize(
    "report_name, codes",
    [
        ("Go365 Member Engagement Report", ("7125", "7126")),
        ("Go365 Activity Report", ("7125", "7126")),
        ("Go365 Taxable Redemption Report", ("7125", "7126")),
        ("Go365 NCQA Report", ("7125", "7126")),
        ("Humana Smart Insights (HSI)", ("6869",)),
        ("Group Medical Membership Snapshot", ("8581",)),
        ("Go365 Summary Report", ()),
    ],
)
def test_it_maps_each_report_to_the_seeds_business_functions(report_name, codes):
    assert report_business_functions(report_name) == codes


@pytest.mark.parametrize(
    "report_name",
    ["Wellness Engagement Incentive", "go365 member engagement report", "", "HSI"],
)
def test_it_raises_keyerror_for_an_unknown_report(report_name):
    with pytest.raises(KeyError):
        report_business_functions(report_name)


# --- ProductFacts / active products ---------------------------------------------------------


def test_it_defaults_product_facts_to_open_ended_with_go365():
    product = ProductFacts("medical", active_from=LAST_YEAR)
    assert product.active_to is None
    assert product.includes_go365 is True
    with pytest.raises(dataclasses.FrozenInstanceError):
        product.active_to = TODAY  # type: ignore[misc]  # the refused write is the test


@pytest.mark.parametrize(
    "product, day, active",
    [
        (medical(start=TODAY), TODAY, True),  # first day counts
        (medical(start=TOMORROW), TODAY, False),
        (medical(end=TODAY), TODAY, True),  # last day counts
        (medical(end=YESTERDAY), TODAY, False),
        (medical(end=None), dt.date(2999, 12, 31), True),  # open-ended
    ],
)
def test_it_knows_when_a_product_is_active(product, day, active):
    assert product.active_on(day) is active


def test_it_keeps_only_active_products():
    current, expired, future = medical(), dental(end=YESTERDAY), go365_nim(start=TOMORROW)
    assert active_products([current, expired, future], TODAY) == [current]


@pytest.mark.parametrize(
    "products, expected",
    [
        ([medical()], True),
        ([medical(go365=False)], True),
        ([medical(end=YESTERDAY)], False),
        ([go365_nim()], False),
        ([dental()], False),
        ([], False),
    ],
)
def test_it_finds_active_medical(products, expected):
    assert has_active_medical(products, TODAY) is expected


@pytest.mark.parametrize(
    "products, expected",
    [
        ([medical()], True),  # a medical plan that carries Go365
        ([go365_nim()], True),  # stand-alone Go365 (NIM)
        ([medical(go365=False)], False),
        ([go365_nim(end=YESTERDAY)], False),
        ([dental()], False),
        ([], False),
    ],
)
def test_it_finds_active_go365(products, expected):
    assert has_active_go365(products, TODAY) is expected


# --- eligible_for_ec_reporting --------------------------------------------------------------


@pytest.mark.parametrize(
    "products, eligible",
    [
        pytest.param([medical()], True, id="active medical"),
        pytest.param([medical(go365=False)], True, id="active medical without go365"),
        pytest.param([go365_nim()], True, id="stand-alone go365 nim"),
        pytest.param([dental()], False, id="dental only"),
        pytest.param([medical(end=YESTERDAY)], False, id="expired medical"),
        pytest.param([medical(start=TOMORROW)], False, id="medical starting tomorrow"),
        pytest.param([go365_nim(start=TOMORROW)], False, id="go365 starting tomorrow"),
        pytest.param([medical(end=None)], True, id="open-ended active_to"),
        pytest.param([medical(end=TODAY)], True, id="medical ending today"),
        pytest.param([dental(), medical(end=YESTERDAY)], False, id="dental and expired medical"),
        pytest.param([dental(), go365_nim()], True, id="dental and go365"),
        pytest.param([], False, id="nothing"),
    ],
)
def test_it_checks_eligibility_for_ec_reporting(products, eligible):
    # "verify the group has an active Medical or Stand Alone GO365 (NIM) product in MTV or CAS".
    assert eligible_for_ec_reporting(products, TODAY) is eligible


def test_it_accepts_a_generator_of_products_for_eligibility():
    assert eligible_for_ec_reporting((p for p in [dental(), go365_nim()]), TODAY) is True


# --- business_functions_for -----------------------------------------------------------------


def test_it_reproduces_the_seeds_sample_report():
    # Seed sample: "1177334 824751 FUSION CONTROLS INC EM T 7125, 7126, 8581" — a medical group
    # with Go365 and no HSI.
    fusion_controls_inc = [medical(go365=True)]
    assert business_functions_for(fusion_controls_inc, 40, TODAY) == ["7125", "7126", "8581"]


@pytest.mark.parametrize(
    "employees, expected",
    [
        (0, ["7125", "7126", "8581"]),
        (99, ["7125", "7126", "8581"]),
        (100, ["7125", "7126", "8581"]),  # "over 100": exactly 100 is not over
        (101, ["7125", "7126", "6869", "8581"]),
        (5000, ["7125", "7126", "6869", "8581"]),
    ],
)
def test_it_adds_hsi_only_for_groups_over_100_employees(employees, expected):
    assert business_functions_for([medical()], employees, TODAY) == expected


@pytest.mark.parametrize(
    "products, employees, expected",
    [
        pytest.param([go365_nim()], 40, ["7125", "7126"], id="stand-alone go365"),
        pytest.param([go365_nim()], 500, ["7125", "7126"], id="stand-alone go365 large"),
        pytest.param([medical(go365=False)], 40, ["8581"], id="medical without go365"),
        pytest.param(
            [medical(go365=False)], 500, ["6869", "8581"], id="large medical without go365"
        ),
        pytest.param(
            [medical(go365=False), go365_nim()], 40, ["7125", "7126", "8581"],
            id="medical plus stand-alone go365",
        ),
        pytest.param([dental()], 500, [], id="dental only"),
        pytest.param([medical(end=YESTERDAY)], 500, [], id="expired medical"),
        pytest.param([medical(start=TOMORROW), go365_nim(start=TOMORROW)], 500, [], id="future"),
        pytest.param([], 500, [], id="nothing"),
    ],
)
def test_it_gives_business_functions_from_active_products(products, employees, expected):
    assert business_functions_for(products, employees, TODAY) == expected


# --- blank_report_reasons -------------------------------------------------------------------


def test_it_explains_a_blank_report_with_no_go365():
    # "The group has no active Go365 coverage"
    reasons = blank_report_reasons([medical(go365=False)], TODAY)
    assert len(reasons) == 1
    assert reasons[0].startswith("The group has no active Go365 coverage")


def test_it_explains_a_blank_report_with_no_medical():
    # "The group has no active medical coverage"
    reasons = blank_report_reasons([go365_nim()], TODAY)
    assert len(reasons) == 1
    assert reasons[0].startswith("The group has no active medical coverage")


def test_it_explains_a_blank_report_with_nothing_active():
    reasons = blank_report_reasons([dental(), medical(end=YESTERDAY)], TODAY)
    assert [r.rstrip(".") for r in reasons] == [
        "The group has no active Go365 coverage",
        "The group has no active medical coverage",
    ]


def test_it_blames_customer_reporting_data_when_a_medical_group_is_blank():
    # "If the group has medical and the report is blank data may be incorrect on customer
    # reporting end."; "you can contact customer reporting at crc@humana.com".
    reasons = blank_report_reasons([medical()], TODAY)
    assert len(reasons) == 1
    assert "has medical and the report is blank" in reasons[0]
    assert "data may be incorrect on customer reporting end" in reasons[0]
    assert "crc@humana.com" in reasons[0].lower()


# --- functions_not_on_report ---------------------------------------------------------------


def test_it_says_a_medical_group_without_go365_lacks_the_go365_functions():
    # "If the report does not display any numbers under the business functions section, there
    # are no identifiers or business functions to be added": with 8581 it is not blank.
    # "Business Functions will not display if: The group has no active Go365 coverage".
    products = [medical(go365=False)]
    assert business_functions_for(products, 40, TODAY) == [MEMBERSHIP_SNAPSHOT]
    assert functions_not_on_report(products, TODAY) == [
        "No Go365 reports (7125, 7126): the group has no active Go365 coverage."
    ]


def test_it_says_a_stand_alone_go365_group_lacks_the_medical_functions():
    # "Business Functions will not display if: ... The group has no active medical coverage"
    [lack] = functions_not_on_report([go365_nim()], TODAY)
    assert "(8581)" in lack and "(6869)" in lack
    assert lack.endswith("the group has no active medical coverage.")


def test_it_says_nothing_is_lacking_for_the_seed_sample_or_a_blank_report():
    # The seed's sample, 824751 FUSION CONTROLS INC: "7125, 7126, 8581", a medical group with
    # Go365. A blank report's reasons come from blank_report_reasons instead.
    assert functions_not_on_report([medical()], TODAY) == []
    assert functions_not_on_report([dental()], TODAY) == []


# --- HSI ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "employees, available",
    [(0, False), (1, False), (99, False), (100, False), (101, True), (250, True)],
)
def test_it_makes_hsi_available_only_over_100_employees(employees, available):
    # "Humana Smart Insights (HSI) report is only available for groups over 100 Employees".
    assert hsi_available(employees) is available


def test_it_notes_both_of_the_seeds_hsi_wordings():
    assert "over 100" in HSI_THRESHOLD_NOTE
    assert "less than 100" in HSI_THRESHOLD_NOTE
    assert "101" in HSI_THRESHOLD_NOTE


# --- Reporting blackout and availability dates ----------------------------------------------


@pytest.mark.parametrize(
    "day, down",
    [(1, True), (2, True), (3, True), (4, True), (5, True), (6, False), (28, False), (31, False)],
)
def test_it_knows_the_reporting_blackout(day, down):
    # "Reporting is down from the 1st-5th of every month for updates".
    assert in_reporting_blackout(dt.date(2025, 1, day)) is down


@pytest.mark.parametrize(
    "today, available",
    [
        (dt.date(2025, 12, 1), dt.date(2025, 12, 6)),
        (dt.date(2025, 12, 3), dt.date(2025, 12, 6)),
        (dt.date(2025, 12, 5), dt.date(2025, 12, 6)),
        (dt.date(2025, 12, 6), dt.date(2025, 12, 6)),
        (dt.date(2025, 12, 31), dt.date(2025, 12, 31)),
        (dt.date(2028, 2, 29), dt.date(2028, 2, 29)),
    ],
)
def test_it_dates_when_the_bf_report_can_be_run(today, available):
    # "you will not be able to run any business function reports until the 6th of every month".
    assert bf_report_available_on(today) == available


@pytest.mark.parametrize(
    "today, follow_up",
    [
        (dt.date(2026, 12, 3), dt.date(2026, 12, 7)),  # the 6th is a Sunday
        (dt.date(2026, 6, 2), dt.date(2026, 6, 8)),  # the 6th is a Saturday
        (dt.date(2027, 9, 1), dt.date(2027, 9, 7)),  # Labor Day is Monday the 6th
        (dt.date(2027, 1, 4), dt.date(2027, 1, 6)),  # a Wednesday
        (dt.date(2026, 12, 9), dt.date(2026, 12, 9)),  # not the blackout: today
    ],
)
def test_it_follows_up_a_blackout_case_on_the_first_business_day_from_the_6th(today, follow_up):
    # "until the 6th of every month": nobody runs the report on a weekend or a federal holiday.
    assert blackout_follow_up_on(today) == follow_up


@pytest.mark.parametrize(
    "enrolled_on, available",
    [
        pytest.param(dt.date(2025, 6, 1), dt.date(2025, 6, 6), id="1st: same month"),
        pytest.param(dt.date(2025, 6, 5), dt.date(2025, 6, 6), id="5th: same month"),
        pytest.param(dt.date(2025, 6, 6), dt.date(2025, 7, 6), id="6th: next month"),
        pytest.param(dt.date(2025, 6, 30), dt.date(2025, 7, 6), id="30th: next month"),
        pytest.param(dt.date(2025, 12, 20), dt.date(2026, 1, 6), id="december: next year"),
        pytest.param(dt.date(2026, 1, 31), dt.date(2026, 2, 6), id="jan 31: feb 6"),
        pytest.param(dt.date(2028, 2, 29), dt.date(2028, 3, 6), id="leap day: mar 6"),
    ],
)
def test_it_dates_when_ec_reporting_becomes_available(enrolled_on, available):
    # "If a group was enrolled after the 5th of the month they will need to wait until the
    # following month for EC reporting to be available."
    assert ec_reporting_available_on(enrolled_on) == available


# --- Group number, SL app rules -------------------------------------------------------------


@pytest.mark.parametrize(
    "group_number, platform, shell, expected",
    [
        pytest.param("824751", "CAS", "112233", "112233", id="CAS with MTV shell: shell number"),
        pytest.param("824751", "CAS", None, "824751", id="CAS without shell: own number"),
        pytest.param("824751", "CAS", "", "824751", id="CAS with blank shell: own number"),
        pytest.param("824751", "MTV", None, "824751", id="MTV: own number"),
        pytest.param("824751", "MTV", "112233", "824751", id="MTV with a shell: own number"),
    ],
)
def test_it_picks_the_group_number_for_the_bf_report(group_number, platform, shell, expected):
    # "When a CAS group has an MTV shell the EC identifiers are always going to be pulled with
    # the MTV group ID".
    assert bf_report_group_number(group_number, platform, shell) == expected


@pytest.mark.parametrize(
    "kind, allowed",
    [("employer", True), ("agent", False), ("pseudo", False), ("agency", False), ("", False)],
)
def test_it_allows_ec_identifiers_on_employer_apps_only(kind, allowed):
    # "Do NOT add EC Identifiers to Agent SL applications or pseudo apps, ONLY employers."
    assert ec_identifier_allowed(kind) is allowed


@pytest.mark.parametrize(
    "current, new, refused",
    [
        pytest.param("", "1177334", False, id="no EC yet"),
        pytest.param("1177334", "1177334", False, id="same EC again"),
        pytest.param("1177334", "1131095", True, id="second EC"),
        pytest.param("1177334", "", False, id="removing the EC"),
    ],
)
def test_it_refuses_a_second_ec_on_one_sl_app(current, new, refused):
    # "Only ONE EC per SL application."
    assert second_ec_refused(current, new) is refused


@pytest.mark.parametrize(
    "groups, needed",
    [
        ([], False),
        (["824751"], False),
        (["824751", "824751"], False),
        (["824751", "786961"], True),
        (["824751", "786961", "112233"], True),
    ],
)
def test_it_requires_independent_logons_for_more_than_one_group(groups, needed):
    # "employers can only access Enterprise Customer reports for one group in the portal ...
    # the PAA will need to register each group number independently and maintain a separate
    # logon."
    assert needs_independent_logons(groups) is needed


# --- Weekly process -------------------------------------------------------------------------

TUESDAY = dt.date(2025, 6, 3)
SUNDAY = dt.date(2025, 6, 8)
NEXT_MONDAY = dt.date(2025, 6, 9)
MONDAY = dt.date(2025, 6, 2)


@pytest.mark.parametrize(
    "registered_on, rereg, today, expected",
    [
        pytest.param(TUESDAY, False, TUESDAY, NEXT_MONDAY, id="tuesday, same day"),
        pytest.param(TUESDAY, False, SUNDAY, NEXT_MONDAY, id="tuesday, day before monday"),
        pytest.param(TUESDAY, False, NEXT_MONDAY, None, id="tuesday, on that monday"),
        pytest.param(TUESDAY, False, dt.date(2025, 6, 20), None, id="tuesday, after monday"),
        pytest.param(TUESDAY, True, TUESDAY, None, id="re-registration"),
        pytest.param(None, False, TUESDAY, None, id="never registered"),
        pytest.param(MONDAY, False, MONDAY, NEXT_MONDAY, id="monday: the following monday"),
        pytest.param(SUNDAY, False, SUNDAY, NEXT_MONDAY, id="sunday: the next day"),
    ],
)
def test_it_knows_whether_the_weekly_process_will_grant_access(
    registered_on, rereg, today, expected
):
    # "Access to EC functions are granted for brand new groups registered on the portal via an
    # existing weekly process ... (Spreadsheet sent to Access Management for processing on
    # Monday)"; "Groups that are registered for a second time are not included on the weekly
    # report."
    result = covered_by_weekly_process(registered_on, rereg, today)
    assert result == expected
    if result is not None:
        assert result.weekday() == 0  # a Monday


# --- Secondary users and SL app checks ------------------------------------------------------


@pytest.mark.parametrize(
    "delegated, missing",
    [
        pytest.param(
            [],
            [
                "Activity Report Vitality",
                "Contribution Manager Report Vitality",
                "Grp Medical Membership Snapshot",
                "Wellness",
            ],
            id="nothing delegated",
        ),
        pytest.param(
            ["wellness", "ACTIVITY REPORT VITALITY"],
            ["Contribution Manager Report Vitality", "Grp Medical Membership Snapshot"],
            id="case-insensitive",
        ),
        pytest.param(
            ["  Wellness ", "Grp Medical Membership Snapshot"],
            ["Activity Report Vitality", "Contribution Manager Report Vitality"],
            id="surrounding spaces ignored",
        ),
        pytest.param(
            ["Grp Medical Membership Snapshot", "Wellness", "Activity Report Vitality"],
            ["Contribution Manager Report Vitality"],
            id="employer access list only",
        ),
        pytest.param(
            list(reversed(SECONDARY_USER_FUNCTIONS)) + ["eBilling"], [], id="all delegated"
        ),
    ],
)
def test_it_lists_what_a_secondary_user_is_missing(delegated, missing):
    assert missing_secondary_functions(delegated) == missing


@pytest.mark.parametrize(
    "on_report, on_sl_app, missing",
    [
        (["7125", "7126", "8581"], ["7125", "7126", "8581"], []),
        (["7125", "7126", "8581"], [], ["7125", "7126", "8581"]),
        (["7125", "7126", "6869", "8581"], ["8581", "7125"], ["7126", "6869"]),
        ([], ["7125"], []),
        (["7125"], ["7125", "6869"], []),
    ],
)
def test_it_lists_report_functions_missing_from_the_sl_app(on_report, on_sl_app, missing):
    # "confirm that that business function for that report is on the EC report"; Access
    # Management adds what is on the report.
    assert missing_on_sl_app(on_report, on_sl_app) == missing


# --- Email subject --------------------------------------------------------------------------


def test_it_puts_group_number_name_and_sl_app_in_the_subject():
    # "Also include the group number, name, and SL app# in the subject line."
    subject = email_subject("824751", "FUSION CONTROLS INC", "SL-55501")
    assert "824751" in subject
    assert "FUSION CONTROLS INC" in subject
    assert "SL-55501" in subject
    assert "SL app#" in subject
    assert "\n" not in subject


def test_it_exposes_every_public_name_tested_here():
    public = {name for name in vars(rules) if not name.startswith("_")}
    tested = {
        "BF_REPORT_PATH", "BUSINESS_FUNCTIONS", "CUSTOMER_REPORTING", "EMPLOYER_GROUP_MAILBOX",
        "GO365_ACTIVITY", "GO365_MEMBER_ENGAGEMENT", "GRANT_SENTENCE", "HSI",
        "HSI_EMPLOYEE_THRESHOLD", "HSI_THRESHOLD_NOTE", "MEMBERSHIP_SNAPSHOT",
        "REPORTING_BLACKOUT_LAST_DAY", "REPORTS", "SECONDARY_USER_FUNCTIONS", "SRE_WEB_PORTALS",
        "ProductFacts", "Report", "active_products",
        "bf_report_available_on", "blackout_follow_up_on",
        "bf_report_group_number", "blank_report_reasons", "business_functions_for",
        "covered_by_weekly_process", "ec_identifier_allowed", "ec_reporting_available_on",
        "eligible_for_ec_reporting", "email_subject", "functions_not_on_report",
        "has_active_go365", "has_active_medical",
        "hsi_available", "in_reporting_blackout", "missing_on_sl_app",
        "missing_secondary_functions", "needs_independent_logons", "paa_only_reports",
        "report_business_functions", "reports_for", "second_ec_refused",
    }
    # Imports the module uses (not its own API).
    imported = {"annotations", "dt", "is_business_day", "Iterable", "Sequence", "dataclass"}
    assert public - imported == tested
