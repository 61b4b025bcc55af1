"""Pieces the EC flows share: finding the group and SL app of a case, and the seed's tips."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from supportdesk import clock
from supportdesk.engine import Artifact, FlowState, FormStep, Instruction

from .. import rules
from ..forms import GroupForm
from ..models import EmployerGroup, SLApplication
from ..queries import BFReport, bf_report, employer_sl_app

SEED = "Enterprise Customer (EC) Reporting – Go365 Reports"
HSS_SECURITY_PATH = (
    "HSS", "IT Security Management Screens", "App/Org/Admin Lookup Menu (Bus Contact)",
    "Display Current Organizations Information",
)


def today() -> dt.date:
    return clock.today()


def group_of(state: FlowState) -> EmployerGroup:
    """The group the case is about, read once per request however many checks ask."""
    number = state.answer("group", "group_number") or state.subject.get("group_number")
    return state.remember(
        ("ec_group", number),
        lambda: EmployerGroup.objects.select_related("mtv_shell").get(group_number=number),
    )


def report_of(state: FlowState) -> BFReport:
    """The group's BF report as of today, worked out once per request however many checks and
    texts of the landing ask (each is several queries)."""
    group = group_of(state)
    return state.remember(("bf_report", group.pk), lambda: bf_report(group, today()))


def sl_app_of(state: FlowState) -> SLApplication | None:
    number = state.answer("group", "sl_app_number")
    if number:
        return SLApplication.objects.filter(sl_app_number=number).first()
    return employer_sl_app(group_of(state))


def found_sl_app_of(state: FlowState) -> SLApplication:
    """The SL app, on the steps a check reaches only once `sl_app_of` found one: those checks
    branch away from every such step when the group has no SL app."""
    sl_app = sl_app_of(state)
    if sl_app is None:
        raise LookupError("this step is reached only after a check found the group's SL app")
    return sl_app


def _subject_initial(state: FlowState) -> dict[str, Any]:
    return {
        "group_number": state.subject.get("group_number", ""),
        "sl_app_number": state.subject.get("sl_app_number", ""),
    }


def group_step(next: str, title: str = "Which employer group?") -> FormStep:
    return FormStep(
        key="group",
        title=title,
        text="SupportDesk checks the group against its data: products, portal registration, "
        "SL apps and EC identifiers.",
        source=SEED,
        form_class=GroupForm,
        initial=_subject_initial,
        names_subject=True,
        next=next,
    )


def zoom_tip(key: str, next: str, who: str) -> Instruction:
    return Instruction(
        key=key,
        title="Check the zoom is set to 100%",
        text="TIP: If the zoom is set to 110% or higher drop downs and links disappear or may "
        "not be available. Confirm the users zoom is set to 100%.",
        procedure=(
            "Right click the mouse",
            "Select Display Settings from the drop down",
            "Locate Scale and layout in display settings",
            "Confirm Scale and Layout is set to 100%",
        ),
        note=f"TIP: Advise the {who} to try accessing the reports via Internet Explorer or an "
        "early version of Chrome or Edge as compatibility issues have been reported in the past.",
        source=f"{SEED}, Troubleshooting",
        next=next,
    )


def sre_incident(state: FlowState, form_class: type[forms.Form]) -> Artifact:
    """The SRE_WebPortals incident text: "Please include in your ServiceNow Incident" the group
    and every field of the incident form, labelled as the seed lists them (seed 000)."""
    group, details = group_of(state), state.answer("incident_details") or {}
    lines = [
        f"Assignment group: {rules.SRE_WEB_PORTALS}",
        f"Group Name and Number: {group.name} {group.group_number}",
    ]
    for name, field in form_class.base_fields.items():
        value = details.get(name, "")
        lines.append(f"{field.label}: {'yes' if value is True else value}")
    return Artifact(
        kind=Artifact.SERVICENOW,
        title=f"ServiceNow incident for {rules.SRE_WEB_PORTALS}",
        body="\n".join(lines),
    )
