"""Where an agent's request goes: seed 001 (Agent RSOS Customer Service Support 3.0), the
topics, Agent Support, the Customer Service SOS line, Service Inquiries and the lines of
business, and the mailbox template of seed 002."""

from __future__ import annotations

import enum
from dataclasses import dataclass

AGENT_SUPPORT_EMAIL = "agentsupport@humana.com"
AGENT_SUPPORT_PHONE = "1-800-309-3163"
ARSOS_MAILBOX = "AgentRSOS@humana.com"
SOS_LINE = "866-464-7932"
CUSTOMER_SERVICE_INDIVIDUAL = "1-800-833-6917"
CUSTOMER_SERVICE_MEDICARE = "1-800-457-4708"


class Topic(enum.StrEnum):
    """What the agent is asking about, in the seeds' own words."""

    APPLICATION_STATUS = "application_status"
    AOR_REQUEST = "aor_request"
    COMMISSION = "commission"
    ID_CARDS = "id_cards"
    PCP_CHANGE = "pcp_change"
    DEMOGRAPHIC_CHANGE = "demographic_change"
    BENEFIT_QUESTIONS = "benefit_questions"
    BILLING = "billing"
    ENROLLMENT = "enrollment"
    FULFILLMENT = "fulfillment"
    CLAIMS = "claims"
    ACCESS_TO_CARE = "access_to_care"
    TERMED_IN_ERROR = "termed_in_error"
    SPAA = "spaa"
    MEDICAID = "medicaid"
    OTHER_PLAN = "other_plan"
    OTHER_MEMBER_ISSUE = "other_member_issue"


TOPIC_LABELS: dict[Topic, str] = {
    Topic.APPLICATION_STATUS: "Application status check",
    Topic.AOR_REQUEST: "Agent of Record (AOR) request, clarification or change",
    Topic.COMMISSION: "Commission question",
    Topic.ID_CARDS: "ID cards",
    Topic.PCP_CHANGE: "PCP change",
    Topic.DEMOGRAPHIC_CHANGE: "Demographic change request",
    Topic.BENEFIT_QUESTIONS: "Benefit questions",
    Topic.BILLING: "Billing issues",
    Topic.ENROLLMENT: "Enrollment issues",
    Topic.FULFILLMENT: "Fulfillment requests",
    Topic.CLAIMS: "Medical and pharmacy claims",
    Topic.ACCESS_TO_CARE: "Member cannot get care or a prescription now (access to care)",
    Topic.TERMED_IN_ERROR: "Member reports an active plan but was termed in error",
    Topic.SPAA: "SPAA issues",
    Topic.MEDICAID: "Medicaid issues",
    Topic.OTHER_PLAN: "A plan that is not HumanaOne or Medicare",
    Topic.OTHER_MEMBER_ISSUE: "Another post-sale member issue",
}

# Seed 001: "All pre-sale questions including Application Status Checks and Agent of Record
# (AOR) requests should be directed to Agent Support".
PRE_SALE_TOPICS = frozenset({Topic.APPLICATION_STATUS, Topic.AOR_REQUEST})

# Seed 001, Solution for PHI Issues: "Members can use MyHumana to print/order ID cards, change
# PCP, update demographic information, live chat with customer service and much more."
SELF_SERVICE_TOPICS = frozenset({Topic.ID_CARDS, Topic.PCP_CHANGE, Topic.DEMOGRAPHIC_CHANGE})

# Seed 001, Customer Service SOS: "Reasons NOT to call: (Send via Vantage)".
SOS_NOT_TO_CALL = (
    "ID Cards",
    "Benefit questions",
    "Billing issues",
    "Enrollment Issues",
    "Demographic Change Requests",
    "PCP Change",
    "Fulfillment Requests",
    "Medical and Pharmacy Claims",
)
SOS_NOT_TO_CALL_TOPICS = frozenset(
    {
        Topic.ID_CARDS,
        Topic.BENEFIT_QUESTIONS,
        Topic.BILLING,
        Topic.ENROLLMENT,
        Topic.DEMOGRAPHIC_CHANGE,
        Topic.PCP_CHANGE,
        Topic.FULFILLMENT,
        Topic.CLAIMS,
    }
)
SOS_CANDIDATE_TOPICS = frozenset({Topic.ACCESS_TO_CARE, Topic.TERMED_IN_ERROR})


@dataclass(frozen=True)
class OutOfScope:
    topic: Topic
    label: str
    goes_to: str | None  # None: the seed names no destination


# Seed 002, Out of Scope. The seed names a destination only for commission and AOR
# ("AgentSupport@humana.com"); for the others it names none, so ``goes_to`` is None and the
# page says so rather than invent a team or an address.
OUT_OF_SCOPE = (
    OutOfScope(Topic.OTHER_PLAN, "Issues from non HumanaOne/Medicare plans", None),
    OutOfScope(Topic.COMMISSION, "Commission questions", AGENT_SUPPORT_EMAIL),
    OutOfScope(
        Topic.AOR_REQUEST, "AOR clarification, check status and changes", AGENT_SUPPORT_EMAIL
    ),
    OutOfScope(Topic.SPAA, "SPAA Issues", None),
    OutOfScope(Topic.MEDICAID, "Medicaid Issues", None),
)
NO_DESTINATION = "the ARSOS documents name no destination for it"


def out_of_scope(topic: Topic) -> OutOfScope | None:
    """Seed 002, Out of Scope: "Issues from non HumanaOne/Medicare plans", "Commission
    questions: AgentSupport@humana.com", "AOR clarification, check status and changes:
    AgentSupport@humana.com", "SPAA Issues", "Medicaid Issues". Returns the entry, or None if
    in scope. (The seed's "you should receive a reply with guidance" is the mailbox answering an
    e-mail sent to it; a request routed away here was never sent, so nothing promises a reply.)"""
    return next((entry for entry in OUT_OF_SCOPE if entry.topic == topic), None)


class Route(enum.StrEnum):
    AGENT_SUPPORT = "agent_support"
    OUT_OF_SCOPE = "out_of_scope"
    SELF_SERVICE = "self_service"
    SOS_CANDIDATE = "sos_candidate"
    SERVICE_INQUIRY = "service_inquiry"


def route_topic(topic: Topic) -> Route:
    """Where a post-sale request starts.

    Seed 001: pre-sale questions (application status, AOR) go to Agent Support; "ARSOS should
    be contacted for all post-sale customer service needs"; self-service first ("Utilizing
    member self-service tools eliminate the risk associated with sharing PHI"); the SOS line
    only for access-to-care issues; everything else is sent "via Vantage" as a Service Inquiry.
    Seed 002: commission and AOR questions go to AgentSupport@humana.com; non-HumanaOne/Medicare
    plans, SPAA and Medicaid are out of scope.
    """
    if topic in PRE_SALE_TOPICS or topic == Topic.COMMISSION:
        return Route.AGENT_SUPPORT
    if out_of_scope(topic) is not None:
        return Route.OUT_OF_SCOPE
    if topic in SELF_SERVICE_TOPICS:
        return Route.SELF_SERVICE
    if topic in SOS_CANDIDATE_TOPICS:
        return Route.SOS_CANDIDATE
    return Route.SERVICE_INQUIRY


@dataclass(frozen=True)
class SosCall:
    """The facts the Customer Service SOS line depends on (seed 001)."""

    agent_makes_call: bool
    member_on_line: bool
    current_clinical_need: bool
    cannot_obtain_clinical_access: bool
    active_medical_plan: bool
    termed_in_error: bool


def sos_line_blockers(call: SosCall) -> list[str]:
    """Why the Customer Service SOS line (866-464-7932) may NOT be used; empty when it may.

    Seed 001: "This line is ONLY to be used when the member has an issue that is hindering the
    member from obtaining their benefits and/or needs access to care. The AGENT makes the call
    and the member MUST be on the line." Reasons to call: a current clinical need; cannot obtain
    clinical access; an active medical plan; or reports an active plan but termed in error.

    Our reading, since the four reasons mix two questions: the member's issue hinders "obtaining
    their benefits and/or needs access to care" (a current clinical need, cannot obtain clinical
    access, or termed in error, which keeps the member from their benefits) AND the member has
    coverage (an active medical plan, or reports one but was termed in error). Both, plus the
    agent calling with the member on the line, must hold. So a member termed in error qualifies
    on that reason alone, as the seed lists it as a reason to call.
    """
    blockers = []
    if not call.agent_makes_call:
        blockers.append("The AGENT makes the call; the number is never given to the member.")
    if not call.member_on_line:
        blockers.append(
            "The member MUST be on the line (a 3-way call, or in the room with the agent)."
        )
    if not (call.current_clinical_need or call.cannot_obtain_clinical_access
            or call.termed_in_error):
        blockers.append(
            "The member has no current clinical need, can obtain clinical access and was not "
            "termed in error: the issue is not hindering benefits or access to care."
        )
    if not (call.active_medical_plan or call.termed_in_error):
        blockers.append(
            "The member has no active medical plan and does not report being termed in error."
        )
    return blockers


def sos_line_allowed(call: SosCall) -> bool:
    return not sos_line_blockers(call)


def sos_needs_care_now(call: SosCall) -> bool:
    """The member cannot get care now: a current clinical need, or cannot obtain clinical
    access "(such as picking up a prescription)" (seed 001, Reasons to call).

    When the SOS line is refused for such a member (not on the line, say), seed 001 still says
    "Use this number from your phone only with the member on a 3-way call or in the room with
    you", and seed 002's automatic response: "Access to care and critical time sensitive issues
    needing immediate attention should be called in to Customer Service. [...] Our Call Center
    phone number for Individual is 1-800-833-6917 and Medicare is 1-800-457-4708." So the page
    offers those two ways, not the "Reasons NOT to call" list, which is about other topics.
    """
    return call.current_clinical_need or call.cannot_obtain_clinical_access


def sos_only_needs_the_call(call: SosCall) -> bool:
    """Every criterion about the member holds and only the call itself is missing (the agent
    placing it, the member on the line): a 3-way call makes the SOS line apply (seed 001)."""
    return bool(sos_line_blockers(call)) and sos_line_allowed(
        SosCall(**{**call.__dict__, "agent_makes_call": True, "member_on_line": True}))


class MemberStatus(enum.StrEnum):
    EXISTING = "existing"
    PROSPECTIVE = "prospective"


def service_inquiry_card(status: MemberStatus) -> str:
    """Seed 001, the two ways to submit a Service Inquiry: the My Humana Business card "For
    existing members"; the Service Inquiry Card "For prospective members whose application is
    in-progress, has not been completely processed, or is not currently in your book of
    business"."""
    return "my_humana_business" if status == MemberStatus.EXISTING else "service_inquiry_card"


class LineOfBusiness(enum.StrEnum):
    MEDICARE = "Medicare"
    HUMANAONE = "HumanaOne"


def mailbox_line_of_business(medicare: bool, individual: bool) -> LineOfBusiness:
    """Seed 002: "Medicare or Individual based on member's policy, do NOT send Medicare and
    Individual concerns in the same email". Raises ValueError when both or neither apply."""
    if medicare and individual:
        raise ValueError(
            "Send Medicare and Individual (HumanaOne) concerns in separate e-mails: "
            "one e-mail per line of business."
        )
    if not (medicare or individual):
        raise ValueError(
            "The ARSOS mailbox takes Medicare or Individual (HumanaOne) members only."
        )
    return LineOfBusiness.MEDICARE if medicare else LineOfBusiness.HUMANAONE


def customer_service_number(line: LineOfBusiness) -> str:
    """Seed 002, automatic response: "Our Call Center phone number for Individual is
    1-800-833-6917 and Medicare is 1-800-457-4708."""
    if line == LineOfBusiness.MEDICARE:
        return CUSTOMER_SERVICE_MEDICARE
    return CUSTOMER_SERVICE_INDIVIDUAL


def customer_service_label(line: LineOfBusiness) -> str:
    """The automatic response names the lines "Individual" and "Medicare"."""
    return "Medicare" if line == LineOfBusiness.MEDICARE else "Individual"


# Seed 002, Agent Template.
MAILBOX_SUBJECT_TEMPLATE = "[Member Last Name Here], [Member First Name Here] [{line}]"
MAILBOX_BODY_FIELDS = (
    ("Agent Name", True),
    ("Agent SAN", True),
    ("Member ID #", True),
    ("Member Name in question", True),
    ("Reference #", False),
    ("Summary of issue", True),
)


def mailbox_template(line: LineOfBusiness) -> tuple[str, str]:
    """The seed 002 template with the line of business filled in and member fields left as
    placeholders: SupportDesk never stores the member's name or ID in a routing case."""
    subject = MAILBOX_SUBJECT_TEMPLATE.format(line=line.value)
    body = "\n".join(
        f"{name}: ({'Required' if required else 'If applicable'})"
        for name, required in MAILBOX_BODY_FIELDS
    )
    return subject, body
