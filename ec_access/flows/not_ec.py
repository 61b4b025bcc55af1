"""Flow 4: questions that are not EC requests at all, answered in the seed's words."""

from __future__ import annotations

from supportdesk.engine import (
    CallerType,
    Choice,
    Disposition,
    Flow,
    FlowState,
    Outcome,
    Question,
    register,
)

from .. import rules
from .common import SEED


def _report(state: FlowState) -> rules.Report:
    name = state.answer("which_report")
    return next(r for r in rules.REPORTS if r.name == name)


def _report_text(state: FlowState) -> str:
    report = _report(state)
    if not report.business_functions:
        needs = "It is not opened by a business function."
    else:
        needs = f"It needs business function {', '.join(report.business_functions)}."
    who = [w for w, sees in (("employers", report.employer), ("agents", report.agent)) if sees]
    lines = [f"{report.name}: {needs} Seen by {' and '.join(who)}."]
    if report.paa_only:
        lines.append("Only available for the employer group PAA.")
    if report.name == "Humana Smart Insights (HSI)":
        lines.append(rules.HSI_THRESHOLD_NOTE)
    return "\n\n".join(lines)


NOT_EC = register(
    Flow(
        key="ec-questions",
        title="EC reports: questions that need no request",
        summary="WEI, the Go365 Summary Report, and which business function opens a report.",
        source=SEED,
        caller_type=CallerType.EMPLOYER,
        asks_subject=False,
        start="question",
        steps=(
            Question(
                key="question", title="What is the caller asking about?", source=SEED,
                choices=(
                    Choice("wei", "The Wellness Engagement Incentive (WEI) report", next="out_wei"),
                    Choice("summary", "The Go365 Summary Report", next="out_summary"),
                    Choice("which_bf", "Which business function a report needs",
                           next="which_report"),
                ),
            ),
            Question(
                key="which_report", title="Which report?", source=SEED,
                choices=tuple(Choice(r.name, r.name, next="out_report") for r in rules.REPORTS),
            ),
            Outcome(
                key="out_wei", title="WEI is not an EC function",
                text="The Wellness Engagement Incentive (WEI) report is NOT included in the EC "
                "functions, it is not provided by customer reporting. WEI is a default function "
                "available to small medical groups and does not have to be requested.",
                source=SEED, disposition=Disposition.ANSWERED,
            ),
            Outcome(
                key="out_summary", title="Go365 Summary Report: internal self-service only",
                text="The Go365 Summary Report is only available for internal self-service via "
                "go/CRExcellence. Groups do not have direct access to this report. Someone within "
                "Humana must self-serve the report and provide to the group.",
                source=SEED, disposition=Disposition.ANSWERED,
            ),
            Outcome(key="out_report", title="The report's business function", text=_report_text,
                    source=SEED, disposition=Disposition.ANSWERED),
        ),
    )
)
