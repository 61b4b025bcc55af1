"""Flow 3: an agent cannot see EC reports (seed 000, "If an Agent is not able to view EC
reports")."""

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
    Instruction,
    Outcome,
    Question,
    register,
)

from .. import rules
from ..forms import AgentIncidentForm
from .common import HSS_SECURITY_PATH, SEED, group_of, group_step, sre_incident, zoom_tip

AGENT = f"{SEED}, If an Agent is not able to view EC reports"
AGENT_PORTAL_PATH = ("Agent Portal", "Quote, Enroll & Manage", "Manage Active Groups")


def _hsi(state: FlowState) -> Literal["over", "under"]:
    return "over" if rules.hsi_available(group_of(state).employees_enrolled) else "under"


def _hsi_text(state: FlowState) -> str:
    group = group_of(state)
    return (
        f"Group {group.group_number} has {group.employees_enrolled} employees enrolled. Humana "
        "Smart Insights (HSI) report is only available for groups over 100 Employees: if the "
        "group has less than 100 employees enrolled in coverage they will not see this group in "
        "the Humana Smart Insights (HSI) dropdown."
    )


def _pseudo_incident(state: FlowState) -> Artifact:
    return Artifact(
        kind=Artifact.SERVICENOW,
        title="ServiceNow incident to Identity Access Management",
        body=state.text("Incident text"),
    )


PSEUDO_INCIDENT = {
    "Incident text": "Assignment group: Identity Access Management\n"
    "EC identifiers were added to a pseudo application in error: the agent sees EC report "
    "links in the Employer Self-Service portal. Please remove the EC business functions from "
    "the pseudo application.\n"
    "Pseudo SL app #: [add the pseudo app number from HSS]",
}


def _dropdown_incident(state: FlowState) -> Artifact:
    group = group_of(state)
    return Artifact(
        kind=Artifact.SERVICENOW,
        title="ServiceNow incident: group missing from the MER dropdown",
        body=state.text("Incident text", group_number=group.group_number, group_name=group.name),
    )


DROPDOWN_INCIDENT = {
    "Incident text": "The AOR is missing group {group_number} {group_name} from the Go365 Member "
    "Engagement Report (MER) customer dropdown in the Agent Portal, or the dropdown is not "
    "displaying correctly. Refer to ServiceNow Groups for the appropriate Service Now Group.",
}


def _agent_incident(state: FlowState) -> Artifact:
    return sre_incident(state, AgentIncidentForm)


AGENT_REPORTS = tuple(r.name for r in rules.reports_for("agent"))

AGENT_TROUBLESHOOTING = register(
    Flow(
        key="ec-agent-cannot-see",
        title="EC reports: an agent cannot see them",
        summary="AOR PAA vs WA, the right account, Secondary delegation, the Agent Portal path, "
        "pseudo apps in error, the HSI threshold, the MER dropdown, and the SRE_WebPortals incident.",
        source=AGENT,
        caller_type=CallerType.AGENT,
        start="group",
        steps=(
            group_step(next="agent_role", title="Which group's reports is the agent looking for?"),
            Question(
                key="agent_role", title="Who are you speaking with?",
                text="Only AOR is authorized to these reports, the WA will not see them in the "
                "agent portal. AOR PAA is able to delegate to secondary users if they wish.",
                source=AGENT,
                choices=(
                    Choice("aor_paa", "The AOR PAA", next="portal"),
                    Choice("secondary", "A Secondary user of the AOR", next="secondary_access"),
                    Choice("wa", "The WA (writing agent)", next="out_wa"),
                    Choice("unsure", "Not sure the agent logs in to the correct account",
                           next="verify_username"),
                ),
            ),
            Instruction(
                key="verify_username", title="Verify the agent's account",
                text="Obtain the Username from the Agent and verify Username is tied to Agency SL "
                "App via IT Security Management Screens in HSS.", menu_path=HSS_SECURITY_PATH,
                source=AGENT, next="agent_role", continue_label="Verified, back to the question",
            ),
            Question(
                key="secondary_access", title="Has the AOR PAA given the Secondary user access?",
                text="If you are speaking with a Secondary User, you will first need to confirm "
                "the AOR PAA has given them the proper access required to access EC reports.",
                source=AGENT,
                choices=(Choice("yes", "Yes", next="portal"),
                         Choice("no", "No", next="out_aor_delegate")),
            ),
            Question(
                key="portal", title="Where is the agent looking for the reports?",
                text="Confirm the agent is accessing reports within the Agent Portal and is not "
                "attempting to find the reports within the Employer Self Service Portal.",
                menu_path=AGENT_PORTAL_PATH, source=AGENT,
                choices=(
                    Choice("agent_portal", "In the Agent Portal, Manage Active Groups",
                           next="which_report"),
                    Choice("employer_portal", "In Employer Self-Service", next="out_wrong_portal"),
                    Choice("links_in_employer_portal", "The agent sees report links in Employer "
                           "Self-Service", next="pseudo_incident"),
                ),
            ),
            Action(
                key="pseudo_incident", title="EC on a pseudo app in error",
                text="Some Agents are able to see report links via the Employer Self-Service "
                "portal. This is due to EC identifiers being added to Pseudo apps in error in the "
                "past. Send an incident to Identify Access Management via ServiceNow and request "
                "the EC business functions be removed from the pseudo application.",
                source=AGENT, produce=_pseudo_incident, fixed=PSEUDO_INCIDENT,
                next="out_pseudo_incident",
            ),
            Question(
                key="which_report", title="Which report is missing?", source=AGENT,
                choices=(
                    *(Choice(name, name, next="hsi_check" if "HSI" in name else "zoom")
                      for name in AGENT_REPORTS),
                    Choice("dropdown", "A group is missing from the MER dropdown, or the dropdown "
                           "does not display correctly", next="dropdown_incident"),
                ),
            ),
            Check(key="hsi_check", title="Group over 100 employees?", text=rules.HSI_THRESHOLD_NOTE,
                  source=f"{AGENT}, NOTE: Agent access to HSI", decide=_hsi,
                  branches={"under": Branch("100 or fewer employees", "out_hsi_threshold"),
                            "over": Branch("Over 100 employees", "zoom")}),
            Action(key="dropdown_incident", title="ServiceNow incident for the dropdown",
                   text="If the AOR is missing groups from MER dropdown or dropdown is not "
                   "displaying correctly, create a ServiceNow Incident.", source=SEED,
                   produce=_dropdown_incident, fixed=DROPDOWN_INCIDENT,
                   next="out_dropdown_incident"),
            zoom_tip("zoom", next="zoom_result", who="Agent"),
            Question(key="zoom_result", title="Can the agent see the reports now?", source=AGENT,
                     choices=(Choice("fixed", "Yes", next="out_fixed"),
                              Choice("not_fixed", "No", next="recreate"))),
            Question(
                key="recreate", title="Verify access on the agent side",
                text="Since there is no way to validate access to Enterprise Customer Reports for "
                "Agents on our end through emulation, request the username and password for the "
                "user to see if you are able to recreate the issue. If the Agent is not willing to "
                "share their username and password obtain screen shots of the page where the "
                "reports are not displaying that include the URL and the path taken to access the "
                "reports.", source=AGENT,
                choices=(Choice("confirmed", "Confirmed: the agent does not have access",
                                next="incident_details"),
                         Choice("works", "The reports display when recreated", next="out_fixed")),
            ),
            FormStep(key="incident_details", title="Details for the ServiceNow incident",
                     text="Please include in your ServiceNow Incident:", source=AGENT,
                     form_class=AgentIncidentForm, next="incident"),
            Action(key="incident", title="ServiceNow incident to SRE_WebPortals",
                   text="Once you have confirmed the Agent does not have access to the reports an "
                   "Incident in ServiceNow can be sent to SRE_WebPortals (Web Portal Support) for "
                   "resolution.", source=AGENT, produce=_agent_incident, next="out_incident"),
            Outcome(key="out_wa", title="The WA is not in scope for these reports",
                    text="If you are speaking with the WA advise they are not in scope to view "
                    "these reports at this time.", source=AGENT, disposition=Disposition.ANSWERED),
            Outcome(key="out_aor_delegate", title="The AOR PAA must delegate access",
                    text="AOR PAA is able to delegate to secondary users if they wish: the Secondary "
                    "user needs the AOR PAA to give them the proper access.", source=AGENT,
                    disposition=Disposition.ANSWERED),
            Outcome(key="out_wrong_portal", title="Use the Agent Portal, not Employer Self-Service",
                    text="Agents access these reports through the Agent Portal, within the Quote, "
                    "Enroll, and Manage tab in the Manage Active Groups section. There are sections "
                    "for Humana Smart Insights and Go365 Reports. Agents DO NOT access these reports "
                    "through Employer Self-Service.", menu_path=AGENT_PORTAL_PATH, source=SEED,
                    disposition=Disposition.ANSWERED),
            Outcome(key="out_pseudo_incident", title="Identity Access Management removes the EC",
                    text="Access management will not add the EC identifier/business functions to a "
                    "pseudo application to change auto-delegation. This would result in agents "
                    "having access to data they are not authorized to.", source=SEED,
                    disposition=Disposition.INCIDENT),
            Outcome(key="out_hsi_threshold", title="HSI is only for groups over 100 employees",
                    text=_hsi_text, note=rules.HSI_THRESHOLD_NOTE, source=AGENT,
                    disposition=Disposition.ANSWERED),
            Outcome(key="out_dropdown_incident", title="Incident raised for the MER dropdown",
                    text="Refer to ServiceNow Groups for the appropriate Service Now Group.",
                    source=SEED, disposition=Disposition.INCIDENT),
            Outcome(key="out_fixed", title="The agent can see the reports",
                    text="After selecting the report to run, agent users will be redirected to the "
                    "report page and prompted to select the group from a customer drop down.",
                    source=SEED, disposition=Disposition.ANSWERED),
            Outcome(key="out_incident", title="Incident sent to SRE_WebPortals",
                    text="Keep your case open until the issue has been resolved and follow up with "
                    "the Agent when there is a resolution.", source=AGENT,
                    disposition=Disposition.INCIDENT),
        ),
    )
)
