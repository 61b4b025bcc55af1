"""Seed 004's flows: connect a group to Noyo, and explain why a member change was rejected."""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from supportdesk import clock
from supportdesk.dates import datetime_text
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
    Wait,
    Waiting,
    register,
)
from supportdesk.services import StepRefused

from . import rules
from .forms import (
    ConnectionDetailsForm,
    MemberChangeFlowForm,
    PrerequisitesForm,
    SupportedPlansForm,
    change_from_data,
)
from .models import GroupConnection
from .services import ConnectionRefused, group_connection_cancel, group_connection_request

SEED = rules.SEED
S = rules.ConnectionStatus


# --- Connect a group to Noyo ----------------------------------------------------------------


def _missing(state: FlowState) -> list[str]:
    answers = state.read("prerequisites", PrerequisitesForm)
    return rules.missing_prerequisites(census_file_sent=answers["census_file_sent"],
                                       group_number_issued=answers["group_number_issued"])


def _prerequisites(state: FlowState) -> Literal["not_ready", "ready"]:
    return "not_ready" if _missing(state) else "ready"


def _not_ready_text(state: FlowState) -> str:
    missing = _missing(state)
    return "\n".join([rules.PREREQUISITES_RULE, "", *(f"• {line}" for line in missing)])


def _supported(state: FlowState) -> Literal["unsupported", "supported"]:
    return "unsupported" if rules.unsupported_reasons(state.answer("plans", "unsupported") or ()) else "supported"


def _unsupported_text(state: FlowState) -> str:
    reasons = rules.unsupported_reasons(state.answer("plans", "unsupported") or ())
    return "\n".join([*(f"• {reason}" for reason in reasons), "",
                      "Keep the group on its current way of sending enrollments to Humana."])


def _existing(state: FlowState) -> GroupConnection | None:
    carrier_group_id = state.answer("connection", "carrier_group_id")
    return state.remember(f"connection-{carrier_group_id}", lambda: (
        GroupConnection.objects.live(settings.NOYO_CARRIER_ID, carrier_group_id).first()))


def _requested(state: FlowState) -> GroupConnection | None:
    """The connection this case requested last, refused ones included (to say why)."""
    return state.remember("case-connection", lambda: (
        GroupConnection.objects.select_related("group").filter(case=state.case)
        .order_by("-requested_at", "-pk").first() if state.case and state.case.pk else None))


def _cancel(state: FlowState) -> str:
    """Back past the request: one SupportDesk has not sent yet is cancelled (Noyo never saw
    it); one Noyo holds cannot be taken back (its API has no withdrawal), so Back is refused
    with where to follow it. One Noyo refused, or already cancelled, needs no undo."""
    connection = _requested(state)
    if connection is None or connection.status_enum in rules.ENDED_UNSENT:
        return ""
    try:
        group_connection_cancel(connection_id=connection.pk, user=state.acting_user())
    except ConnectionRefused as refused:
        raise StepRefused(" ".join(refused.reasons)) from refused
    return (f"Noyo group connection #{connection.pk} for carrier group ID "
            f"{connection.carrier_group_id} cancelled before it was sent: Noyo never received it.")


def _duplicate(state: FlowState) -> Literal["exists", "new"]:
    return "exists" if _existing(state) else "new"


def _status_lines(connection: GroupConnection) -> str:
    guide = connection.guide
    return (f"Carrier group ID {connection.carrier_group_id} (group {connection.group.group_number}): "
            f"{connection.get_status_display()} since "
            f"{datetime_text(connection.status_changed_at)}.\n"
            f"What it means: {guide.meaning}\nWhat to do: {guide.what_to_do}")


def _exists_text(state: FlowState) -> str:
    connection = _existing(state)
    if connection is None:
        return "The connection is no longer there; restart the case to request it."
    return ("Group connections should be unique by a carrier ID and carrier group ID combination: "
            "this one exists already, so no new request is sent.\n\n" + _status_lines(connection))


def _create(state: FlowState) -> Artifact:
    details = state.answer("connection") or {}
    prerequisites = state.read("prerequisites", PrerequisitesForm)
    form = ConnectionDetailsForm(data=details)
    if not form.is_valid():
        raise StepRefused(" ".join(str(e) for errors in form.errors.values() for e in errors))
    try:
        connection = group_connection_request(
            group=form.group, carrier_group_id=form.cleaned_data["carrier_group_id"],
            people=form.cleaned_data["people"],
            census_file_sent=prerequisites["census_file_sent"],
            group_number_issued=prerequisites["group_number_issued"],
            unsupported=state.answer("plans", "unsupported") or (),
            existing_coverage=prerequisites["existing_coverage"],
            previous_transfers_deactivated=prerequisites["previous_transfers_deactivated"],
            user=state.acting_user(), case=state.case,
        )
    except ConnectionRefused as refused:
        raise StepRefused(" ".join(refused.reasons)) from refused
    lines = [f"Group: {connection.group.group_number} {connection.group_name}",
             f"Humana carrier group ID: {connection.carrier_group_id}",
             f"People in the group: {connection.people}",
             "SupportDesk sends the request to Noyo as soon as this step is saved; Noyo's "
             "webhooks bring each status change to this case."]
    if connection.needs_manual_review:
        lines.append(rules.MANUAL_REVIEW_NOTE)
    if advice := rules.previous_transfers_advice(
            existing_coverage=connection.existing_coverage,
            transfers_deactivated=connection.previous_transfers_deactivated):
        lines.append(advice)
    # SupportDesk sends it itself (once the step commits): the case shows it as sent.
    return Artifact.sent(
        at=connection.requested_at,
        sent_to="Noyo",
        reference=f"Noyo connection #{connection.pk}",
        kind=Artifact.REQUEST,
        title=f"Noyo group connection requested for carrier group ID {connection.carrier_group_id}",
        body="\n".join(lines),
        url=reverse("noyo_connection", args=[connection.pk]),
        url_label=f"Open Noyo connection #{connection.pk}'s page",
    )


def _wait_text(state: FlowState) -> str:
    connection = _requested(state)
    now = _status_lines(connection) if connection else "The connection request is not found."
    return (f"Now: {now}\n\nMost connections are completed in 1–3 business days. Noyo tells "
            "SupportDesk of each status change (and SupportDesk checks every few minutes "
            "besides); each one is noted on this case. The connection's page (linked below) shows "
            "its history and what every status means.")


def _connection_waiting(state: FlowState) -> Waiting:
    connection = _requested(state)
    if connection is None:
        return Waiting(reason="Waiting on the Noyo group connection.")
    on, url = f"Noyo connection #{connection.pk}", reverse("noyo_connection", args=[connection.pk])
    if connection.status_enum in rules.SETTLED_STATUSES:
        return Waiting(reason=f"{connection.label} is {connection.get_status_display()}: resume the case to "
                       "see what to do.", follow_up_on=clock.today(), on=on, url=url)
    review = f" {rules.MANUAL_REVIEW_NOTE}" if connection.needs_manual_review else ""
    requested_on = timezone.localdate(connection.requested_at)
    return Waiting(
        reason=f"{connection.label} is {connection.get_status_display()}. Most connections are completed in "
        f"1–3 business days.{review}",
        follow_up_on=rules.connection_follow_up_on(requested_on, clock.today()), on=on, url=url)


def _connection_state(state: FlowState) -> Literal["waiting", "action", "completed", "refused", "none"]:
    connection = _requested(state)
    if connection is None:
        return "none"
    status = connection.status_enum
    if status == S.COMPLETED:
        return "completed"
    if status == S.REFUSED:
        return "refused"
    return "action" if status in rules.NEEDS_ACTION_STATUSES else "waiting"


def _action_text(state: FlowState) -> str:
    connection = _requested(state)
    if connection is None:
        return ""
    return (_status_lines(connection) + "\n\nOn the connection page (linked above), ask Noyo to "
            "retry once what it needs is done; then wait for Noyo again here.")


def _refused_text(state: FlowState) -> str:
    connection = _requested(state)
    message = connection.last_error if connection else ""
    return (f"Noyo refused the connection request: {message or 'no reason given'}\n\n"
            f"{rules.STATUS_GUIDE[S.REFUSED].what_to_do}")


def _completed_text(state: FlowState) -> str:
    connection = _requested(state)
    return _status_lines(connection) if connection else ""


CONNECT = register(Flow(
    key="noyo-connect-group",
    # v2: the case waits on the connection it requested, and ends when Noyo completes it, needs
    # action from us, or refuses it (then the details are corrected and sent again).
    title="Noyo: connect a group to Noyo",
    summary="Check the prerequisites and the group's plans, request the Humana group connection "
    "through Noyo, then follow its status and what each status asks of us.",
    source=SEED,
    caller_type=CallerType.EMPLOYER,
    start="prerequisites",
    steps=(
        FormStep(
            key="prerequisites", title="Is the group ready to connect?",
            text="Tick what is true. " + rules.PREREQUISITES_RULE,
            source=f"{SEED}, Connection Basics: Getting groups connected",
            form_class=PrerequisitesForm, next="prerequisites_check",
        ),
        Check(
            key="prerequisites_check", title="Connection prerequisites",
            text=rules.PREREQUISITES_RULE, source=SEED, decide=_prerequisites,
            branches={"ready": Branch("Census file sent and group number issued", "plans"),
                      "not_ready": Branch("Not ready yet", "not_ready")},
        ),
        Instruction(
            key="not_ready", title="Not ready to connect yet", text=_not_ready_text,
            note="Request the connection once both hold.", source=SEED, next="out_not_ready",
            continue_label="Close the case",
        ),
        Outcome(key="out_not_ready", title="Group not ready for a Noyo connection",
                text="The group can be connected after the initial enrollment census file and the "
                "welcome letter with the group number.", disposition=Disposition.NOT_ELIGIBLE,
                source=SEED),
        FormStep(
            key="plans", title="Does the group have plans Noyo does not support?",
            text="Noyo does not support groups with: Dental HMO plans; Medical plans with HSA/HRA/FSA "
            "options; Salary- and class-based life coverage; Variable waiting periods (class- or "
            "subgroup-based).", source=SEED, form_class=SupportedPlansForm, next="plans_check",
        ),
        Check(
            key="plans_check", title="Supported plans", source=SEED, decide=_supported,
            branches={"supported": Branch("Nothing Noyo does not support", "connection"),
                      "unsupported": Branch("Has plans Noyo does not support", "out_unsupported")},
        ),
        Outcome(key="out_unsupported", title="Noyo does not support this group",
                text=_unsupported_text, disposition=Disposition.NOT_ELIGIBLE, source=SEED),
        FormStep(
            key="connection", title="The group and its Humana carrier group ID",
            text="Humana's carrier group ID is a 6-digit string.", source=f"{SEED}, Group connections",
            form_class=ConnectionDetailsForm, next="duplicate_check", names_subject=True,
            initial=lambda state: {"group_number": state.subject.get("group_number", "")},
            submit_label="Check and continue",
        ),
        Check(
            key="duplicate_check", title="Is this carrier group ID connected already?",
            text="Group connections should be unique by a carrier ID and carrier group ID combination.",
            source=f"{SEED}, Sandbox testing", decide=_duplicate,
            branches={"new": Branch("Not connected yet", "create"),
                      "exists": Branch("Already connected", "already_connected")},
        ),
        Instruction(key="already_connected", title="This carrier group ID is connected already",
                    text=_exists_text, source=SEED, next="out_already_connected",
                    continue_label="Close the case"),
        Outcome(key="out_already_connected", title="Existing Noyo connection explained",
                disposition=Disposition.ANSWERED, source=SEED),
        Action(
            key="create", title="Request the group connection",
            text="To connect a group to Noyo, simply request a connection by sending the group name "
            "and policy ID as outlined in the Technical Spec. Most connections are completed in 1–3 "
            "business days.", source=f"{SEED}, Connection Basics", produce=_create, undo_with=_cancel,
            next="connection_wait", continue_label="Continue: wait for Noyo",
        ),
        Wait(key="connection_wait", title="Waiting on the Noyo connection", text=_wait_text,
             source=f"{SEED}, Connection Basics", waiting=_connection_waiting,
             next="connection_state", resume_label="Resume: check the connection"),
        Check(
            key="connection_state", title="Where does the connection stand?", source=SEED,
            decide=_connection_state,
            branches={"waiting": Branch("Noyo or Humana is still working on it", "connection_wait"),
                      "action": Branch("Needs action from us or Humana", "connection_action"),
                      "completed": Branch("Completed", "out_connected"),
                      "refused": Branch("Refused by Noyo", "connection_refused"),
                      "none": Branch("No request from this case", "connection")},
        ),
        Question(
            key="connection_action", title="The connection needs action", text=_action_text,
            source=f"{SEED}, Connection Basics",
            choices=(
                Choice("retried", "Noyo was asked to retry: wait for it again",
                       next="connection_wait"),
                Choice("handed_over", "Close the case: the group's implementation team takes it "
                       "from here", next="out_connection_action"),
            ),
        ),
        Instruction(key="connection_refused", title="Noyo refused the request", text=_refused_text,
                    source=SEED, next="connection", continue_label="Correct the details"),
        Outcome(key="out_connected", title="Noyo group connection completed", text=_completed_text,
                disposition=Disposition.ANSWERED, source=f"{SEED}, Connection Basics"),
        Outcome(key="out_connection_action", title="Noyo connection handed over: action needed",
                text=_action_text, disposition=Disposition.REFERRED, source=SEED),
    ),
))


# --- Why was this member change rejected? ----------------------------------------------------


def _findings(state: FlowState) -> list[rules.Finding]:
    answers = state.read("change", MemberChangeFlowForm)
    return rules.check_member_change(change_from_data(answers)) if answers["transaction"] else []


def _verdict(state: FlowState) -> rules.OverallVerdict:
    return rules.overall_verdict(_findings(state))


def _findings_text(state: FlowState) -> str:
    findings = _findings(state)
    if not findings:
        return ""
    parts = []
    for finding in findings:
        lines = [f"{rules.VERDICT_LABELS[finding.verdict]}: “{finding.seed_text}”"]
        lines += [text for text in (finding.detail, finding.what_to_do and f"What to do: "
                                    f"{finding.what_to_do}") if text]
        if finding.other_reading:
            lines.append(f"Note: {finding.other_reading}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _no_rule_text(state: FlowState) -> str:
    found = _findings_text(state)
    return "\n\n".join(filter(None, [
        found,
        "No retro limit, failed-transaction rule or carrier-specific validation from Humana's "
        "documentation explains a rejection of this change. Look at the transaction in the Tracking API: Noyo "
        "monitors each transaction with round-trip confirmation, after the change is sent and "
        "again on its effective date. Our goal is to confirm all member changes within 4 business "
        "days; managed transactions (SSN changes, reinstatements) may take longer.",
    ]))


REJECTED = register(Flow(
    key="noyo-member-change-rejected",
    title="Noyo: why was this member change rejected?",
    summary="Enter the member change (no names, member IDs or dates of birth) and see every Humana "
    "rule from Humana's Noyo documentation it breaks: retro limits, failed transactions, validations, the OE window.",
    source=SEED,
    caller_type=CallerType.EMPLOYER,
    start="change",
    steps=(
        FormStep(
            key="change", title="The member change",
            text="Describe the change as it was sent. Dates of events are only used to count days: "
            "the case keeps the count, not the date.",
            source=f"{SEED}, Processing member changes", form_class=MemberChangeFlowForm,
            next="verdict", submit_label="Check the rules",
        ),
        Check(
            key="verdict", title="Which rules does it break?", source=SEED, decide=_verdict,
            branches={
                "rejected": Branch("Breaks a Humana or Noyo rule", "explain_rejected"),
                "humana_directly": Branch("Handled by Humana directly", "explain_humana"),
                "no_rule_broken": Branch("No documented rule explains a rejection", "explain_none"),
            },
        ),
        Instruction(key="explain_rejected", title="Why it was rejected", text=_findings_text,
                    source=SEED, next="out_explained", continue_label="Close the case"),
        Instruction(key="explain_humana", title="This change goes to Humana directly",
                    text=_findings_text, source=SEED, next="out_humana",
                    continue_label="Close the case"),
        Instruction(key="explain_none", title="No documented rule explains a rejection", text=_no_rule_text,
                    source=f"{SEED}, Round-trip confirmation and Managed changes", next="out_explained",
                    continue_label="Close the case"),
        Outcome(key="out_explained", title="Member change explained", disposition=Disposition.ANSWERED,
                source=SEED),
        Outcome(key="out_humana", title="Referred to Humana directly", disposition=Disposition.REFERRED,
                text="Contact Humana directly, as Humana's documentation says.", source=SEED),
    ),
))
