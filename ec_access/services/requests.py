"""EC access writes: creating a request for Access Management (one transaction each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from supportdesk import clock
from supportdesk.audit import audit
from supportdesk.dates import date_text, datetime_text
from supportdesk.people import display_name

from .. import rules
from ..models import ECRequest, ECRequestEvent, EmployerGroup, SLApplication
from ..pdf import bf_report_pdf
from ..queries import bf_report, case_requests, open_request, sl_app_business_functions


class ECRequestRefused(Exception):
    """The request cannot be made; the message says why, in the seed's words where it has them."""


def ec_request_create(
    *,
    group: EmployerGroup,
    sl_app: SLApplication,
    expedited: bool,
    user: User,
    today: dt.date,
    case: Any = None,
) -> ECRequest:
    """Queue a request to add the group's EC# and business functions to its employer SL app.

    A standard request is e-mailed to EmployerGroup@humana.com with the BF report attached once
    the transaction commits; an expedited one goes through a ServiceNow incident and a call.
    """
    with transaction.atomic():
        report = bf_report(group, today)
        if report.is_blank:
            raise ECRequestRefused(
                "DO NOT send blank reports to Access Management. " + " ".join(report.blank_reasons)
            )
        if not report.sendable:
            raise ECRequestRefused(
                "This report cannot be sent to Access Management. " + " ".join(report.send_blockers)
            )
        if not rules.ec_identifier_allowed(sl_app.kind):
            raise ECRequestRefused(
                f"SL app {sl_app.sl_app_number} is not an employer app. Do NOT add EC Identifiers "
                "to Agent SL applications or pseudo apps, ONLY employers."
            )
        if rules.second_ec_refused(sl_app.ec_identifier, report.ec_number):
            raise ECRequestRefused(
                f"SL app {sl_app.sl_app_number} already has EC {sl_app.ec_identifier}. Only ONE "
                "EC per SL application."
            )
        missing = rules.missing_on_sl_app(report.business_functions, sl_app_business_functions(sl_app))
        if sl_app.ec_identifier == report.ec_number and not missing:
            raise ECRequestRefused(
                f"SL app {sl_app.sl_app_number} already has EC {report.ec_number} and every "
                "business function on the report."
            )
        if existing := open_request(sl_app):
            raise ECRequestRefused(
                f"EC request #{existing.pk} for SL app {sl_app.sl_app_number} is already "
                f"{existing.get_state_display().lower()}."
            )
        try:
            with transaction.atomic():
                request = ECRequest.objects.create(
                    source=ECRequest.Source.SPECIALIST,
                    group=report.group,
                    sl_app=sl_app,
                    ec_identifier=report.ec_number,
                    business_functions=report.business_functions,
                    expedited=expedited,
                    case=case,
                    requested_by=user,
                )
        except IntegrityError as error:  # a request queued at the same moment from another tab
            raise ECRequestRefused(
                f"An EC request for SL app {sl_app.sl_app_number} is already open."
            ) from error
        ECRequestEvent.objects.create(
            request=request, kind=ECRequestEvent.Kind.CREATED, user=user,
            note=f"From case {case.reference}" if case else "",
        )
        audit(user=user, action="ec_request.create", obj=request, summary=(
            f"EC request #{request.pk} queued{' (expedited)' if expedited else ''} for group "
            f"{report.group.group_number}, SL app {sl_app.sl_app_number}"
            f"{f', from case {case.reference}' if case else ''}."
        ))
        if not expedited:
            transaction.on_commit(lambda: _send_request_email(request, report))
        return request


def request_email_subject(request: ECRequest) -> str:
    return rules.email_subject(request.group.group_number, request.group.name,
                               request.sl_app.sl_app_number)


def request_email_attachment(report: Any) -> str:
    return f"BF-report-{report.run_for.group_number}.pdf"


def request_email_body(request: ECRequest, report: Any) -> str:
    """The request e-mail's text: as it is sent, and as the case shows it was sent."""
    return (f"{rules.GRANT_SENTENCE}\n\nAttached: Business Function report for group "
            f"{report.run_for.group_number} ({request_email_attachment(report)}).\n\n"
            f"EC request #{request.pk} in SupportDesk.")


def _send_request_email(request: ECRequest, report: Any) -> None:
    message = EmailMessage(
        subject=request_email_subject(request),
        body=request_email_body(request, report),
        to=[rules.EMPLOYER_GROUP_MAILBOX],
    )
    message.attach(request_email_attachment(report), bf_report_pdf(report), "application/pdf")
    message.send()


def ec_request_withdraw(*, case: Any, user: User) -> str:
    """Undo the request a case queued, as its specialist goes back past the step (or restarts):
    withdrawn while nobody has claimed it, with an event on the request and an e-mail to the
    mailbox it was sent to; refused, naming what was done, once Access Management has it.
    Returns the line for the case's transcript ("" when the case queued nothing still open)."""
    request = (case_requests(case).select_for_update(of=("self",))
               .select_related("sl_app", "group", "claimed_by").first())
    if request is None or request.state == ECRequest.State.REJECTED:  # nothing left to undo
        return ""
    label = f"EC request #{request.pk} for SL app {request.sl_app.sl_app_number}"
    if not request.can("withdraw", user):
        raise ECRequestRefused(_not_withdrawable(request, label))
    request.state, request.decided_at = ECRequest.State.WITHDRAWN, clock.now()
    request.save(update_fields=["state", "decided_at"])
    text = f"{label} withdrawn: the specialist went back in case {case.reference}."
    ECRequestEvent.objects.create(request=request, kind=ECRequestEvent.Kind.WITHDRAWN,
                                  user=user, note=text)
    audit(user=user, action="ec_request.withdraw", obj=request, summary=text)
    if not request.expedited:  # the standard request was e-mailed: tell the mailbox
        transaction.on_commit(lambda: _send_withdrawal_email(request))
    return f"Withdrew {label} (nobody had claimed it)."


def _not_withdrawable(request: ECRequest, label: str) -> str:
    """Why the case cannot withdraw ``request`` (ECRequest.TRANSITIONS does not allow it from
    this state): what was done with it, and what to do instead."""
    if request.state == ECRequest.State.CLAIMED:
        claimed_by, claimed_at = request.claimed_by, request.claimed_at
        if claimed_by is None or claimed_at is None:
            raise ValueError(f"EC request #{request.pk} is claimed, so has a claimant and a time")
        who = display_name(claimed_by)
        when = datetime_text(claimed_at)
        return (
            f"{label} was claimed by {who} on {when}: Access Management is working it, so it "
            "cannot be withdrawn from here. "
            f"Ask {who} to reject it if it is wrong, or add a note to this case and start a "
            "new one."
        )
    if request.state == ECRequest.State.GRANTED:
        if request.decided_at is None:
            raise ValueError(f"EC request #{request.pk} is granted, so has a decision time")
        return (
            f"{label} was granted on {date_text(request.decided_at)}: the EC and "
            "business functions are on the SL app. Start a new case if something else is needed."
        )
    # Reached only if ECRequest.TRANSITIONS stops allowing the withdrawal of a queued request.
    return f"{label} is {request.get_state_display().lower()}: it cannot be withdrawn."


def _send_withdrawal_email(request: ECRequest) -> None:
    EmailMessage(
        subject=f"Withdrawn: {request_email_subject(request)}",
        body=f"Please disregard EC request #{request.pk}: the specialist withdrew it before it "
        "was worked.",
        to=[rules.EMPLOYER_GROUP_MAILBOX],
    ).send()
