"""The ARSOS routing flow: where an agent's member service request goes (seeds 001 and 002)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.urls import reverse
from django.utils import timezone

from supportdesk import clock
from supportdesk.dates import date_text, datetime_text
from supportdesk.engine import (
    Action,
    Artifact,
    Branch,
    CallerType,
    Check,
    Choice,
    Disposition,
    Flow,
    FlowState,
    FormStep,
    Instruction,
    Outcome,
    Question,
    StepRefused,
    Wait,
    Waiting,
    register,
)

from . import rules
from .forms import MailboxLineForm, SosCallForm
from .models import Escalation
from .rules import Topic
from .services import EscalationRefused, escalation_discard, escalation_draft

SEED_001 = "Field Agents: Agent RSOS Customer Service Support 3.0"
SEED_002 = "Agent RSOS Support Team"


def _topic(state: FlowState) -> Topic | None:
    value = state.answer("topic")
    return Topic(value) if value in Topic._value2member_map_ else None


def _route(state: FlowState) -> rules.Route:
    topic = _topic(state)
    return rules.route_topic(topic) if topic else rules.Route.SERVICE_INQUIRY


def _sos_call(state: FlowState) -> rules.SosCall:
    answers = state.read("sos_criteria", SosCallForm)
    return rules.SosCall(**{name: answers[name] for name in SosCallForm.base_fields})


def _sos_decision(state: FlowState) -> Literal["allowed", "not_allowed"]:
    return "allowed" if rules.sos_line_allowed(_sos_call(state)) else "not_allowed"


def _customer_service_numbers() -> str:
    return (f"Individual {rules.customer_service_number(rules.LineOfBusiness.HUMANAONE)}, "
            f"Medicare {rules.customer_service_number(rules.LineOfBusiness.MEDICARE)}")


def _sos_refused_text(state: FlowState) -> str:
    call = _sos_call(state)
    reasons = "\n".join(f"• {reason}" for reason in rules.sos_line_blockers(call))
    head = (
        "The Customer Service SOS line is ONLY to be used when the member has an issue that is "
        "hindering the member from obtaining their benefits and/or needs access to care. "
        f"Here it does not apply:\n{reasons}\n\n"
    )
    if rules.sos_needs_care_now(call):
        come_back = (
            "Get the member on a 3-way call (or in the room with the agent), then go Back to "
            "the SOS criteria and tick what now holds. Or: "
            if rules.sos_only_needs_the_call(call) else ""
        )
        return head + (
            f"{come_back}Access to care and critical time sensitive issues needing immediate "
            f"attention should be called in to Customer Service: {_customer_service_numbers()}."
            "\n\nIf the issue can wait, send it via Vantage as a Service Inquiry."
        )
    not_to_call = "\n".join(f"• {reason}" for reason in rules.SOS_NOT_TO_CALL)
    return head + (
        "Send the request via Vantage as a Service Inquiry instead. Reasons NOT to call the SOS "
        f"line (Send via Vantage):\n{not_to_call}"
    )


def _agent_support_text(state: FlowState) -> str:
    topic = _topic(state)
    reasons: dict[Topic | None, str] = {
        Topic.COMMISSION: "Commission questions are out of scope for ARSOS (Agent RSOS Support Team, "
                            "Out of Scope).",
        Topic.AOR_REQUEST: "AOR clarification, check status and changes go to Agent Support.",
    }
    why = reasons.get(topic, "All pre-sale questions including Application Status Checks and Agent of "
                 "Record (AOR) requests should be directed to Agent Support.")
    return (
        f"{why}\n\nDirect the agent to Agent Support: ✉ {rules.AGENT_SUPPORT_EMAIL} "
        f"or ☎ {rules.AGENT_SUPPORT_PHONE}."
    )


def _out_of_scope_text(state: FlowState) -> str:
    topic = _topic(state)
    entry = rules.out_of_scope(topic) if topic else None
    if entry is None:
        head = "This is out of scope for the ARSOS mailbox."
    elif entry.goes_to:
        head = (f"“{entry.label}” is out of scope for the ARSOS mailbox: it goes to "
                f"{entry.goes_to}.")
    else:
        head = (f"“{entry.label}” is out of scope for the ARSOS mailbox, and "
                f"{rules.NO_DESTINATION}: do not send it to the mailbox.")
    return f"{head}\n\nWhere each out-of-scope topic goes:"


def _out_of_scope_items() -> tuple[str, ...]:
    """Each named destination once, then the topics the seed names none for, on one line."""
    named = tuple(f"{e.label}: {e.goes_to}" for e in rules.OUT_OF_SCOPE if e.goes_to)
    unnamed = "; ".join(e.label for e in rules.OUT_OF_SCOPE if not e.goes_to)
    return (*named, f"No destination named in the ARSOS documents: {unnamed}")


def _mailbox_email(state: FlowState) -> Artifact:
    """Open (or find again, after Back) the case's draft escalation for the line: the member's
    details are typed on the escalation's own page, never into the case."""
    line = rules.LineOfBusiness(state.answer("mailbox_line", "line_of_business"))
    escalation = escalation_draft(case=state.case, user=state.acting_user(), line=line,
                                  topic=state.answer("topic") or "")
    subject, body = rules.mailbox_template(line)
    return Artifact(
        kind=Artifact.EMAIL,
        title=f"ARSOS mailbox e-mail template ({line.value}): {escalation.label} drafted",
        to=rules.ARSOS_MAILBOX,
        subject=subject,
        body=body,
        url=reverse("arsos_escalation", args=[escalation.pk]),
        url_label="Open the escalation to fill it in",
    )


def _discard(state: FlowState) -> str:
    """Back past the mailbox step: discard the case's drafts; a sent one cannot be unsent."""
    try:
        return escalation_discard(case=state.case, user=state.acting_user())
    except EscalationRefused as error:
        raise StepRefused(str(error)) from error


def _mailbox_outcome_text(state: FlowState) -> str:
    line = rules.LineOfBusiness(state.answer("mailbox_line", "line_of_business"))
    return (
        "The request goes to the Agent Retail Service Ops. Support mailbox "
        f"({rules.ARSOS_MAILBOX}) as the e-mail template below: the member's name in the "
        "subject and every required field in the body. Fill them in on the draft escalation "
        "(My escalations): it renders the e-mail, and keeps the SLA clock once it is sent.\n\n"
        "What the agent can expect: an acknowledgement that the request has been received; a "
        "response within 72 hours; follow up within 5 business days after acknowledgement, and "
        "an update every five business days until final resolution. Responses are sent secure. "
        "(The team's goal is a response within 72 hours; the mailbox's automatic reply promises "
        "72 business hours: SupportDesk counts 72 hours.)\n\n"
        "Access to care and critical time sensitive issues needing immediate attention should be "
        f"called in to Customer Service: {rules.customer_service_label(line)} "
        f"{rules.customer_service_number(line)}."
    )


def _escalations(state: FlowState) -> list[Escalation]:
    """The case's escalations (two when the agent had Medicare and Individual concerns)."""
    return state.remember("escalations", lambda: list(
        Escalation.objects.filter(case=state.case).exclude(status=Escalation.Status.DISCARDED)
        .order_by("pk")))


def _standing(escalation: Escalation) -> tuple[str, dt.date]:
    """Where one escalation stands for the specialist, and the day to follow it up."""
    if escalation.is_draft:
        return (f"{escalation.label} is a draft: fill in the template and send it",
                clock.today())
    if escalation.is_open and escalation.next_due_at:
        due = timezone.localtime(escalation.next_due_at)
        point = "response" if escalation.next_due_kind == rules.DuePoint.RESPONSE else "follow-up"
        return (f"{escalation.label} is {escalation.get_status_display().lower()}; {point} due "
                f"{datetime_text(due)}", due.date())
    return (f"{escalation.label} is {escalation.get_status_display().lower()}: resume the case "
            "to finish it", clock.today())


def _escalation_waiting(state: FlowState) -> Waiting:
    standings = [_standing(escalation) for escalation in _escalations(state)]
    if not standings:
        return Waiting(reason="Waiting on the ARSOS mailbox.")
    escalations = _escalations(state)
    return Waiting(reason="; ".join(reason for reason, _ in standings) + ".",
                   follow_up_on=min(day for _, day in standings),
                   on=", ".join(escalation.label for escalation in escalations),
                   url=reverse("arsos_escalation", args=[escalations[0].pk])
                   if len(escalations) == 1 else reverse("arsos_my_escalations"))


def _escalation_state(state: FlowState) -> Literal["open", "resolved", "escalated", "none"]:
    escalations = _escalations(state)
    if not escalations:
        return "none"
    if any(escalation.is_draft or escalation.is_open for escalation in escalations):
        return "open"
    further = any(escalation.status == Escalation.Status.ESCALATED for escalation in escalations)
    return "escalated" if further else "resolved"


def _closed_text(state: FlowState) -> str:
    lines = []
    for escalation in _escalations(state):
        when = f" on {date_text(escalation.closed_at)}" if escalation.closed_at else ""
        further = (f" to the {escalation.get_escalated_to_display()}"
                   if escalation.status == Escalation.Status.ESCALATED else "")
        lines.append(f"{escalation.label}: {escalation.get_status_display().lower()}{further}{when}.")
    return "\n".join(lines)


def _escalated_text(state: FlowState) -> str:
    return (_closed_text(state) + "\n\nIf Agents have exhausted all options for resolving a "
            "customer service issue, escalate to Sales Manager, Broker Relationship Manager (BRM) "
            "or Broker Relationship Executive (BRE).")


# The step that walks the agent through each Service Inquiry card (rules.service_inquiry_card).
SI_CARD_STEPS = {"my_humana_business": "si_my_humana_business", "service_inquiry_card": "si_card"}


def _si_card_step(status: rules.MemberStatus) -> str:
    return SI_CARD_STEPS[rules.service_inquiry_card(status)]


TOPIC_CHOICES = tuple(
    Choice(topic.value, label, next="route") for topic, label in rules.TOPIC_LABELS.items()
)

ARSOS_ROUTING = register(
    Flow(
        key="arsos-routing",
        # v2: the mailbox path drafts an escalation record; v3: the first question offers the
        # prospective member whose application is in progress (the Service Inquiry Card); v4: the
        # mailbox path waits on its escalations and ends when the mailbox resolves them.
        title="Agent RSOS: route a member service request",
        summary="An agent calls about a member's post-sale service need, or about a "
        "prospective member whose application is in progress: self-service, a Service Inquiry "
        "in Vantage, the Customer Service SOS line, the ARSOS mailbox, or where else it goes.",
        source=f"{SEED_001}; {SEED_002}",
        caller_type=CallerType.AGENT,
        asks_subject=False,
        start="sale_stage",
        steps=(
            Question(
                key="sale_stage",
                title="Is this a pre-sale or a post-sale question?",
                text="Agent Retail Sales Operations Support (ARSOS) partners with Agents and "
                "internal teams within Humana to coordinate customer service (CS) needs for "
                "members. ARSOS should be contacted for all post-sale customer service needs.",
                source=SEED_001,
                choices=(
                    Choice("post_sale", "Post-sale: a customer service need for a member",
                           next="topic"),
                    # Seed 001's Service Inquiry Card is "For prospective members whose
                    # application is in-progress, has not been completely processed, or is not
                    # currently in your book of business": a customer service need before the
                    # sale is complete, which is neither the application status check that goes
                    # to Agent Support nor an existing member's post-sale need.
                    Choice("prospective", "A customer service need for a prospective member whose "
                           "application is in-progress, has not been completely processed, or "
                           "is not currently in the agent's book of business",
                           next=_si_card_step(rules.MemberStatus.PROSPECTIVE)),
                    Choice("pre_sale", "Pre-sale: an application status check, an AOR request "
                           "or another question before the sale", next="out_agent_support"),
                ),
            ),
            Question(
                key="topic",
                title="What does the agent need?",
                text="Pick the closest match; the next step depends on it.",
                source=f"{SEED_001}; {SEED_002}, Out of Scope",
                choices=TOPIC_CHOICES,
            ),
            Check(
                key="route",
                title="Where does this request go?",
                text="Routing by the two ARSOS documents: Agent Support, out of scope, member "
                "self-service, the Customer Service SOS line, or a Service Inquiry in Vantage.",
                source=f"{SEED_001}; {SEED_002}",
                decide=_route,
                branches={
                    rules.Route.AGENT_SUPPORT.value: Branch("Agent Support", "out_agent_support"),
                    rules.Route.OUT_OF_SCOPE.value: Branch("Out of scope", "out_of_scope"),
                    rules.Route.SELF_SERVICE.value: Branch("Member self-service first",
                                                           "self_service"),
                    rules.Route.SOS_CANDIDATE.value: Branch("Access to care: check the SOS line",
                                                            "sos_criteria"),
                    rules.Route.SERVICE_INQUIRY.value: Branch("Service Inquiry in Vantage",
                                                              "si_member"),
                },
            ),
            Instruction(
                key="self_service",
                title="Point the member to MyHumana self-service",
                text="Members can use MyHumana to print/order ID cards, change PCP, update "
                "demographic information, live chat with customer service and much more. "
                "Help the agent find the job aids in Humana MarketPoint University:",
                procedure=(
                    "Log into Vantage",
                    "Go to the Education tile",
                    "Click the Humana MarketPoint University link",
                    "Enter the search term “self-service” to see available resources to you "
                    "as an Agent",
                    "Detailed ARSOS information can be found by searching the term “RSOS”",
                    "Save job aids as a favorite in Humana MarketPoint University",
                ),
                menu_path=("Vantage", "Education", "Humana MarketPoint University"),
                note="REMINDER: Utilizing member self-service tools eliminate the risk "
                "associated with sharing PHI as well as assist with resolving member issues.",
                source=f"{SEED_001}, Solution for PHI Issues - Member Self-Service",
                next="self_service_result",
            ),
            Question(
                key="self_service_result",
                title="Can the member resolve it in MyHumana?",
                source=SEED_001,
                choices=(
                    Choice("resolved", "Yes, the member can do it in MyHumana",
                           next="out_self_service"),
                    Choice("not_resolved", "No, the agent needs to relay it to Humana",
                           next="si_member"),
                ),
            ),
            FormStep(
                key="sos_criteria",
                title="Does the Customer Service SOS line apply?",
                text="This line allows the Agent to by-pass IVR and place frustrated members "
                "with ESCALATED issues directly with customer service. Tick each statement "
                "that is true.",
                source=f"{SEED_001}, Customer Service SOS - Escalated Direct Customer Service Call",
                form_class=SosCallForm,
                next="sos_decision",
            ),
            Check(
                key="sos_decision",
                title="Customer Service SOS criteria",
                text="The agent makes the call, the member is on the line, the member needs "
                "care and has (or should have) an active medical plan.",
                source=SEED_001,
                decide=_sos_decision,
                branches={
                    "allowed": Branch("All criteria hold: call the SOS line", "out_sos_call"),
                    "not_allowed": Branch("Criteria not met: send via Vantage", "sos_refused"),
                },
            ),
            Instruction(
                key="sos_refused",
                title="Not an SOS call: send it via Vantage",
                text=_sos_refused_text,
                source=f"{SEED_001}, Customer Service SOS",
                next="si_member",
                continue_label="Continue to the Service Inquiry",
            ),
            Question(
                key="si_member",
                title="Submit a Service Inquiry in Vantage: which card fits?",
                text="Agents should submit a Service Inquiry (SI) directly through Vantage! It is "
                "secure, allows for pre-population, faster submission, and speeds up "
                "resolution. There are two ways to submit a Service Inquiry.",
                source=f"{SEED_001}, Relay Information to Members – Submit a Service Inquiry",
                choices=(
                    Choice("existing", "My Humana Business: for existing members",
                           next=_si_card_step(rules.MemberStatus.EXISTING)),
                    Choice("prospective", "Service Inquiry Card: for prospective members whose "
                           "application is in-progress, has not been completely processed, or "
                           "is not currently in the agent's book of business",
                           next=_si_card_step(rules.MemberStatus.PROSPECTIVE)),
                ),
            ),
            Instruction(
                key="si_my_humana_business",
                title="Service Inquiry through the My Humana Business card",
                text="Walk the agent through these steps:",
                procedure=(
                    "Login into Humana.com",
                    "Click Vantage",
                    "Go to My Humana Business card",
                    "Click on View All Customers",
                    "Locate the needed member, Click on their name to access their Consumer "
                    "Profile",
                    "Select Create an Inquiry (can be done from any of the 3 tabs)",
                    "Select the Member's Policy or Application that needs the Service Inquiry "
                    "(Select the check mark)",
                    "Select the Inquiry Type",
                    "Click Next, process the rest of the Service Inquiry, and Submit",
                ),
                menu_path=("Humana.com", "Vantage", "My Humana Business",
                           "View All Customers", "Consumer Profile", "Create an Inquiry"),
                note="REMINDER: Using the My Humana Business card auto-populates a lot of "
                "information for your request; using the SI card auto-creates a case to ARSOS.",
                source=SEED_001,
                next="si_result",
            ),
            Instruction(
                key="si_card",
                title="Service Inquiry through the Service Inquiries card",
                text="Walk the agent through these steps:",
                procedure=(
                    "Login into Humana.com",
                    "Click Vantage",
                    "Go to Service Inquiries card (located below the My Humana Business card)",
                    "Select Create an Inquiry",
                    "Select the Inquiry Type",
                    "Click Next, process the rest of the Service Inquiry, and Submit",
                ),
                menu_path=("Humana.com", "Vantage", "Service Inquiries", "Create an Inquiry"),
                note="REMINDER: Using the My Humana Business card auto-populates a lot of "
                "information for your request; using the SI card auto-creates a case to ARSOS.",
                source=SEED_001,
                next="si_result",
            ),
            Question(
                key="si_result",
                title="Did the Service Inquiry go through?",
                source=SEED_001,
                choices=(
                    Choice("submitted", "Yes, the agent submitted the Service Inquiry",
                           next="out_service_inquiry"),
                    Choice("vantage_issue", "No, a Vantage technical issue stops the agent",
                           next="out_asu"),
                    Choice("unresolved", "It was submitted before, and the member's issue is "
                           "still not resolved", next="escalation"),
                ),
            ),
            Question(
                key="escalation",
                title="The issue is still not resolved: where does it go next?",
                text="The Agent Retail Service Ops. Support mailbox supports member escalations "
                "or issues that arise through member/agent interactions within Humana post "
                "sale, for Medicare or Individual members.",
                source=f"{SEED_002}, Background; {SEED_001}",
                choices=(
                    Choice("mailbox", "Escalate the member issue to the ARSOS mailbox",
                           next="mailbox_line"),
                    Choice("exhausted", "All options are exhausted, the mailbox included",
                           next="out_sales_escalation"),
                ),
            ),
            FormStep(
                key="mailbox_line",
                title="Which line of business is the member's policy?",
                text="Medicare or Individual based on member's policy, do NOT send Medicare and "
                "Individual concerns in the same email. If the agent has both, send two e-mails "
                "and run this step once for each.",
                source=f"{SEED_002}, Agent Template",
                form_class=MailboxLineForm,
                next="mailbox_email",
            ),
            Action(
                key="mailbox_email",
                title="E-mail to the ARSOS mailbox",
                text="SupportDesk has drafted an escalation for this case. Open it to fill in "
                "the agent's and the member's details: they stay with the escalation, never on "
                "the case. Its page renders the e-mail to copy or download, and keeps the SLA "
                "clock once it is sent.",
                source=f"{SEED_002}, Agent Template",
                produce=_mailbox_email, undo_with=_discard,
                next="mailbox_wait",
                continue_label="The agent has the template",
            ),
            # v4: the case waits on its escalations (their SLA dates) and ends with them.
            Wait(
                key="mailbox_wait",
                title="Waiting on the ARSOS mailbox",
                text=_mailbox_outcome_text,
                source=f"{SEED_002}, Goal and Automatic response",
                waiting=_escalation_waiting,
                next="mailbox_state",
                resume_label="Resume: where do the escalations stand?",
            ),
            Check(
                key="mailbox_state",
                title="Has the mailbox resolved the request?",
                source=SEED_002,
                decide=_escalation_state,
                branches={"open": Branch("Still with the mailbox", "mailbox_wait"),
                          "resolved": Branch("Resolved", "out_mailbox"),
                          "escalated": Branch("Escalated further", "out_mailbox_escalated"),
                          "none": Branch("No escalation on this case", "mailbox_line")},
            ),
            Outcome(
                key="out_agent_support",
                title="Agent Support handles this",
                text=_agent_support_text,
                source=f"{SEED_001}, REMINDER; {SEED_002}, Out of Scope",
                disposition=Disposition.REFERRED,
            ),
            Outcome(
                key="out_of_scope",
                title="Out of scope for ARSOS",
                text=_out_of_scope_text,
                items=_out_of_scope_items(),
                source=f"{SEED_002}, Out of Scope",
                disposition=Disposition.REFERRED,
            ),
            Outcome(
                key="out_self_service",
                title="Resolved with member self-service",
                text="The member uses MyHumana. Utilizing member self-service tools eliminate the "
                "risk associated with sharing PHI as well as assist with resolving member issues.",
                source=SEED_001,
                disposition=Disposition.SELF_SERVICE,
            ),
            Outcome(
                key="out_sos_call",
                title="Call the Customer Service SOS line",
                text=f"The AGENT calls {rules.SOS_LINE} with the member on a 3-way call or in "
                "the room, by-passing IVR to place the member directly with customer service.",
                note=f"This number ({rules.SOS_LINE}) is tracked and should NEVER be given to "
                "members or to any external entity or used outside of listed criteria.",
                source=f"{SEED_001}, Customer Service SOS",
                disposition=Disposition.ESCALATED,
            ),
            Outcome(
                key="out_service_inquiry",
                title="Service Inquiry submitted in Vantage",
                text="The request goes to ARSOS through the Service Inquiry. It is secure, allows "
                "for pre-population, faster submission, and speeds up resolution.",
                source=SEED_001,
                disposition=Disposition.ANSWERED,
            ),
            Outcome(
                key="out_asu",
                title="Vantage technical issue: contact ASU",
                text="If unable to submit a Service Inquiry, Agents should contact ASU to submit "
                "ticket for Vantage technical issues.",
                source=SEED_001,
                disposition=Disposition.REFERRED,
            ),
            Outcome(
                key="out_mailbox",
                title="The ARSOS mailbox resolved the request",
                text=_closed_text,
                source=f"{SEED_002}, Goal and Automatic response",
                disposition=Disposition.ESCALATED,
            ),
            Outcome(
                key="out_mailbox_escalated",
                title="The ARSOS mailbox escalated it further",
                text=_escalated_text,
                source=SEED_001,
                disposition=Disposition.ESCALATED,
            ),
            Outcome(
                key="out_sales_escalation",
                title="Escalate to Sales Manager, BRM or BRE",
                text="If Agents have exhausted all options for resolving a customer service "
                "issue, escalate to Sales Manager, Broker Relationship Manager (BRM) or Broker "
                "Relationship Executive (BRE).",
                source=SEED_001,
                disposition=Disposition.ESCALATED,
            ),
        ),
    )
)
