"""Flow 2: an employer cannot see EC reports (seed 000, Troubleshooting, in the seed's order)."""

from __future__ import annotations

from typing import Literal

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
    Outcome,
    Question,
    register,
)

from .. import rules
from ..forms import EmployerIncidentForm, SecondaryDelegationForm
from ..queries import groups_needing_own_logon, sl_app_business_functions
from .common import (
    SEED,
    found_sl_app_of,
    group_of,
    group_step,
    report_of,
    sl_app_of,
    sre_incident,
    today,
    zoom_tip,
)

TROUBLESHOOTING = f"{SEED}, Troubleshooting"
EMPLOYER_REPORTS = tuple(r for r in rules.reports_for("employer"))


def _multi_group(state: FlowState) -> Literal["one", "several"]:
    sl_app = sl_app_of(state)
    if sl_app and rules.needs_independent_logons(
        [g.group_number for g in groups_needing_own_logon(sl_app, today())]
    ):
        return "several"
    return "one"


def _multi_group_text(state: FlowState) -> str:
    sl_app = found_sl_app_of(state)
    numbers = ", ".join(g.group_number for g in groups_needing_own_logon(sl_app, today()))
    return (
        f"SL app {sl_app.sl_app_number} carries group numbers {numbers}, each with a medical or "
        "Go365 (NIM) product. For security purposes employers can only access Enterprise Customer "
        "reports for one group in the portal. Other functions (HRBA, eBilling, etc.) are not "
        "restricted in this way. Employer Options for Accessing Go365 reports:"
    )


def _ec_on_app(state: FlowState) -> Literal["has_ec", "no_ec"]:
    sl_app = sl_app_of(state)
    return "has_ec" if sl_app and sl_app.ec_identifier else "no_ec"


def _missing_on_app(state: FlowState) -> list[str]:
    report = report_of(state)
    return rules.missing_on_sl_app(report.business_functions, sl_app_business_functions(found_sl_app_of(state)))


def _compare(state: FlowState) -> Literal["missing_on_app", "all_on_app"]:
    return "missing_on_app" if _missing_on_app(state) else "all_on_app"


def _verify_incident(state: FlowState) -> Artifact:
    group, sl_app = group_of(state), found_sl_app_of(state)
    return Artifact(
        kind=Artifact.SERVICENOW,
        title="ServiceNow incident: verify the business functions on the SL app",
        body=f"{rules.GRANT_SENTENCE}\n\nSL App ID: {sl_app.sl_app_number}\nGroup ID: "
        f"{group.group_number}\nGroup Name: {group.name}\nBusiness functions on the report but "
        f"not on the SL app: {', '.join(_missing_on_app(state))}",
    )


def _missing_report(state: FlowState) -> rules.Report:
    name = state.answer("missing_report")
    return next(r for r in EMPLOYER_REPORTS if r.name == name)


def _report_bf(state: FlowState) -> Literal["on_report", "not_on_report"]:
    report = report_of(state)
    wanted = _missing_report(state).business_functions
    return "on_report" if set(wanted) <= set(report.business_functions) else "not_on_report"


def _not_on_report_text(state: FlowState) -> str:
    missing = _missing_report(state)
    return (
        f"The {missing.name} needs business function {', '.join(missing.business_functions)}, "
        "which is not on the group's Business Function report. If that business function is not "
        "on the report Access Management will not be able to add it. Reach out to "
        f"{rules.CUSTOMER_REPORTING} requesting insight as to why the group does not have this "
        "business functions on the report. Customer Reporting will provide additional "
        "information and add the business function if they are able to."
    )


def _delegations(state: FlowState) -> Literal["missing", "complete", "paa_only"]:
    if _missing_report(state).paa_only:
        return "paa_only"
    delegated = state.answer("delegations", "delegated") or []
    return "missing" if rules.missing_secondary_functions(delegated) else "complete"


def _delegation_text(state: FlowState) -> str:
    missing = rules.missing_secondary_functions(state.answer("delegations", "delegated") or [])
    return (
        "The PAA has not given this Secondary user the proper access required to access EC "
        f"reporting. Missing: {', '.join(missing)}. The Employer PAA assigns them on the Assign "
        "Web Access Rights page when delegating access."
    )


def _employer_incident(state: FlowState) -> Artifact:
    return sre_incident(state, EmployerIncidentForm)


def _cec_email(state: FlowState) -> Artifact:
    sl_app = found_sl_app_of(state)
    groups = "\n".join(
        f"{g.group_number} {g.name}" for g in groups_needing_own_logon(sl_app, today())
    )
    return Artifact(
        kind=Artifact.EMAIL,
        title="E-mail to the CEC (Customer Reporting)",
        to=rules.CUSTOMER_REPORTING.lower(),
        subject=state.text("Subject"),
        body=state.text("Body", groups=groups),
    )


CEC_EMAIL = {
    "Subject": "Go365 reports for groups not accessible via the Employer Portal",
    "Body": "The employer would like the CEC to provide Go365 reports for these groups:\n{groups}"
    "\n\nGroup contact/user information: [add the group contact and user here]",
}


EMPLOYER_TROUBLESHOOTING = register(
    Flow(
        key="ec-employer-cannot-see",
        title="EC reports: an employer cannot see them",
        summary="The EC reporting document's troubleshooting in order: several group numbers, business functions on "
        "the report and the SL app, PAA and Secondary users, zoom and browser, emulation, and the "
        "SRE_WebPortals incident.",
        source=TROUBLESHOOTING,
        caller_type=CallerType.EMPLOYER,
        start="group",
        steps=(
            group_step(next="multi_group"),
            Check(key="multi_group", title="More than one group number on the SL app?",
                  source=TROUBLESHOOTING, decide=_multi_group,
                  branches={"several": Branch("Several group numbers", "multi_group_options"),
                            "one": Branch("One group number", "ec_on_app")}),
            Question(
                key="multi_group_options", title="Reports for a second group number",
                text=_multi_group_text, source=TROUBLESHOOTING,
                choices=(
                    Choice("independent", "Maintain independent logons for each medical group "
                           "number", next="out_independent_logons"),
                    Choice("cec", "CEC can provide Go365 reports for groups not accessible via "
                           "the Employer Portal", next="cec_email"),
                    Choice("same_group", "Neither: the reports are missing for the group they "
                           "registered", next="ec_on_app"),
                ),
            ),
            Action(key="cec_email", title="Notify the CEC", source=TROUBLESHOOTING,
                   text="If the group seems interested in this option notify the CEC of the "
                   "situation so they are aware of the group’s expectation.",
                   produce=_cec_email, fixed=CEC_EMAIL, next="out_cec"),
            Check(key="ec_on_app", title="EC identifier on the SL app?", source=SEED,
                  decide=_ec_on_app,
                  branches={"has_ec": Branch("EC on the SL app", "compare"),
                            "no_ec": Branch("No EC on the SL app", "out_no_ec")}),
            Check(key="compare", title="Business functions on the report vs the SL app",
                  text="Confirm what business functions are listed on the report.",
                  source=TROUBLESHOOTING, decide=_compare,
                  branches={"missing_on_app": Branch("Some are missing on the SL app",
                                                     "verify_incident"),
                            "all_on_app": Branch("All are on the SL app", "missing_report")}),
            Action(key="verify_incident", title="Have Access Management verify the SL app",
                   text="Create a ServiceNow Incident with attached report and call Access "
                   "Management to verify all business functions (BF) have been added correctly "
                   "to the SL App.", source=TROUBLESHOOTING, produce=_verify_incident,
                   next="out_verify_incident"),
            Question(
                key="missing_report", title="Which report is the employer missing?",
                source=TROUBLESHOOTING,
                choices=tuple(
                    Choice(r.name, f"{r.name} ({', '.join(r.business_functions)})",
                           next="report_bf") for r in EMPLOYER_REPORTS
                ),
            ),
            Check(key="report_bf", title="Is that report's business function on the report?",
                  source=TROUBLESHOOTING, decide=_report_bf,
                  branches={"not_on_report": Branch("Not on the BF report", "out_bf_not_on_report"),
                            "on_report": Branch("On the BF report", "user_role")}),
            Question(
                key="user_role", title="Are you speaking with the PAA or a Secondary user?",
                text="If after confirming BFs with Access Management and Customer Reporting the "
                "Employer is still not able to see the reports, confirm you are speaking with the "
                "PAA. This can be done by confirmed the username the user is logging in with.",
                source=TROUBLESHOOTING,
                choices=(Choice("paa", "The PAA", next="zoom"),
                         Choice("secondary", "A Secondary user", next="delegations")),
            ),
            FormStep(key="delegations", title="What has the PAA delegated?",
                     text="If you are speaking with a Secondary User, you will first need to "
                     "confirm the PAA has given them the proper access required to access EC "
                     "reporting.", source=TROUBLESHOOTING,
                     form_class=SecondaryDelegationForm, next="delegation_check"),
            Check(key="delegation_check", title="Secondary user's access", source=SEED,
                  decide=_delegations,
                  branches={"paa_only": Branch("PAA-only report", "out_paa_only"),
                            "missing": Branch("Delegation missing", "out_delegation"),
                            "complete": Branch("Delegation complete", "zoom")}),
            zoom_tip("zoom", next="zoom_result", who="Employer"),
            Question(key="zoom_result", title="Can the employer see the reports now?",
                     source=TROUBLESHOOTING,
                     choices=(Choice("fixed", "Yes, the reports show", next="out_fixed"),
                              Choice("not_fixed", "No", next="emulation"))),
            Question(
                key="emulation", title="Are the reports displaying in Web Emulation 2.0?",
                text="In Web Emulation 2.0, continue to the Report tab and verify whether the "
                "reports are displaying.", source=TROUBLESHOOTING,
                choices=(Choice("displaying", "Yes, they display in emulation", next="recreate"),
                         Choice("not_displaying", "No, they do not display",
                                next="incident_details")),
            ),
            Question(
                key="recreate", title="Recreate the issue",
                text="If reports are displaying correctly in emulation, but the Employer is still "
                "stating they are not able to see the reports, request the username and password "
                "for the user to see if you are able to recreate the issue. If the Employer is not "
                "willing to share their username and password obtain screen shots of the "
                "reporting tab where the reports are not displaying that include the URL.",
                source=TROUBLESHOOTING,
                choices=(Choice("confirmed", "Confirmed: the employer does not have access",
                                next="incident_details"),
                         Choice("works", "The reports display when recreated", next="out_fixed")),
            ),
            FormStep(key="incident_details", title="Details for the ServiceNow incident",
                     text="Please include in your ServiceNow Incident:", source=TROUBLESHOOTING,
                     form_class=EmployerIncidentForm, next="incident"),
            Action(key="incident", title="ServiceNow incident to SRE_WebPortals",
                   text="An Incident in ServiceNow can be sent to SRE_WebPortals (Web Portal "
                   "Support) for resolution.", source=TROUBLESHOOTING,
                   produce=_employer_incident, next="out_incident"),
            Outcome(key="out_independent_logons", title="Independent logons for each group number",
                    text="Maintain independent logons for each medical group number.",
                    items=(
                        "Will require manual removal of additional group numbers from current SL "
                        "application in order for user to register them independently.",
                        "User to register each group number will need to be added to Registration "
                        "Reserve and therefore listed as a company contact.",
                        "Secondary group numbers can be added back to “primary” SL app after they "
                        "are registered independently, so all other functions can be tied together.",
                    ), source=TROUBLESHOOTING, disposition=Disposition.ANSWERED),
            Outcome(key="out_cec", title="The CEC will provide the Go365 reports",
                    text="Send an email to crc@humana.com. Provide the group numbers and names "
                    "along with the group contact/user information.", source=TROUBLESHOOTING,
                    disposition=Disposition.REFERRED),
            Outcome(key="out_no_ec", title="No EC identifier on the SL app",
                    text="If the EC identifier is not on the SL App for the group, follow the steps "
                    "on Adding EC Identifiers and Business Functions: start an “EC reports: verify "
                    "or request an employer's access” case.", source=SEED,
                    disposition=Disposition.ANSWERED, follow_on="ec-employer-access",
                    follow_on_label="Start “EC reports: verify or request an employer's access” "
                    "for this group"),
            Outcome(key="out_verify_incident", title="Access Management verifies the SL app",
                    text="Call Access Management with the incident number to verify all business "
                    "functions (BF) have been added correctly to the SL App.",
                    source=TROUBLESHOOTING, disposition=Disposition.INCIDENT),
            Outcome(key="out_bf_not_on_report", title="Business function missing from the report",
                    text=_not_on_report_text, source=TROUBLESHOOTING,
                    disposition=Disposition.REFERRED),
            Outcome(key="out_paa_only", title="Only available for the employer group PAA",
                    text="This report is only available for the employer group PAA: a Secondary "
                    "user cannot be given it.", source=SEED, disposition=Disposition.ANSWERED),
            Outcome(key="out_delegation", title="The PAA must delegate the access",
                    text=_delegation_text, source=TROUBLESHOOTING,
                    disposition=Disposition.ANSWERED),
            Outcome(key="out_fixed", title="The employer can see the reports",
                    text="Once assigned access to EC functions employer users will see the reports "
                    "under the Reports tab of the Employer portal.", source=SEED,
                    disposition=Disposition.ANSWERED),
            Outcome(key="out_incident", title="Incident sent to SRE_WebPortals",
                    text="Keep your case open until the issue has been resolved and follow up with "
                    "the Employer when there is a resolution.", source=TROUBLESHOOTING,
                    disposition=Disposition.INCIDENT),
        ),
    )
)
