"""Unit tests of agent_rsos.rules, in the words of seed 001 (Agent RSOS Customer Service
Support 3.0) and seed 002 (the Agent RSOS support mailbox). Pure: no database."""

from __future__ import annotations

import dataclasses

import pytest

from agent_rsos import rules
from agent_rsos.rules import (
    LineOfBusiness,
    MemberStatus,
    Route,
    SosCall,
    Topic,
    customer_service_number,
    mailbox_line_of_business,
    mailbox_template,
    out_of_scope,
    route_topic,
    service_inquiry_card,
    sos_line_allowed,
    sos_line_blockers,
)

# --- route_topic -------------------------------------------------------------------------

# Every Topic, with where the seeds send it. Written out by hand (not derived from the
# module's own sets) so a change to the routing has to change this table too.
EXPECTED_ROUTES = {
    # Seed 001: "All pre-sale questions including Application Status Checks and Agent of
    # Record (AOR) requests should be directed to Agent Support".
    Topic.APPLICATION_STATUS: Route.AGENT_SUPPORT,
    Topic.AOR_REQUEST: Route.AGENT_SUPPORT,
    # Seed 002, Out of Scope: "Commission questions: AgentSupport@humana.com".
    Topic.COMMISSION: Route.AGENT_SUPPORT,
    # Seed 002, Out of Scope: non HumanaOne/Medicare plans, SPAA, Medicaid.
    Topic.OTHER_PLAN: Route.OUT_OF_SCOPE,
    Topic.SPAA: Route.OUT_OF_SCOPE,
    Topic.MEDICAID: Route.OUT_OF_SCOPE,
    # Seed 001: "Members can use MyHumana to print/order ID cards, change PCP, update
    # demographic information".
    Topic.ID_CARDS: Route.SELF_SERVICE,
    Topic.PCP_CHANGE: Route.SELF_SERVICE,
    Topic.DEMOGRAPHIC_CHANGE: Route.SELF_SERVICE,
    # Seed 001, Reasons to call the SOS line: cannot obtain clinical access; termed in error.
    Topic.ACCESS_TO_CARE: Route.SOS_CANDIDATE,
    Topic.TERMED_IN_ERROR: Route.SOS_CANDIDATE,
    # Seed 001, Reasons NOT to call (Send via Vantage), and any other post-sale need.
    Topic.BENEFIT_QUESTIONS: Route.SERVICE_INQUIRY,
    Topic.BILLING: Route.SERVICE_INQUIRY,
    Topic.ENROLLMENT: Route.SERVICE_INQUIRY,
    Topic.FULFILLMENT: Route.SERVICE_INQUIRY,
    Topic.CLAIMS: Route.SERVICE_INQUIRY,
    Topic.OTHER_MEMBER_ISSUE: Route.SERVICE_INQUIRY,
}


def test_it_has_an_expected_route_for_every_topic():
    # A new Topic without a row above fails here, not silently.
    assert set(EXPECTED_ROUTES) == set(Topic)


@pytest.mark.parametrize(("topic", "route"), EXPECTED_ROUTES.items(), ids=lambda v: str(v))
def test_it_routes_every_topic_as_the_seeds_say(topic, route):
    assert route_topic(topic) is route


@pytest.mark.parametrize("topic", [Topic.APPLICATION_STATUS, Topic.AOR_REQUEST])
def test_it_sends_pre_sale_questions_to_agent_support(topic):
    assert route_topic(topic) == Route.AGENT_SUPPORT


@pytest.mark.parametrize("topic", [Topic.COMMISSION, Topic.AOR_REQUEST])
def test_it_sends_commission_and_aor_to_agent_support_not_out_of_scope(topic):
    # Both are in seed 002's out-of-scope list, but with a named destination, Agent Support.
    assert out_of_scope(topic) is not None
    assert route_topic(topic) == Route.AGENT_SUPPORT


@pytest.mark.parametrize("topic", [Topic.OTHER_PLAN, Topic.SPAA, Topic.MEDICAID])
def test_it_routes_the_seed_002_out_of_scope_list_out_of_scope(topic):
    assert route_topic(topic) == Route.OUT_OF_SCOPE


@pytest.mark.parametrize("topic", [Topic.ID_CARDS, Topic.PCP_CHANGE, Topic.DEMOGRAPHIC_CHANGE])
def test_it_sends_myhumana_self_service_topics_to_self_service_first(topic):
    assert route_topic(topic) == Route.SELF_SERVICE


@pytest.mark.parametrize("topic", [Topic.ACCESS_TO_CARE, Topic.TERMED_IN_ERROR])
def test_it_makes_access_to_care_topics_sos_candidates(topic):
    assert route_topic(topic) == Route.SOS_CANDIDATE


@pytest.mark.parametrize(
    "topic",
    [Topic.BENEFIT_QUESTIONS, Topic.BILLING, Topic.ENROLLMENT, Topic.FULFILLMENT, Topic.CLAIMS],
)
def test_it_sends_reasons_not_to_call_topics_to_a_service_inquiry(topic):
    assert route_topic(topic) == Route.SERVICE_INQUIRY


@pytest.mark.parametrize("topic", sorted(rules.SOS_NOT_TO_CALL_TOPICS))
def test_it_never_makes_a_reason_not_to_call_an_sos_candidate(topic):
    # "Reasons NOT to call: (Send via Vantage)": self-service first, else a Service Inquiry.
    assert route_topic(topic) in {Route.SELF_SERVICE, Route.SERVICE_INQUIRY}


def test_it_lists_the_seed_reasons_not_to_call_in_the_seed_order():
    assert rules.SOS_NOT_TO_CALL == (
        "ID Cards",
        "Benefit questions",
        "Billing issues",
        "Enrollment Issues",
        "Demographic Change Requests",
        "PCP Change",
        "Fulfillment Requests",
        "Medical and Pharmacy Claims",
    )


def test_it_labels_every_topic():
    assert set(rules.TOPIC_LABELS) == set(Topic)
    assert all(label.strip() for label in rules.TOPIC_LABELS.values())


# --- sos_line_blockers / sos_line_allowed ------------------------------------------------

# Seed 001: the AGENT makes the call, the member MUST be on the line, the member has a
# current clinical need and an active medical plan.
ALL_CRITERIA = SosCall(
    agent_makes_call=True,
    member_on_line=True,
    current_clinical_need=True,
    cannot_obtain_clinical_access=False,
    active_medical_plan=True,
    termed_in_error=False,
)


def test_it_allows_the_sos_line_when_every_criterion_holds():
    assert sos_line_blockers(ALL_CRITERIA) == []
    assert sos_line_allowed(ALL_CRITERIA) is True


@pytest.mark.parametrize(
    ("missing", "reason"),
    [
        ("agent_makes_call", "The AGENT makes the call"),
        ("member_on_line", "The member MUST be on the line"),
        ("current_clinical_need", "no current clinical need"),
        ("active_medical_plan", "no active medical plan"),
    ],
)
def test_it_blocks_the_sos_line_when_one_criterion_is_missing(missing, reason):
    call = dataclasses.replace(ALL_CRITERIA, **{missing: False})

    blockers = sos_line_blockers(call)

    assert len(blockers) == 1
    assert reason in blockers[0]
    assert sos_line_allowed(call) is False


def test_it_says_the_agent_never_gives_the_number_to_the_member():
    blockers = sos_line_blockers(dataclasses.replace(ALL_CRITERIA, agent_makes_call=False))

    assert blockers == ["The AGENT makes the call; the number is never given to the member."]


def test_it_names_the_3_way_call_when_the_member_is_not_on_the_line():
    blockers = sos_line_blockers(dataclasses.replace(ALL_CRITERIA, member_on_line=False))

    assert "3-way call" in blockers[0]
    assert "in the room" in blockers[0]


def test_it_lets_termed_in_error_stand_in_for_an_active_plan():
    # "The member reports they have an active plan, but they have been termed in error".
    call = dataclasses.replace(ALL_CRITERIA, active_medical_plan=False, termed_in_error=True)

    assert sos_line_blockers(call) == []
    assert sos_line_allowed(call) is True


def test_it_lets_cannot_obtain_access_stand_in_for_a_clinical_need():
    # "The member cannot obtain clinical access (such as picking up a prescription)".
    call = dataclasses.replace(
        ALL_CRITERIA, current_clinical_need=False, cannot_obtain_clinical_access=True
    )

    assert sos_line_blockers(call) == []
    assert sos_line_allowed(call) is True


def test_it_allows_the_sos_line_with_both_substitutes_together():
    call = dataclasses.replace(
        ALL_CRITERIA,
        current_clinical_need=False,
        cannot_obtain_clinical_access=True,
        active_medical_plan=False,
        termed_in_error=True,
    )

    assert sos_line_allowed(call) is True


def test_it_lets_a_member_termed_in_error_call_without_a_clinical_need():
    # "The member reports they have an active plan, but they have been termed in error" is a
    # reason to call of its own: it hinders the member "from obtaining their benefits".
    call = dataclasses.replace(
        ALL_CRITERIA, current_clinical_need=False, active_medical_plan=False, termed_in_error=True
    )

    assert sos_line_blockers(call) == []


def test_it_lists_every_blocker_in_order_when_nothing_holds():
    nothing = SosCall(False, False, False, False, False, False)

    blockers = sos_line_blockers(nothing)

    assert len(blockers) == 4
    assert "AGENT makes the call" in blockers[0]
    assert "MUST be on the line" in blockers[1]
    assert "access to care" in blockers[2]
    assert "termed in error" in blockers[3]
    assert sos_line_allowed(nothing) is False


def test_it_blocks_an_agent_who_would_hand_the_number_out_even_with_a_clinical_need():
    # "This number (866-464-7932) is tracked and should NEVER be given to members".
    call = dataclasses.replace(ALL_CRITERIA, agent_makes_call=False, member_on_line=False)

    assert len(sos_line_blockers(call)) == 2
    assert sos_line_allowed(call) is False


# --- service_inquiry_card ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "card"),
    [
        # "My Humana Business: For existing members"
        (MemberStatus.EXISTING, "my_humana_business"),
        # "Service Inquiry Card: For prospective members whose application is in-progress..."
        (MemberStatus.PROSPECTIVE, "service_inquiry_card"),
    ],
)
def test_it_picks_the_service_inquiry_card_by_member_status(status, card):
    assert service_inquiry_card(status) == card


# --- mailbox_line_of_business ------------------------------------------------------------


@pytest.mark.parametrize(
    ("medicare", "individual", "line"),
    [(True, False, LineOfBusiness.MEDICARE), (False, True, LineOfBusiness.HUMANAONE)],
)
def test_it_picks_the_mailbox_line_of_business_from_the_policy(medicare, individual, line):
    assert mailbox_line_of_business(medicare, individual) is line


def test_it_refuses_medicare_and_individual_in_the_same_email():
    # Seed 002: "do NOT send Medicare and Individual concerns in the same email".
    with pytest.raises(ValueError, match="separate"):
        mailbox_line_of_business(True, True)


def test_it_refuses_a_member_who_is_neither_medicare_nor_individual():
    with pytest.raises(ValueError, match="Medicare or Individual"):
        mailbox_line_of_business(False, False)


def test_it_does_not_talk_about_separate_emails_when_neither_line_applies():
    with pytest.raises(ValueError) as caught:
        mailbox_line_of_business(False, False)

    assert "separate" not in str(caught.value)


# --- customer_service_number -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number"),
    [
        # Seed 002: "Our Call Center phone number for Individual is 1-800-833-6917 and
        # Medicare is 1-800-457-4708."
        (LineOfBusiness.HUMANAONE, "1-800-833-6917"),
        (LineOfBusiness.MEDICARE, "1-800-457-4708"),
    ],
)
def test_it_gives_the_seed_customer_service_number_for_the_line(line, number):
    assert customer_service_number(line) == number


# --- mailbox_template --------------------------------------------------------------------

SEED_BODY = (
    "Agent Name: (Required)\n"
    "Agent SAN: (Required)\n"
    "Member ID #: (Required)\n"
    "Member Name in question: (Required)\n"
    "Reference #: (If applicable)\n"
    "Summary of issue: (Required)"
)


@pytest.mark.parametrize(
    ("line", "subject"),
    [
        (LineOfBusiness.MEDICARE, "[Member Last Name Here], [Member First Name Here] [Medicare]"),
        (
            LineOfBusiness.HUMANAONE,
            "[Member Last Name Here], [Member First Name Here] [HumanaOne]",
        ),
    ],
)
def test_it_fills_the_seed_subject_heading_with_the_line(line, subject):
    assert mailbox_template(line)[0] == subject


@pytest.mark.parametrize("line", list(LineOfBusiness))
def test_it_lists_the_body_fields_in_the_seed_order_with_required_or_if_applicable(line):
    assert mailbox_template(line)[1] == SEED_BODY


def test_it_marks_only_the_reference_number_as_if_applicable():
    _, body = mailbox_template(LineOfBusiness.MEDICARE)

    optional = [line for line in body.splitlines() if line.endswith("(If applicable)")]
    assert optional == ["Reference #: (If applicable)"]


# --- out_of_scope ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("topic", "label", "goes_to"),
    [
        (Topic.OTHER_PLAN, "Issues from non HumanaOne/Medicare plans", None),
        (Topic.COMMISSION, "Commission questions", "agentsupport@humana.com"),
        (
            Topic.AOR_REQUEST,
            "AOR clarification, check status and changes",
            "agentsupport@humana.com",
        ),
        (Topic.SPAA, "SPAA Issues", None),
        (Topic.MEDICAID, "Medicaid Issues", None),
    ],
)
def test_it_knows_the_seed_002_out_of_scope_list(topic, label, goes_to):
    entry = out_of_scope(topic)

    assert entry is not None
    assert entry.topic is topic
    assert entry.label == label
    if goes_to is None:
        # The seed names no destination: no invented team or address.
        assert entry.goes_to is None
    else:
        # Seed 002 writes it AgentSupport@humana.com; e-mail addresses ignore case.
        assert entry.goes_to.lower() == goes_to


def test_it_keeps_the_out_of_scope_list_in_the_seed_order():
    assert [entry.topic for entry in rules.OUT_OF_SCOPE] == [
        Topic.OTHER_PLAN,
        Topic.COMMISSION,
        Topic.AOR_REQUEST,
        Topic.SPAA,
        Topic.MEDICAID,
    ]


@pytest.mark.parametrize(
    "topic",
    [
        t
        for t in Topic
        if t not in {Topic.OTHER_PLAN, Topic.COMMISSION, Topic.AOR_REQUEST, Topic.SPAA,
                     Topic.MEDICAID}
    ],
)
def test_it_finds_every_other_topic_in_scope(topic):
    assert out_of_scope(topic) is None


# --- the seed's contacts -----------------------------------------------------------------


def test_it_quotes_the_seed_contacts():
    assert rules.AGENT_SUPPORT_EMAIL == "agentsupport@humana.com"
    assert rules.AGENT_SUPPORT_PHONE == "1-800-309-3163"
    assert rules.ARSOS_MAILBOX == "AgentRSOS@humana.com"
    assert rules.SOS_LINE == "866-464-7932"


# --- sos_needs_care_now / sos_only_needs_the_call -----------------------------------------


def test_it_sends_a_member_who_needs_care_but_is_not_on_the_line_back_for_a_3_way_call():
    # Seed 001: "Use this number from your phone only with the member on a 3-way call".
    call = dataclasses.replace(ALL_CRITERIA, member_on_line=False)

    assert rules.sos_needs_care_now(call)
    assert rules.sos_only_needs_the_call(call)


def test_it_finds_no_care_need_without_a_clinical_need_or_access_problem():
    call = dataclasses.replace(ALL_CRITERIA, current_clinical_need=False,
                               cannot_obtain_clinical_access=False)

    assert not rules.sos_needs_care_now(call)


def test_it_knows_a_3_way_call_alone_cannot_fix_a_missing_plan():
    call = dataclasses.replace(ALL_CRITERIA, member_on_line=False, active_medical_plan=False,
                               termed_in_error=False)

    assert rules.sos_needs_care_now(call)
    assert not rules.sos_only_needs_the_call(call)
    assert not rules.sos_only_needs_the_call(ALL_CRITERIA)  # nothing refused at all


# --- agent_san_problem -----------------------------------------------------------------


@pytest.mark.parametrize("agent_san", ["1234567", "AB1234", "1234"])
def test_it_accepts_a_sales_agent_number(agent_san):
    assert rules.agent_san_problem(agent_san) is None


@pytest.mark.parametrize(("agent_san", "says"), [
    ("ROBINAGENT", "at least one digit"),
    ("123", "4 to 12 letters or digits"),
    ("12 34567", "with no spaces"),
    ("1234567890123", "4 to 12 letters or digits"),
])
def test_it_refuses_a_san_that_is_not_a_sales_agent_number(agent_san, says):
    assert says in rules.agent_san_problem(agent_san)
