"""The HUSKY provider-portal flow (seed 003): from the HUSKY website to the report, and why a
member is, or is not, on it. Every outcome quotes the seed; contacts come from its Key Contacts
table (``contacts.py``); who appears on a report is decided by ``rules``.
"""

from __future__ import annotations

from collections.abc import Callable

from supportdesk.dates import date_text
from supportdesk.engine import (
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
    Text,
    register,
)

from . import contacts, rules
from .forms import SharingForm, facts_from, member_form_for
from .models import Report
from .rules import REPORT_NAMES, SEED, ReportKey, Why

ALERT = (
    "ALERT! If you have not yet requested report access, you will see this screen. Click on "
    "‘Web Support’ to fill out a brief request access form."
)
SCROLL_NOTE = "* NOTE: You must scroll down to the bottom of the page to see your reports"
HELP_GUIDES_TIP = "TIP: ‘Report Help Guides’ are located above the actual reports"
ATTRIBUTION_QUOTE = (
    "“Members are attributed to a PCP by claims history or self selection.” How member "
    "attribution applies to reports: “Based on members attributed to the PCP's TIN. Attribution "
    "is refreshed monthly.”"
)
PORTAL_HELP = contacts.contact_text(contacts.TECH_PROVIDER_PORTAL)


def _catalog_entry(report: ReportKey) -> Report | None:
    """The catalog's row for ``report``: the flow shows the catalog's words, as edited."""
    return Report.objects.select_related("family").filter(rule_key=report.value).prefetch_related(
        "look_back_windows").first()


def _report_info_text(state: FlowState) -> str:
    report = ReportKey(state.answer("which_report"))
    entry = _catalog_entry(report)
    if entry is None:
        return f"{REPORT_NAMES[report]}: the catalog has no entry for it (ask an admin)."
    lines = [f"{entry.name} ({entry.family.name})", f"“{entry.population}”"]
    lines += [f"• {line}" for line in entry.shows_lines]
    lines += [f"Look-back: {w.what}: {w.window}" for w in entry.look_back_windows.all()]
    if entry.exclusions:
        lines.append(f"Excludes {entry.exclusions}.")
    if entry.icm_indicator:
        lines.append("Each report now includes an Intensive Care Management (ICM) status "
                     "indicator.")
    if entry.coming_soon:
        lines.append("COMING SOON! It is not on the portal yet.")
    if entry.note:
        lines.append(f"Note: {entry.note}")
    lines.append(f"To open it: Reports/Data > Report Type. {SCROLL_NOTE}")
    return "\n".join(lines)


# --- A member missing from a report -------------------------------------------------------


def _member_check(state: FlowState) -> rules.ReportCheck:
    report = ReportKey(state.answer("missing_report"))
    return rules.check_report(report, facts_from(state.answer(f"member_{report.value}")))


def _decide_missing(state: FlowState) -> rules.Why:
    return _member_check(state).why


def _member_text(lead: str) -> Callable[[FlowState], str]:
    """An outcome text: the seed's words for the case, then what the rules found."""

    def text(state: FlowState) -> str:
        check = _member_check(state)
        entry = _catalog_entry(check.report)
        lines = [lead, "", f"{check.name}: “{entry.population}”" if entry else check.name]
        lines += [f"• {reason}" for reason in check.reasons]
        lines += [f"{m.name}: {m.status}. {m.reason}"
                  + (f" (last service {date_text(m.last_service)})" if m.last_service else "")
                  for m in check.measures]
        lines += [f"Note: {note}" for note in check.notes]
        return "\n".join(lines)

    return text


MISSING_OUTCOMES = {
    Why.NOT_ATTRIBUTED: ("out_not_attributed", "Not attributed to this practice",
                         ATTRIBUTION_QUOTE, Disposition.ANSWERED),
    Why.ATTRIBUTION_PENDING: ("out_attribution_pending", "Attributed from the next refresh",
                              ATTRIBUTION_QUOTE, Disposition.ANSWERED),
    Why.EXCLUDED: ("out_excluded", "Excluded from the report",
                   f"The report header reads “{rules.EXCLUSION_TEXT}”.", Disposition.ANSWERED),
    Why.POPULATION: ("out_population", "Outside the report's population",
                     "The report lists only the members its population describes (age band, "
                     "sex, condition).", Disposition.ANSWERED),
    Why.LOOK_BACK: ("out_look_back", "Outside the report's look-back window",
                    "The report only looks back over the window the presentation gives for it.",
                    Disposition.ANSWERED),
    Why.APPEARS: ("out_should_appear", "The member should be on the report",
                  "By the presentation's rules the member should be listed. Check that the provider is "
                  "looking at the reports of the TIN of the member's PCP (“Based on members "
                  f"attributed to the PCP's TIN”) and has scrolled down: “{SCROLL_NOTE}”. If the "
                  f"member is still missing, Provider Portal technical assistance:\n{PORTAL_HELP}",
                  Disposition.REFERRED),
}


def _member_form_steps() -> tuple[FormStep, ...]:
    return tuple(
        FormStep(
            key=f"member_{report.value}",
            title=f"Check the member against the {REPORT_NAMES[report]}",
            text="Enter only what the rules need: no name, no client ID. A date of birth is "
            "turned into the age on the check date and is never kept.",
            source=SEED,
            form_class=member_form_for(report),
            note=rules.BREAST_BAND_NOTE if report == ReportKey.CANCER_SCREENINGS else "",
            next="missing_check",
            submit_label="Check",
        )
        for report in rules.AVAILABLE_REPORTS
    )


# --- Sharing information ------------------------------------------------------------------


def _decide_sharing(state: FlowState) -> rules.Sharing:
    answer = state.read("sharing", SharingForm)
    return rules.sharing(rules.Information(answer["information"]),
                         opted_out=answer["opted_out"], consent_on_file=answer["consent_on_file"])


def _shared_text(state: FlowState) -> str:
    information = rules.Information(state.read("sharing", SharingForm)["information"])
    label = rules.INFORMATION_LABELS[information]
    if information in rules.SENSITIVE:
        return (f"“Members must complete the ‘{contacts.CONSENT_FORM_NAME}’ for PCPs to have "
                "access to sensitive health information for treatment and care management "
                f"purposes.” The member's form has been processed, so {label} information is "
                "available to the PCP for those purposes.")
    return ("“Member medical information is automatically shared.” The member has not opted "
            "out, so the PCP sees it, on the portal's reports too.")


CONSENT_TEXT = (
    "“Sensitive health information is not automatically shared and requires member consent for "
    "disclosure which includes: HIV, Substance Abuse, Behavioral Health.”\n"
    f"“Members must complete the ‘{contacts.CONSENT_FORM_NAME}’ for PCPs to have access to "
    "sensitive health information for treatment and care management purposes.”\n"
    f"Download form online at: {contacts.CONSENT_FORM_URL}\n"
    "“Send completed forms to HUSKY Health for processing.”"
)


def _outcome(key: str, title: str, text: Text, disposition: Disposition) -> Outcome:
    return Outcome(key=key, title=title, text=text, source=SEED, disposition=disposition)


HUSKY_PROVIDER_PORTAL = register(
    Flow(
        key="husky-provider-portal",
        title="HUSKY provider portal: access, reports and members",
        summary="A HUSKY provider's office: logging in to the Provider Portal, report access, "
        "finding a report, a member missing from a report, sensitive information, ICM "
        "referrals, and the right contact for each portal.",
        source=SEED,
        caller_type=CallerType.PROVIDER,
        asks_subject=False,
        start="need",
        steps=(
            Question(
                key="need", title="What does the provider need?", source=SEED,
                choices=(
                    Choice("start", "Getting to the Provider Portal from the HUSKY website",
                           next="website"),
                    Choice("login", "Logging in, or forgotten username or password",
                           next="login"),
                    Choice("register", "A new user: create an account", next="out_register"),
                    Choice("alert", "The ALERT screen on Reports/Data (no report access yet)",
                           next="out_web_support"),
                    Choice("open_report", "Finding or opening a report", next="report_type"),
                    Choice("which_report", "Which report shows something (ED visits, "
                           "screenings …)", next="which_report"),
                    Choice("missing_member", "A member is missing from a report",
                           next="missing_report"),
                    Choice("sensitive", "Sensitive or medical information about a member",
                           next="sharing"),
                    Choice("icm", "An Intensive Care Management (ICM) referral or status",
                           next="out_icm"),
                    Choice("contact", "Who to contact about another portal or the call center",
                           next="which_contact"),
                ),
            ),
            Instruction(
                key="website", title="Start at the HUSKY Health website",
                text=f"Go to the HUSKY Health website: {contacts.HUSKY_WEBSITE}",
                procedure=(
                    "Select ‘For Providers’ from the navigation menu",
                    "Primary navigation through left-hand menu",
                    "Click on ‘Provider Login’ in the PROVIDER PORTAL box",
                ),
                menu_path=(contacts.HUSKY_WEBSITE, "For Providers", "Provider Login"),
                note="Provider reports reside behind Provider Portal Login",
                source=f"{SEED}, Starting Point / Provider Home Page", next="login",
            ),
            Instruction(
                key="login", title="Login to Secure Provider Portal",
                text="To login, enter your ‘Username’ and ‘Password’",
                items=(
                    "If you have forgotten your login credentials, select ‘Forgot your username "
                    "or password?’",
                    "To create an account, select ‘New user? Register here’",
                ),
                source=f"{SEED}, Login to Secure Provider Portal", next="login_result",
            ),
            Question(
                key="login_result", title="Is the provider logged in?", source=SEED,
                choices=(
                    Choice("in", "Yes: the Secure Provider Portal Welcome Page",
                           next="reports_data"),
                    Choice("forgot", "Forgotten username or password", next="out_forgot"),
                    Choice("no_account", "No account yet", next="out_register"),
                    Choice("cannot", "Still cannot log in", next="out_portal_support"),
                ),
            ),
            Instruction(
                key="reports_data", title="Open Reports/Data",
                text="Click on ‘Reports/Data’ in the left-hand navigation menu",
                menu_path=("Secure Provider Portal Welcome Page", "Reports/Data"),
                note=ALERT, source=f"{SEED}, Secure Provider Portal Welcome Page",
                next="reports_data_result",
            ),
            Question(
                key="reports_data_result", title="What does the provider see?", source=SEED,
                choices=(
                    Choice("alert", "The ALERT: report access not yet requested",
                           next="out_web_support"),
                    Choice("landing", "The Reports/Data Landing Page", next="report_type"),
                ),
            ),
            Instruction(
                key="report_type", title="Viewing your secure reports",
                text="From the ‘Report Type’ drop-down menu, select the report you want to view",
                menu_path=("Reports/Data", "Report Type"),
                items=(HELP_GUIDES_TIP,),
                note=SCROLL_NOTE, source=f"{SEED}, Viewing Your Secure Reports",
                next="report_result",
            ),
            Question(
                key="report_result", title="Does the provider see the report?", source=SEED,
                choices=(
                    Choice("found", "Yes, the report is there", next="out_report_found"),
                    Choice("help", "Yes, but they need help reading it", next="out_help_guides"),
                    Choice("missing", "Yes, but a member is missing from it",
                           next="missing_report"),
                    Choice("not_listed", "No: it is not in the drop-down or will not open",
                           next="out_portal_support"),
                ),
            ),
            Question(
                key="which_report", title="Which report does the provider ask about?",
                text="The catalog page finds a report from a question, too.", source=SEED,
                choices=tuple(Choice(key.value, name, next="out_report_info")
                              for key, name in REPORT_NAMES.items()),
            ),
            Question(
                key="missing_report", title="Which report is the member missing from?",
                text="SupportDesk checks attribution, the exclusions, the age band and the "
                "look-back window for that report.", source=SEED,
                choices=tuple(
                    Choice(key.value, name, next="out_coming_soon" if key in rules.COMING_SOON
                           else f"member_{key.value}")
                    for key, name in REPORT_NAMES.items()
                ),
            ),
            *_member_form_steps(),
            Check(
                key="missing_check", title="Would the member appear on the report?",
                text="Attribution, then the exclusions, the population, the look-back windows.",
                source=SEED, decide=_decide_missing,
                branches={
                    **{why.value: Branch(title, key)
                       for why, (key, title, _, _) in MISSING_OUTCOMES.items()},
                    # The report question sends a coming-soon report straight to its outcome;
                    # the rules still say so for one reached another way (an older case).
                    rules.Why.COMING_SOON.value: Branch("Coming soon", "out_coming_soon"),
                },
            ),
            *(
                _outcome(key, title, _member_text(lead), disposition)
                for key, title, lead, disposition in MISSING_OUTCOMES.values()
            ),
            FormStep(
                key="sharing", title="What information, and what has the member chosen?",
                source=f"{SEED}, Member Choices for Sharing Medical and Sensitive Health "
                "Information", form_class=SharingForm, next="sharing_check",
            ),
            Check(
                key="sharing_check", title="Is it shared with the PCP?", source=SEED,
                decide=_decide_sharing,
                branches={
                    rules.Sharing.SHARED.value: Branch("Shared", "out_shared"),
                    rules.Sharing.OPTED_OUT.value: Branch("Member opted out", "out_opted_out"),
                    rules.Sharing.CONSENT_NEEDED.value: Branch("Consent form needed",
                                                               "out_consent_needed"),
                },
            ),
            Question(
                key="which_contact", title="Which portal or team?", source=f"{SEED}, Key "
                "Contacts for CHCNT Medical ASO",
                choices=(
                    Choice("portal", "Provider Portal (reports, login, registration)",
                           next="out_portal_support"),
                    Choice("clear_coverage", "Medical Authorization Portal (Clear Coverage)",
                           next="out_clear_coverage"),
                    Choice("careportal", "Advanced Imaging Portal (CAREPortal)",
                           next="out_careportal"),
                    Choice("careanalyzer", "CareAnalyzer®", next="out_careanalyzer"),
                    Choice("call_center", "Provider Call Center", next="out_call_center"),
                ),
            ),
            _outcome("out_forgot", "Forgotten login credentials",
                     "“If you have forgotten your login credentials, select ‘Forgot your username "
                     f"or password?’” on the login page.\nIf that does not work:\n{PORTAL_HELP}",
                     Disposition.SELF_SERVICE),
            _outcome("out_register", "Register a new user",
                     "“To create an account, select ‘New user? Register here’” on the Secure "
                     "Provider Portal login page.\nRegister for the Provider Portals: "
                     f"{contacts.contact_text(contacts.REGISTER_PROVIDER_PORTAL)}\n"
                     f"{contacts.PROVIDERS_SITE_NOTE}",
                     Disposition.SELF_SERVICE),
            _outcome("out_web_support", "Request report access through Web Support",
                     f"“{ALERT}”\nPath: Reports/Data > Web Support.\nTechnical assistance:\n"
                     f"{PORTAL_HELP}", Disposition.SELF_SERVICE),
            _outcome("out_report_found", "The report is open",
                     "“From the ‘Report Type’ drop-down menu, select the report you want to "
                     f"view.” {SCROLL_NOTE}. {HELP_GUIDES_TIP}.", Disposition.ANSWERED),
            _outcome("out_help_guides", "Report Help Guides",
                     f"{HELP_GUIDES_TIP}. Each report also includes an Intensive Care "
                     "Management (ICM) status indicator.", Disposition.SELF_SERVICE),
            _outcome("out_portal_support", "Provider Portal technical assistance",
                     f"Technical Assistance, Provider Portal:\n{PORTAL_HELP}\nRegister for the "
                     "Provider Portals: "
                     f"{contacts.contact_text(contacts.REGISTER_PROVIDER_PORTAL)}",
                     Disposition.REFERRED),
            _outcome("out_report_info", "The report", _report_info_text, Disposition.ANSWERED),
            _outcome("out_coming_soon", "Colorectal cancer screening is coming soon",
                     "“COMING SOON! Colorectal Cancer Screening - Gaps in Care: Addition to "
                     "Cancer Screenings report. Currently includes breast and cervical cancer "
                     "screenings. Will include members attributed to PCPs between the ages of 50 "
                     "and 75 who have had an appropriate colorectal cancer screening.” No member "
                     "is on it yet.", Disposition.ANSWERED),
            _outcome("out_shared", "Shared with the PCP", _shared_text, Disposition.ANSWERED),
            _outcome("out_opted_out", "The member opted out",
                     "“Members may ‘Opt Out’ of sharing medical information electronically.” "
                     "The member opted out, so it is not shared electronically, and the reports "
                     f"“{rules.EXCLUSION_TEXT}”.", Disposition.ANSWERED),
            _outcome("out_consent_needed", "The member's consent form is needed", CONSENT_TEXT,
                     Disposition.ANSWERED),
            _outcome("out_icm", "Intensive Care Management (ICM)",
                     "“Intensive Care Management (ICM) is a voluntary, person-centered program "
                     "which supports HUSKY members in reaching their health goals through "
                     "education and access to quality healthcare.” “Each report now includes an "
                     "Intensive Care Management (ICM) status indicator.”\nReferrals:\n"
                     + contacts.contact_text(contacts.ICM_PHONE, contacts.ICM_FAX),
                     Disposition.REFERRED),
            _outcome("out_clear_coverage", "Medical Authorization Portal (Clear Coverage)",
                     "Technical Assistance and registration:\n" + contacts.contact_text(
                         contacts.TECH_CLEAR_COVERAGE, contacts.REGISTER_CLEAR_COVERAGE),
                     Disposition.REFERRED),
            _outcome("out_careportal", "Advanced Imaging Portal (CAREPortal)",
                     "Technical Assistance and registration:\n" + contacts.contact_text(
                         contacts.TECH_CAREPORTAL, contacts.REGISTER_CAREPORTAL),
                     Disposition.REFERRED),
            _outcome("out_careanalyzer", "CareAnalyzer®",
                     "Technical Assistance and Registration and Training:\n"
                     + contacts.contact_text(contacts.TECH_CAREANALYZER,
                                             contacts.REGISTER_CAREANALYZER),
                     Disposition.REFERRED),
            _outcome("out_call_center", "Provider Call Center",
                     contacts.contact_text(contacts.CALL_CENTER, contacts.CALL_CENTER_FAX),
                     Disposition.REFERRED),
        ),
    )
)
