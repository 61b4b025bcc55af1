"""Flow 1: verify an employer's EC access and, when it is missing, request it (seed 000,
"Verifying EC Access for Employers" and "Adding EC Identifiers and Business Functions")."""

from __future__ import annotations

from typing import Literal

from django.urls import reverse
from django.utils import timezone

from supportdesk.dates import date_text
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
    Instruction,
    Outcome,
    Question,
    Wait,
    Waiting,
    register,
)
from supportdesk.people import display_name
from supportdesk.services import StepRefused

from .. import rules
from ..models import ECRequest, SLApplication
from ..queries import (
    case_requests,
    enrolled_on,
    is_cas_with_shell,
    open_request,
    product_facts,
    report_group,
)
from ..services import (
    ECRequestRefused,
    ec_request_create,
    ec_request_withdraw,
    request_email_body,
    request_email_subject,
)
from .common import (
    HSS_SECURITY_PATH,
    SEED,
    found_sl_app_of,
    group_of,
    group_step,
    report_of,
    sl_app_of,
    today,
)


def _coverage(state: FlowState) -> Literal["eligible", "not_eligible"]:
    products = product_facts(report_group(group_of(state)))
    return "eligible" if rules.eligible_for_ec_reporting(products, today()) else "not_eligible"


def _shell(state: FlowState) -> Literal["cas_shell", "own"]:
    return "cas_shell" if is_cas_with_shell(group_of(state)) else "own"


def _shell_text(state: FlowState) -> str:
    group = group_of(state)
    shell = group.mtv_shell
    if shell is None:
        raise LookupError("shown only for a CAS group with an MTV shell (_shell)")
    return (
        f"Group {group.group_number} is a CAS group with MTV shell {shell.group_number}. "
        "When a CAS group has an MTV shell the EC identifiers are always going to be pulled with "
        "the MTV group ID: the group level benefits are housed in MTV, but the membership is in "
        f"CAS. Run the Business Function report for MTV group {shell.group_number}."
    )


def _registered(state: FlowState) -> Literal["registered", "not_registered"]:
    return "registered" if group_of(state).portal_registered_on else "not_registered"


def _ec_on_app(state: FlowState) -> Literal["has_ec", "no_ec", "no_app", "open_request"]:
    sl_app = sl_app_of(state)
    if sl_app is None:
        return "no_app"
    if open_request(sl_app):
        return "open_request"
    return "has_ec" if sl_app.ec_identifier else "no_ec"


def _weekly(state: FlowState) -> Literal["weekly", "run_report"]:
    group = group_of(state)
    monday = rules.covered_by_weekly_process(
        group.portal_registered_on, group.is_reregistration, today()
    )
    return "weekly" if monday else "run_report"


def _weekly_text(state: FlowState) -> str:
    group = group_of(state)
    registered_on = group.portal_registered_on
    monday = rules.covered_by_weekly_process(registered_on, group.is_reregistration, today())
    if registered_on is None or monday is None:
        raise LookupError("shown only for a registered group the weekly process covers (_weekly)")
    return (
        f"Group {group.group_number} registered on the portal on "
        f"{date_text(registered_on)}: a brand new group. Access to EC functions are "
        "granted for brand new groups registered on the portal via an existing weekly process. "
        "This weekly process does not require an individual request be submitted for the access "
        "to be granted. (Spreadsheet sent to Access Management for processing on Monday: this "
        f"group's goes on {date_text(monday)}.) If access is still missing after that, start a new case."
    )


def _blackout(state: FlowState) -> Literal["blackout", "open"]:
    return "blackout" if rules.in_reporting_blackout(today()) else "open"


def _blackout_text(state: FlowState) -> str:
    return (
        "Reporting is down from the 1st-5th of every month for updates, so you will not be able "
        "to run any business function reports until the 6th of every month. The case waits; "
        f"resume it on {date_text(rules.blackout_follow_up_on(today()))} to run the report."
    )


def _blackout_waiting(state: FlowState) -> Waiting:
    return Waiting(reason="Reporting is down until the 6th: the Business Function report cannot "
                   "be run yet.", follow_up_on=rules.blackout_follow_up_on(today()))


def _case_request(state: FlowState) -> ECRequest | None:
    """The request this case queued last and has not withdrawn."""
    return state.remember("case_request", lambda: (
        case_requests(state.case).select_related("claimed_by", "sl_app").first()
    ))


def _request_state(state: FlowState) -> Literal["pending", "granted", "rejected", "none"]:
    request = _case_request(state)
    if request is None:
        return "none"
    if request.is_open:
        return "pending"
    return "granted" if request.state == ECRequest.State.GRANTED else "rejected"


def _standing(request: ECRequest) -> str:
    """Where a request stands, for the specialist: its number, age, state and who has it."""
    age = (today() - timezone.localtime(request.created_at).date()).days
    queued = (f"queued on {date_text(request.created_at)} "
              f"({'today' if age == 0 else f'{age} day' + ('s' if age != 1 else '') + ' ago'})")
    if request.state == ECRequest.State.CLAIMED and request.claimed_by:
        who = display_name(request.claimed_by)
        return f"EC request #{request.pk}, {queued}, is being worked by {who} in Access Management"
    return f"EC request #{request.pk}, {queued}, is waiting in the Access Management queue"


def _request_waiting(state: FlowState) -> Waiting:
    request = _case_request(state)
    if request is None:  # the flow only waits here after queuing one
        return Waiting(reason="Waiting on the EC request.")
    if not request.is_open:  # decided while the case waits: resume it today to finish it
        decided = "granted" if request.state == ECRequest.State.GRANTED else "rejected"
        return Waiting(reason=f"Access Management {decided} EC request #{request.pk}: resume the "
                       "case to finish it.", follow_up_on=today(), on=f"EC request #{request.pk}")
    return Waiting(reason=f"{_standing(request)}. Access Management sends a completion "
                   "notification once the access is granted.", on=f"EC request #{request.pk}")


def _rejected_text(state: FlowState) -> str:
    request = _case_request(state)
    if request is None:
        return ""
    reason = request.get_reject_reason_display()
    note = f" {request.reject_note}" if request.reject_note else ""
    return f"Access Management rejected EC request #{request.pk}: {reason}.{note}"


def _open_request_text(state: FlowState) -> str:
    sl_app = sl_app_of(state)
    request = open_request(sl_app) if sl_app else None
    standing = f"{_standing(request)}. " if request else ""
    return (f"{standing}An EC request for this SL app is already queued or being worked. "
            "Access Management will send a completion notification once the access is granted.")


def _enrollment(state: FlowState) -> Literal["available", "wait"]:
    start = enrolled_on(group_of(state), today())
    if start and rules.ec_reporting_available_on(start) > today():
        return "wait"
    return "available"


def _enrollment_text(state: FlowState) -> str:
    """The wait comes first: it holds for every group enrolled after the 5th, the brand new ones
    the weekly process covers included (seed 000: "If a group was enrolled after the 5th of the
    month they will need to wait until the following month for EC reporting to be available")."""
    group = group_of(state)
    start = enrolled_on(group, today())
    if start is None:
        raise LookupError("shown only for a group that must wait, so has a start (_enrollment)")
    available = rules.ec_reporting_available_on(start)
    text = (
        f"The group's coverage began on {date_text(start)}. If a group was enrolled after the 5th "
        "of the month they will need to wait until the following month for EC reporting to be "
        f"available. EC reporting is available from {date_text(available)}."
    )
    registered_on = group.portal_registered_on
    monday = rules.covered_by_weekly_process(registered_on, group.is_reregistration, today())
    if monday and registered_on:
        return (
            f"{text}\n\nAccess itself needs no request: group {group.group_number} registered on "
            f"the portal on {date_text(registered_on)}, a brand new group. Access to "
            "EC functions are granted for brand new groups registered on the portal via an "
            "existing weekly process (Spreadsheet sent to Access Management for processing on "
            f"Monday: this group's goes on {date_text(monday)}). Until {date_text(available)} the group will not see "
            "EC reporting, even once access is granted."
        )
    return (
        f"{text}\n\nThere is nothing to request before then: from {date_text(available)}, start "
        "a new case to run the Business Function report and send the request."
    )


def _report(state: FlowState) -> Literal["has_functions", "no_ec_number", "blank"]:
    report = report_of(state)
    if report.is_blank:
        return "blank"
    return "has_functions" if report.sendable else "no_ec_number"


def _no_ec_number_text(state: FlowState) -> str:
    report = report_of(state)
    reasons = "\n".join(f"• {reason}" for reason in report.send_blockers)
    return (
        f"The report shows business functions {', '.join(report.business_functions)} but no EC# "
        f"for group {report.run_for.group_number}: the Access Management team adds the EC# and "
        f"the business functions to the Employer SL App, so there is nothing to send yet.\n"
        f"{reasons}"
    )


def _blank_text(state: FlowState) -> str:
    report = report_of(state)
    reasons = "\n".join(f"• {reason}" for reason in report.blank_reasons)
    return (
        "The report does not display any numbers under the business functions section: there "
        f"are no identifiers or business functions to be added.\n{reasons}\n\n"
        "DO NOT send blank reports to Access Management. Check the group's products in MTV or CAS; "
        "if the group has medical and the report is blank, data may be incorrect on customer "
        f"reporting end: contact customer reporting at {rules.CUSTOMER_REPORTING}."
    )


def _run_report_text(state: FlowState) -> str:
    report = report_of(state)
    return (
        "Run the self-service report in the Enterprise Employer Reporting Hub (GO/CREXCELLENCE), "
        f"Enterprise Nbr {report.run_for.group_number}, then export it to PDF. SupportDesk's copy "
        f"from our data shows EC# {report.ec_number} with business functions "
        f"{', '.join(report.business_functions)}."
        + "".join(f"\nIt does not show: {lack}" for lack in report.lacks)
    )


def _report_url(state: FlowState) -> str:
    return reverse("ec_bf_report_pdf", args=[group_of(state).group_number])


def _queue(state: FlowState, *, expedited: bool) -> tuple[ECRequest, SLApplication]:
    group, sl_app = group_of(state), found_sl_app_of(state)
    try:
        request = ec_request_create(
            group=group, sl_app=sl_app, expedited=expedited, user=state.acting_user(), today=today(),
            case=state.case,
        )
    except ECRequestRefused as error:
        raise StepRefused(str(error)) from error
    return request, sl_app


def _request_email(state: FlowState) -> Artifact:
    """Queue the request; SupportDesk e-mails it with the report as the step commits, so the
    artifact is the e-mail as sent, not one for the specialist to send."""
    request, _ = _queue(state, expedited=False)
    return Artifact.sent(
        at=request.created_at,
        sent_to=rules.EMPLOYER_GROUP_MAILBOX,
        reference=f"EC request #{request.pk}",
        kind=Artifact.EMAIL,
        title=f"E-mail to {rules.EMPLOYER_GROUP_MAILBOX} with the Business Function report",
        to=rules.EMPLOYER_GROUP_MAILBOX,
        subject=request_email_subject(request),
        body=request_email_body(request, report_of(state)),
        url=_report_url(state),
    )


def _withdraw(state: FlowState) -> str:
    """Back past the step that queued the request: withdraw it while nobody has claimed it."""
    try:
        return ec_request_withdraw(case=state.case, user=state.acting_user())
    except ECRequestRefused as error:
        raise StepRefused(str(error)) from error


def _request_incident(state: FlowState) -> Artifact:
    request, sl_app = _queue(state, expedited=True)
    group = group_of(state)
    return Artifact(
        kind=Artifact.SERVICENOW,
        title=f"ServiceNow incident for identifiers (expedited EC request #{request.pk} queued)",
        body=f"{rules.GRANT_SENTENCE}\n\nSL App ID: {sl_app.sl_app_number}\n"
        f"Group ID: {group.group_number}\nGroup Name: {group.name}\n\n"
        + state.text("Closing line"),
        url=_report_url(state),
    )


# The seed's grant sentence and the identifiers are rules and data; the closing line is words.
REQUEST_INCIDENT = {
    "Closing line": "Attach the Business Function report with the attachment icon at the top of "
    "the page.",
}


EMPLOYER_ACCESS = register(
    Flow(
        key="ec-employer-access",
        # v2: enrollment after the 5th is checked before the weekly process; a report with
        # business functions but no EC# has its own outcome (it is not blank).
        # v3: the blackout and a queued request leave the case waiting; follow-on case links.
        title="EC reports: verify or request an employer's access",
        summary="Check an employer group's products, portal registration and EC identifier, run "
        "the Business Function report, and send the request to Access Management.",
        source=SEED,
        caller_type=CallerType.EMPLOYER,
        start="group",
        steps=(
            group_step(next="coverage"),
            Check(
                key="coverage", title="Active Medical or Stand Alone GO365 (NIM) product?",
                text="To verify if a group has access to the Enterprise Customer (EC) Reports, first "
                "we need to verify the group has an active Medical or Stand Alone GO365 (NIM) "
                "product in MTV or CAS.",
                source=f"{SEED}, Verifying EC Access for Employers", decide=_coverage,
                branches={"eligible": Branch("Active medical or Go365 (NIM)", "shell"),
                          "not_eligible": Branch("No active medical or Go365 (NIM)",
                                                 "out_not_eligible")},
            ),
            Check(
                key="shell", title="CAS group with an MTV shell?", source=SEED, decide=_shell,
                branches={"cas_shell": Branch("CAS with MTV shell", "shell_note"),
                          "own": Branch("Report runs for the group itself", "registration")},
            ),
            Instruction(key="shell_note", title="Use the MTV group ID", text=_shell_text,
                        source=SEED, next="registration"),
            Check(
                key="registration", title="Registered on the Employer Portal?",
                source=f"{SEED}, Verifying EC Access for Employers", decide=_registered,
                branches={"registered": Branch("Registered", "ec_on_app"),
                          "not_registered": Branch("Not registered", "out_not_registered")},
            ),
            Check(
                key="ec_on_app", title="EC identifier on the group's SL app?",
                text="Verify 'EC' has been added under ID Type field on the Organization "
                "Information screen.", menu_path=HSS_SECURITY_PATH,
                source=f"{SEED}, Verifying EC Access for Employers", decide=_ec_on_app,
                branches={"has_ec": Branch("EC already on the SL app", "out_ec_present"),
                          "open_request": Branch("A request is already queued", "out_open_request"),
                          "no_app": Branch("No employer SL app", "out_no_sl_app"),
                          "no_ec": Branch("EC not on the SL app", "enrollment")},
            ),
            # Before the weekly process: a brand new group enrolled after the 5th must hear of the
            # wait, which the weekly process's Monday does not shorten.
            Check(
                key="enrollment", title="Enrolled after the 5th of this month?", source=SEED,
                decide=_enrollment,
                branches={"wait": Branch("Wait for next month", "out_enrollment_wait"),
                          "available": Branch("EC reporting available", "weekly")},
            ),
            Check(
                key="weekly", title="Covered by the weekly new-group process?",
                source=f"{SEED}, Adding EC Identifiers and Business Functions", decide=_weekly,
                branches={"weekly": Branch("Brand new group: the weekly process", "out_weekly"),
                          "run_report": Branch("Run the report", "blackout")},
            ),
            Check(
                key="blackout", title="Reporting blackout (1st-5th)?", source=SEED,
                decide=_blackout,
                branches={"blackout": Branch("Reporting is down", "blackout_wait"),
                          "open": Branch("Reporting is up", "report")},
            ),
            Wait(
                key="blackout_wait", title="Reporting is down until the 6th", text=_blackout_text,
                source=SEED, waiting=_blackout_waiting, next="blackout",
                resume_label="Resume: run the report now",
            ),
            Check(
                key="report", title="Business functions on the report?", source=SEED,
                decide=_report,
                branches={"blank": Branch("Blank report", "out_blank_report"),
                          "no_ec_number": Branch("Business functions but no EC#",
                                                 "out_no_ec_number"),
                          "has_functions": Branch("Business functions to add", "run_report")},
            ),
            Instruction(
                key="run_report", title="Run and save the Business Function report",
                text=_run_report_text,
                procedure=(
                    "Select Enterprise Employer Reporting Hub",
                    "Select the Access Self-Service Reports",
                    "Click on Business Function Assignment for Online Employer Reports",
                    "Enter the employer group's Enterprise Number (Group Number) and select View "
                    "Report",
                    "Select the Export Drop down Menu button (Save symbol) and export to PDF "
                    "format. Save the file on your computer/desktop.",
                ),
                menu_path=rules.BF_REPORT_PATH,
                source=f"{SEED}, Adding EC Identifiers and Business Functions", next="expedite",
            ),
            Question(
                key="expedite", title="Standard or expedited request?", source=SEED,
                choices=(
                    Choice("standard", "Standard: e-mail the report to EmployerGroup@humana.com",
                           next="request_email"),
                    Choice("expedited", "Expedited: ServiceNow incident and a call to Access "
                           "Management", next="request_incident"),
                ),
            ),
            Action(
                key="request_email", title="Request e-mailed to Access Management",
                text="The report is sent via email to employergroup@humana.com for processing. "
                "SupportDesk queued the request and sent this e-mail with the report attached.",
                source=SEED, produce=_request_email, undo_with=_withdraw,
                next="request_wait",
            ),
            Action(
                key="request_incident", title="Create the ServiceNow incident",
                text="Create an Incident in ServiceNow for identifiers. Attach the report to the "
                "ServiceNow Incident with the attachment icon at the top of the page.",
                source=f"{SEED}, For expedited request for EC reporting",
                produce=_request_incident, fixed=REQUEST_INCIDENT, undo_with=_withdraw,
                next="call_access_management",
            ),
            Instruction(
                key="call_access_management", title="Call Access Management",
                text="Call Access Management and provide the Incident number to representative "
                "that answers. The representative will complete the request real time.",
                source=SEED, next="out_request_expedited",
            ),
            Outcome(
                key="out_not_eligible", title="No active Medical or Go365 (NIM) product",
                text="The group has no active Medical or Stand Alone GO365 (NIM) product in MTV "
                "or CAS, so Business Functions will not display and there is nothing to request.",
                source=SEED, disposition=Disposition.NOT_ELIGIBLE,
            ),
            Outcome(
                key="out_not_registered", title="The group must register on the Employer Portal",
                text="The group has not registered on the Employer Portal. Once it registers, a "
                "brand new group gets EC access through the weekly process.",
                source=SEED, disposition=Disposition.ANSWERED,
            ),
            Outcome(
                key="out_ec_present", title="The EC identifier is already on the SL app",
                text="If the EC identifier has already been added on the Organization Information "
                "screen and the user indicates they are not able to see the reports, follow the "
                "Troubleshooting: start an “EC reports: employer cannot see them” case.",
                source=SEED, disposition=Disposition.ANSWERED,
                follow_on="ec-employer-cannot-see",
                follow_on_label="Start “EC reports: employer cannot see them” for this group",
            ),
            Outcome(
                key="out_open_request", title="A request is already with Access Management",
                text=_open_request_text,
                source=SEED, disposition=Disposition.ANSWERED,
            ),
            Outcome(
                key="out_no_sl_app", title="No employer SL app for this group",
                text="SupportDesk has no employer SL app for this group. EC identifiers go ONLY on "
                "employer SL apps: check the group's apps in HSS IT Security Management Screens.",
                menu_path=HSS_SECURITY_PATH, source=SEED, disposition=Disposition.ANSWERED,
            ),
            Outcome(key="out_weekly", title="The weekly process will grant access",
                    text=_weekly_text, source=SEED, disposition=Disposition.ANSWERED),
            Outcome(key="out_enrollment_wait", title="EC reporting is not available yet",
                    text=_enrollment_text, source=SEED, disposition=Disposition.ANSWERED),
            Outcome(key="out_blank_report", title="Blank report: nothing to send",
                    text=_blank_text, source=SEED, disposition=Disposition.NOT_ELIGIBLE),
            Outcome(key="out_no_ec_number", title="No EC# on the report: contact customer reporting",
                    text=_no_ec_number_text, source=SEED, disposition=Disposition.REFERRED),
            Wait(
                key="request_wait", title="Request queued for Access Management",
                text="The Access Management team will add the EC# and the business functions to "
                "the Employer SL App. Employer group will send a completion notification once the "
                "access is granted.",
                source=SEED, waiting=_request_waiting, next="request_state",
            ),
            Check(
                key="request_state", title="Has Access Management decided the request?",
                source=SEED, decide=_request_state,
                branches={"pending": Branch("Still with Access Management", "request_wait"),
                          "granted": Branch("Granted", "out_request_granted"),
                          "rejected": Branch("Rejected", "out_request_rejected"),
                          "none": Branch("No request open", "expedite")},
            ),
            Outcome(
                key="out_request_granted", title="Access granted",
                text="Access Management added the EC# and the business functions to the Employer "
                "SL App. The employer's PAA can now see the EC reports under the Reports tab of the "
                "Employer portal.",
                source=SEED, disposition=Disposition.ANSWERED,
            ),
            Outcome(
                key="out_request_rejected", title="Access Management rejected the request",
                text=_rejected_text, source=SEED, disposition=Disposition.REFERRED,
            ),
            Outcome(
                key="out_request_expedited", title="Expedited request with Access Management",
                text="The representative completes the request real time; the request is queued "
                "in SupportDesk as expedited.",
                source=SEED, disposition=Disposition.REQUEST_QUEUED,
            ),
        ),
    )
)
