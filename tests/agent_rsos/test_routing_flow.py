"""The 'arsos-routing' flow walked through the real services (PostgreSQL), one test per
outcome, quoting seed 001 and seed 002."""

from __future__ import annotations

import pytest

from agent_rsos.rules import Topic
from supportdesk import services
from supportdesk.engine import Disposition, Outcome, registry
from supportdesk.models import Case, CaseEvent
from tests.agent_rsos.test_rules import SEED_BODY
from tests.factories import make_case

FLOW_KEY = "arsos-routing"

PRE_SALE = [("sale_stage", {"choice": "pre_sale"})]
POST_SALE = [("sale_stage", {"choice": "post_sale"})]


def topic(value: Topic) -> list[tuple[str, dict]]:
    return [*POST_SALE, ("topic", {"choice": value.value})]


def sos_form(**ticked: bool) -> dict[str, str]:
    """POST data for the sos_criteria FormStep: a ticked box sends "on", unticked nothing."""
    return {f"sos_criteria-{name}": "on" for name, on in ticked.items() if on}


SOS_ALL_HOLD = sos_form(
    agent_makes_call=True, member_on_line=True, current_clinical_need=True,
    active_medical_plan=True,
)

# A "Reasons NOT to call" topic goes straight to the Service Inquiry.
TO_SI = topic(Topic.BILLING)
SI_EXISTING = [*TO_SI, ("si_member", {"choice": "existing"}), ("si_my_humana_business", {})]
SI_PROSPECTIVE = [*TO_SI, ("si_member", {"choice": "prospective"}), ("si_card", {})]
# Seed 001: the Service Inquiry Card is "For prospective members whose application is
# in-progress, has not been completely processed, or is not currently in your book of business".
PROSPECTIVE_MEMBER = [("sale_stage", {"choice": "prospective"}), ("si_card", {})]
TO_ESCALATION = [*SI_EXISTING, ("si_result", {"choice": "unresolved"})]
TO_MAILBOX_LINE = [*TO_ESCALATION, ("escalation", {"choice": "mailbox"})]


def mailbox(line_field: str) -> list[tuple[str, dict]]:
    return [
        *TO_MAILBOX_LINE,
        ("mailbox_line", {f"mailbox_line-{line_field}": "on"}),
        ("mailbox_email", {}),
    ]


# Every way to an outcome the tests below walk; the coverage test walks them all again.
PATHS = {
    "pre_sale": PRE_SALE,
    "commission": topic(Topic.COMMISSION),
    "aor": topic(Topic.AOR_REQUEST),
    "application_status": topic(Topic.APPLICATION_STATUS),
    "other_plan": topic(Topic.OTHER_PLAN),
    "spaa": topic(Topic.SPAA),
    "medicaid": topic(Topic.MEDICAID),
    "self_service": [
        *topic(Topic.ID_CARDS),
        ("self_service", {}),
        ("self_service_result", {"choice": "resolved"}),
    ],
    "sos_call": [*topic(Topic.ACCESS_TO_CARE), ("sos_criteria", SOS_ALL_HOLD)],
    "si_my_humana_business": [*SI_EXISTING, ("si_result", {"choice": "submitted"})],
    "si_card": [*SI_PROSPECTIVE, ("si_result", {"choice": "submitted"})],
    "prospective_member": [*PROSPECTIVE_MEMBER, ("si_result", {"choice": "submitted"})],
    "asu": [*SI_EXISTING, ("si_result", {"choice": "vantage_issue"})],
    "mailbox_medicare": mailbox("medicare"),
    "mailbox_humanaone": mailbox("individual"),
    "sales_escalation": [*TO_ESCALATION, ("escalation", {"choice": "exhausted"})],
}


def outcome_event(case: Case) -> CaseEvent:
    return CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.OUTCOME)


def assert_closed(case: Case, outcome_key: str, disposition: Disposition, *quotes: str) -> str:
    """The case is closed on ``outcome_key``; its outcome event quotes every one of ``quotes``.
    Returns the outcome event's shown text for further checks."""
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.closed_at is not None
    assert case.outcome_key == outcome_key
    assert case.disposition == disposition
    event = outcome_event(case)
    assert event.step_key == outcome_key
    assert event.value == disposition.value
    for quote in quotes:
        assert quote in event.shown, f"{quote!r} not in the outcome text:\n{event.shown}"
    return event.shown


def walk_to(user, answers) -> Case:
    case = make_case(user, FLOW_KEY, answers)
    case.refresh_from_db()
    assert case.is_open
    return case


# --- one test per outcome ------------------------------------------------------------------


def test_it_sends_a_pre_sale_question_to_agent_support(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["pre_sale"])

    shown = assert_closed(
        case, "out_agent_support", Disposition.REFERRED,
        "agentsupport@humana.com", "1-800-309-3163",
        "All pre-sale questions including Application Status Checks and Agent of Record (AOR) "
        "requests should be directed to Agent Support",
    )
    assert "Commission" not in shown


def test_it_sends_a_commission_question_to_agent_support(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["commission"])

    assert_closed(
        case, "out_agent_support", Disposition.REFERRED,
        "agentsupport@humana.com", "1-800-309-3163",
        "Commission questions are out of scope for ARSOS",
    )


def test_it_sends_an_aor_request_to_agent_support(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["aor"])

    assert_closed(
        case, "out_agent_support", Disposition.REFERRED,
        "agentsupport@humana.com", "1-800-309-3163",
        "AOR clarification, check status and changes go to Agent Support",
    )


def test_it_sends_an_application_status_check_to_agent_support(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["application_status"])

    assert_closed(
        case, "out_agent_support", Disposition.REFERRED,
        "agentsupport@humana.com", "Application Status Checks",
    )


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("other_plan", "Issues from non HumanaOne/Medicare plans"),
        ("spaa", "SPAA Issues"),
        ("medicaid", "Medicaid Issues"),
    ],
)
def test_it_closes_an_out_of_scope_topic_as_out_of_scope(specialist, path, label):
    case = make_case(specialist, FLOW_KEY, PATHS[path])

    shown = assert_closed(
        case, "out_of_scope", Disposition.REFERRED,
        f"“{label}” is out of scope for the ARSOS mailbox, and the ARSOS documents name no "
        "destination for it: do not send it to the mailbox.",
        "Where each out-of-scope topic goes:",
        # the full seed 002 list, commission and AOR with their destination, the rest once
        "- Commission questions: agentsupport@humana.com",
        "- AOR clarification, check status and changes: agentsupport@humana.com",
        "- No destination named in the ARSOS documents: Issues from non HumanaOne/Medicare "
        "plans; SPAA Issues; Medicaid Issues",
    )
    assert shown.count("is out of scope for the ARSOS mailbox") == 1
    # Nothing was sent to the mailbox: no reply is promised, and nothing is said four times.
    assert "receive a reply" not in shown
    assert "Not handled by ARSOS" not in shown
    assert shown.count("no destination") == 1


def test_it_resolves_an_id_card_request_with_myhumana_self_service(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["self_service"])

    assert_closed(
        case, "out_self_service", Disposition.SELF_SERVICE,
        "The member uses MyHumana",
        "Utilizing member self-service tools eliminate the risk associated with sharing PHI",
    )
    assert case.path == ["sale_stage", "topic", "self_service", "self_service_result"]


def test_it_sends_the_agent_to_the_sos_line_when_every_criterion_holds(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["sos_call"])

    assert_closed(
        case, "out_sos_call", Disposition.ESCALATED,
        "The AGENT calls 866-464-7932",
        "3-way call",
        "This number (866-464-7932) is tracked and should NEVER be given to members or to any "
        "external entity",
    )


def test_it_sends_the_termed_in_error_member_to_the_sos_line(specialist):
    answers = [
        *topic(Topic.TERMED_IN_ERROR),
        ("sos_criteria", sos_form(agent_makes_call=True, member_on_line=True,
                                  cannot_obtain_clinical_access=True, termed_in_error=True)),
    ]

    case = make_case(specialist, FLOW_KEY, answers)

    assert_closed(case, "out_sos_call", Disposition.ESCALATED, "866-464-7932")


@pytest.mark.parametrize(
    ("path", "card_step"),
    [("si_my_humana_business", "si_my_humana_business"), ("si_card", "si_card")],
)
def test_it_closes_a_submitted_service_inquiry_through_either_card(specialist, path, card_step):
    case = make_case(specialist, FLOW_KEY, PATHS[path])

    assert_closed(
        case, "out_service_inquiry", Disposition.ANSWERED,
        "The request goes to ARSOS through the Service Inquiry",
        "It is secure, allows for pre-population, faster submission, and speeds up resolution.",
    )
    assert card_step in case.path
    other = {"si_my_humana_business", "si_card"} - {card_step}
    assert not other & set(case.path)


def test_it_takes_a_prospective_member_straight_to_the_service_inquiry_card(specialist):
    """Seed 001: "Service Inquiry Card: For prospective members whose application is
    in-progress, has not been completely processed, or is not currently in your book of
    business". The first question offers that case in those words, beside "ARSOS should be
    contacted for all post-sale customer service needs" and "All pre-sale questions including
    Application Status Checks and Agent of Record (AOR) requests should be directed to Agent
    Support", and it reaches the card without answering "post-sale"."""
    sale_stage = registry.get(FLOW_KEY).step("sale_stage")
    [label] = [c.label for c in sale_stage.choices if c.value == "prospective"]
    assert "prospective member whose application is in-progress, has not been completely " \
        "processed, or is not currently in the agent's book of business" in label

    case = make_case(specialist, FLOW_KEY, PATHS["prospective_member"])

    assert_closed(case, "out_service_inquiry", Disposition.ANSWERED,
                  "The request goes to ARSOS through the Service Inquiry")
    assert case.path[:2] == ["sale_stage", "si_card"]
    assert not {"topic", "si_member", "si_my_humana_business"} & set(case.path)


def test_it_sends_a_vantage_technical_issue_to_asu(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["asu"])

    assert_closed(
        case, "out_asu", Disposition.REFERRED,
        "If unable to submit a Service Inquiry, Agents should contact ASU to submit ticket for "
        "Vantage technical issues.",
    )


@pytest.mark.parametrize(
    ("path", "line", "phone_line", "number", "other_number"),
    [
        ("mailbox_medicare", "Medicare", "Medicare", "1-800-457-4708", "1-800-833-6917"),
        # Seed 002's automatic response calls the HumanaOne number the "Individual" line.
        ("mailbox_humanaone", "HumanaOne", "Individual", "1-800-833-6917", "1-800-457-4708"),
    ],
)
def test_it_escalates_to_the_arsos_mailbox_for_the_line_of_business(
    specialist, path, line, phone_line, number, other_number
):
    case = make_case(specialist, FLOW_KEY, PATHS[path])
    case.refresh_from_db()
    # The case waits on the mailbox (tests/agent_rsos/test_mailbox_wait.py follows it to its end).
    assert (case.status, case.current_step) == ("waiting", "mailbox_wait")
    shown = services.current_step(case).render_text(services.flow_state(case))
    for quote in (
        "AgentRSOS@humana.com",
        "within 72 hours",
        "every five business days",
        "Access to care and critical time sensitive issues needing immediate attention should be "
        "called in to Customer Service",
        f"{phone_line} {number}",
        "72 business hours",
    ):
        assert quote in shown, quote
    assert other_number not in shown
    assert case.answers["mailbox_line"]["line_of_business"] == line


def test_it_escalates_to_sales_manager_brm_or_bre_when_options_are_exhausted(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["sales_escalation"])

    assert_closed(
        case, "out_sales_escalation", Disposition.ESCALATED,
        "If Agents have exhausted all options for resolving a customer service issue, escalate "
        "to Sales Manager, Broker Relationship Manager (BRM) or Broker Relationship Executive "
        "(BRE).",
    )


# --- the SOS check refusing ----------------------------------------------------------------


def test_it_lands_on_sos_refused_and_lists_the_blockers(specialist):
    # The member is not on the line and has neither an active plan nor a termed-in-error report.
    answers = [
        *topic(Topic.ACCESS_TO_CARE),
        ("sos_criteria", sos_form(agent_makes_call=True, current_clinical_need=True)),
    ]

    case = walk_to(specialist, answers)

    assert case.current_step == "sos_refused"
    check = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CHECK).last()
    assert check.step_key == "sos_decision"
    assert check.value == "not_allowed"
    assert check.answer == "Criteria not met: send via Vantage"

    flow = registry.get(FLOW_KEY)
    shown = flow.step("sos_refused").shown(services.flow_state(case))
    assert "• The member MUST be on the line" in shown
    assert "• The member has no active medical plan and does not report being termed in error." \
        in shown
    assert "The AGENT makes the call" not in shown  # that criterion held
    assert "no current clinical need" not in shown  # and so did this one
    # The member needs care now: a 3-way call can't fix the missing plan, so Customer Service
    # (seed 002's numbers), not the unrelated "Reasons NOT to call" list.
    assert "called in to Customer Service: Individual 1-800-833-6917, Medicare 1-800-457-4708." \
        in shown
    assert "go Back to the SOS criteria" not in shown
    assert "Medical and Pharmacy Claims" not in shown

    # Continuing records that text in the transcript and goes on to the Service Inquiry.
    result = services.case_answer(case=case, user=specialist, step_key="sos_refused", data={})
    assert result.ok
    answered = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ANSWER,
                                     step_key="sos_refused")
    assert answered.shown == shown
    assert result.case.current_step == "si_member"


def test_it_says_to_get_a_member_who_needs_care_now_on_a_3_way_call_or_call_customer_service(
        specialist):
    # Everything holds but the member is not on the line.
    answers = [
        *topic(Topic.ACCESS_TO_CARE),
        ("sos_criteria", sos_form(agent_makes_call=True, cannot_obtain_clinical_access=True,
                                  active_medical_plan=True)),
    ]

    case = walk_to(specialist, answers)

    assert case.current_step == "sos_refused"
    shown = registry.get(FLOW_KEY).step("sos_refused").shown(services.flow_state(case))
    assert "• The member MUST be on the line" in shown
    assert "Get the member on a 3-way call (or in the room with the agent), then go Back to " \
        "the SOS criteria" in shown
    assert "Access to care and critical time sensitive issues needing immediate attention " \
        "should be called in to Customer Service: Individual 1-800-833-6917, Medicare " \
        "1-800-457-4708." in shown
    assert "Reasons NOT to call" not in shown
    assert "ID Cards" not in shown


def test_it_lists_the_reasons_not_to_call_when_the_member_has_no_care_need(specialist):
    answers = [
        *topic(Topic.ACCESS_TO_CARE),
        ("sos_criteria", sos_form(agent_makes_call=True, member_on_line=True,
                                  active_medical_plan=True)),
    ]

    case = walk_to(specialist, answers)

    shown = registry.get(FLOW_KEY).step("sos_refused").shown(services.flow_state(case))
    assert "Send the request via Vantage as a Service Inquiry instead. Reasons NOT to call " \
        "the SOS line (Send via Vantage):" in shown
    assert "• Medical and Pharmacy Claims" in shown
    assert "Customer Service:" not in shown


# --- the mailbox_line form -----------------------------------------------------------------


def test_it_refuses_medicare_and_individual_ticked_together(specialist):
    case = walk_to(specialist, TO_MAILBOX_LINE)
    assert case.current_step == "mailbox_line"
    events_before = CaseEvent.objects.filter(case=case).count()

    result = services.case_answer(
        case=case, user=specialist, step_key="mailbox_line",
        data={"mailbox_line-medicare": "on", "mailbox_line-individual": "on"},
    )

    assert result.ok is False
    errors = " ".join(result.form.non_field_errors())
    assert "separate e-mails" in errors
    assert CaseEvent.objects.filter(case=case).count() == events_before
    case.refresh_from_db()
    assert case.current_step == "mailbox_line"
    assert case.is_open
    assert "mailbox_line" not in case.answers


def test_it_refuses_the_mailbox_line_with_no_box_ticked(specialist):
    case = walk_to(specialist, TO_MAILBOX_LINE)
    events_before = CaseEvent.objects.filter(case=case).count()

    result = services.case_answer(case=case, user=specialist, step_key="mailbox_line", data={})

    assert result.ok is False
    assert "Medicare or Individual" in " ".join(result.form.non_field_errors())
    assert CaseEvent.objects.filter(case=case).count() == events_before
    case.refresh_from_db()
    assert case.current_step == "mailbox_line"


# --- the mailbox e-mail action -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line_field", "subject"),
    [
        ("medicare", "[Member Last Name Here], [Member First Name Here] [Medicare]"),
        ("individual", "[Member Last Name Here], [Member First Name Here] [HumanaOne]"),
    ],
)
def test_it_records_the_mailbox_email_template_as_an_action(specialist, line_field, subject):
    case = walk_to(
        specialist, [*TO_MAILBOX_LINE, ("mailbox_line", {f"mailbox_line-{line_field}": "on"})]
    )

    assert case.current_step == "mailbox_email"
    action = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ACTION)
    assert action.step_key == "mailbox_email"
    assert action.artifact["kind"] == "email"
    assert action.artifact["to"] == "AgentRSOS@humana.com"
    assert action.artifact["subject"] == subject
    assert action.artifact["body"] == SEED_BODY
    assert case.artifacts["mailbox_email"] == action.artifact


# --- automatic checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "branch", "label", "lands_on"),
    [
        (Topic.BILLING, "service_inquiry", "Service Inquiry in Vantage", "si_member"),
        (Topic.PCP_CHANGE, "self_service", "Member self-service first", "self_service"),
        (Topic.ACCESS_TO_CARE, "sos_candidate", "Access to care: check the SOS line",
         "sos_criteria"),
    ],
)
def test_it_records_the_route_check_with_its_branch_label(specialist, value, branch, label,
                                                          lands_on):
    case = walk_to(specialist, topic(value))

    check = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CHECK)
    assert check.step_key == "route"
    assert check.value == branch
    assert check.answer == label
    assert check.shown.startswith("Where does this request go?")
    assert case.current_step == lands_on


def test_it_records_the_sos_decision_check_when_the_line_is_allowed(specialist):
    case = make_case(specialist, FLOW_KEY, PATHS["sos_call"])

    check = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CHECK, step_key="sos_decision")
    assert check.value == "allowed"
    assert check.answer == "All criteria hold: call the SOS line"


# --- every outcome is covered --------------------------------------------------------------


def test_it_reaches_every_outcome_of_the_flow(specialist):
    flow = registry.get(FLOW_KEY)
    declared = {step.key for step in flow.steps if isinstance(step, Outcome)}

    reached = set()
    for answers in PATHS.values():
        case = make_case(specialist, FLOW_KEY, answers)
        case.refresh_from_db()
        if case.is_waiting:  # the mailbox paths: test_mailbox_wait.py ends them both ways
            assert case.current_step == "mailbox_wait"
            continue
        assert not case.is_open
        reached.add(case.outcome_key)

    assert reached == declared - {"out_mailbox", "out_mailbox_escalated"}


# --- the mailbox path drafts an escalation (agent_rsos.models.Escalation) ------------------


@pytest.mark.parametrize(("line_field", "line"), [("medicare", "Medicare"),
                                                  ("individual", "HumanaOne")])
def test_it_drafts_an_escalation_linked_from_the_mailbox_action(specialist, line_field, line):
    from agent_rsos.models import Escalation

    case = walk_to(
        specialist, [*TO_MAILBOX_LINE, ("mailbox_line", {f"mailbox_line-{line_field}": "on"})]
    )

    escalation = Escalation.objects.get(case=case)
    assert (escalation.owner, escalation.line_of_business, escalation.status) == (
        specialist, line, "draft")
    assert escalation.topic == "billing"
    action = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ACTION)
    assert action.artifact["url"] == f"/arsos/escalations/{escalation.pk}/"
    assert f"ARSOS escalation #{escalation.pk} ({line}) drafted" in action.artifact["title"]


def test_it_drafts_afresh_after_going_back(specialist):
    from agent_rsos.models import Escalation

    case = walk_to(specialist, [*TO_MAILBOX_LINE, ("mailbox_line", {"mailbox_line-medicare": "on"})])
    case = services.case_back(case=case, user=specialist)
    result = services.case_answer(case=case, user=specialist, step_key="mailbox_line",
                                  data={"mailbox_line-medicare": "on"})

    assert result.ok
    assert sorted(Escalation.objects.filter(case=case).values_list("status", flat=True)) == [
        "discarded", "draft"]


def test_it_discards_the_old_line_and_drafts_the_new_one_after_back(specialist):
    from agent_rsos.models import Escalation

    case = walk_to(specialist, [*TO_MAILBOX_LINE, ("mailbox_line", {"mailbox_line-medicare": "on"})])
    case = services.case_back(case=case, user=specialist)
    services.case_answer(case=case, user=specialist, step_key="mailbox_line",
                         data={"mailbox_line-individual": "on"})

    assert sorted(Escalation.objects.filter(case=case).values_list("line_of_business", "status")
                  ) == [("HumanaOne", "draft"), ("Medicare", "discarded")]
