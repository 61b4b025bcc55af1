"""The member checker's form: only what the rules need, never a name or an ID.

A date of birth may be typed to work out the age precisely; ``clean()`` turns it into the age on
the check date and drops it, so it never reaches ``cleaned_data``, a case's answers or its
transcript. The provider flow uses the same form, cut down to the fields of one report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django import forms

from supportdesk import clock
from supportdesk.forms import refuse_dates_out_of_range

from . import search
from .dates import age_on
from .rules import INFORMATION_LABELS, Diabetes, Information, MemberFacts, ReportKey, Sex

DOB_FIELD = "date_of_birth"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput(), help_text=help_text)


def _flag(label: str, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


class MemberCheckForm(forms.Form):
    check_date = forms.DateField(
        label="Check as of", initial=clock.today, widget=DateInput(),
        help_text="Usually today. Attribution is refreshed monthly; ages and look-back windows "
        "are counted on this date.",
    )
    date_of_birth = forms.DateField(
        label="Date of birth (only to work out the age; never kept)", required=False,
        widget=DateInput(attrs={"autocomplete": "off"}),
        help_text="Or type the age below. SupportDesk keeps the age, not the date.",
    )
    age = forms.IntegerField(
        label="Age on the check date", required=False, min_value=0, max_value=125,
        help_text="Reports use age bands such as “ages 18 to 75”, both ends included.",
    )
    sex = forms.ChoiceField(
        label="Sex", choices=[("", "Choose…"), (Sex.FEMALE.value, "F"), (Sex.MALE.value, "M")],
        help_text="As on the report (F or M).",
    )
    dual_eligible = _flag("Dual eligible (Medicare and Medicaid)",
                          "Reports exclude Dual Eligible and Opt-Out Members.")
    opted_out = _flag("Opted out of sharing medical information electronically",
                      "Members may “Opt Out” of sharing medical information electronically.")
    on_panel = _flag("Already on this practice's Patient Panel Report",
                     "Reports are based on members attributed to the PCP's TIN.")
    self_selected_on = _date("Date the member selected this PCP (self selection)",
                             "Members are attributed to a PCP by claims history or self "
                             "selection.")
    last_pcp_visit_on = _date("Last visit with this practice's TIN",
                              "Attribution by claims history is based on 15 months of claims "
                              "history.")
    visit_by_flagged_pcp = _flag(
        "That visit counts for attribution",
        "Preventive and Evaluation & Management (E&M) procedure codes, or specific clinic revenue "
        "codes, billed by a provider flagged as a PCP in CHNCT's system.",
    )
    diabetes = forms.ChoiceField(
        label="Diabetes", initial=Diabetes.NONE.value, required=False,
        choices=[(Diabetes.NONE.value, "No diabetes diagnosis"),
                 (Diabetes.TYPE_1.value, "Type 1 diabetic"),
                 (Diabetes.TYPE_2.value, "Type 2 diabetic")],
        help_text="The diabetes reports list members considered a Type 1 or Type 2 diabetic.",
    )
    diabetes_reported_on = _date("Last diabetes diagnosis or diabetic prescription reported",
                                 "Must be reported within the last two years.")
    last_hba1c = _date("Last HbA1c test")
    last_ldl_c = _date("Last LDL-C test")
    last_nephropathy = _date("Last nephropathy testing")
    last_retinal_exam = _date("Last retinal eye exam")
    mastectomy = _flag("History of mastectomy")
    hysterectomy = _flag("History of hysterectomy")
    last_mammogram = _date("Last breast cancer screening (mammogram)",
                           "Over a year ago, or no record of a previous test: ‘Due’.")
    last_cytology = _date("Last cervical cytology test",
                          "Over 3 years ago, or no record of a previous test: ‘Due’.")
    last_hpv = _date("Last HPV test", "HPV testing and cervical cytology both within the last 5 "
                     "years: not ‘Due’.")
    last_preventive_visit = _date("Last preventive service (or office visit)")
    last_well_child_visit = _date("Last well-child visit")
    last_developmental_screening = _date("Last developmental screening",
                                         "Developmental screenings for children ages up to 18.")
    currently_admitted = _flag("Currently admitted to a facility")
    discharge_received_on = _date("Date the discharge information was received",
                                  "Within the last thirty days.")
    last_ed_visit = _date("Last Emergency Department (ED) visit",
                          "During the previous 6 months.")
    ed_paid_on = _date("Date that ED claim was paid", "Paid in the prior month.")
    inpatient_service_on = _date("Inpatient date of service", "Within 1 year.")
    inpatient_paid_on = _date("Date the inpatient claim was paid", "In the last three months.")

    FIELDSETS: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("Member", ("check_date", "date_of_birth", "age", "sex", "dual_eligible", "opted_out")),
        ("Attribution", ("on_panel", "self_selected_on", "last_pcp_visit_on",
                         "visit_by_flagged_pcp")),
        ("Diabetes", ("diabetes", "diabetes_reported_on", "last_hba1c", "last_ldl_c",
                      "last_nephropathy", "last_retinal_exam")),
        ("Cancer screenings", ("mastectomy", "hysterectomy", "last_mammogram", "last_cytology",
                               "last_hpv")),
        ("Visits", ("last_preventive_visit", "last_well_child_visit",
                    "last_developmental_screening")),
        ("Hospital and ED", ("currently_admitted", "discharge_received_on", "last_ed_visit",
                             "ed_paid_on", "inpatient_service_on", "inpatient_paid_on")),
    )
    # Pairs that must come in order: (earlier, later).
    ORDERED = (("last_ed_visit", "ed_paid_on"), ("inpatient_service_on", "inpatient_paid_on"))

    def fieldsets(self) -> Iterator[tuple[str, list[forms.BoundField]]]:
        for legend, names in self.FIELDSETS:
            bound = [self[name] for name in names if name in self.fields]
            if bound:
                yield legend, bound

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        refuse_dates_out_of_range(self)
        # The date of birth never stays in cleaned_data, whatever else is wrong.
        date_of_birth = data.pop(DOB_FIELD, None)
        on = data.get("check_date")
        if on is None:
            # Report a missing age now too: every error of an empty form shows in one round.
            if (date_of_birth is None and data.get("age") is None
                    and not {"age", DOB_FIELD} & set(self.errors)):
                self.add_error("age", "Type the age on the check date, or a date of birth.")
            return data
        typed = {**data, DOB_FIELD: date_of_birth}
        for name, value in typed.items():
            if (isinstance(value, dt.date) and name != "check_date" and value > on
                    and name not in self.errors):
                self.add_error(name, "This date is after the check date.")
        for earlier, later in self.ORDERED:
            if data.get(earlier) and data.get(later) and data[later] < data[earlier]:
                self.add_error(later, "The claim cannot be paid before the date of service.")
        if DOB_FIELD in self.errors:
            return data
        if date_of_birth is not None and date_of_birth <= on:
            computed = age_on(date_of_birth, on)
            if data.get("age") is not None and data["age"] != computed:
                self.add_error("age", f"The date of birth makes the member {computed} on the "
                               "check date. Clear one of the two.")
            else:
                data["age"] = computed
        elif data.get("age") is None and "age" not in self.errors:
            self.add_error("age", "Type the age on the check date, or a date of birth.")
        return data


# The fields each report needs in the provider flow, besides the member and attribution ones.
REPORT_FIELDS: dict[ReportKey, tuple[str, ...]] = {
    ReportKey.ADULT_DIABETES: ("diabetes", "diabetes_reported_on", "last_hba1c", "last_ldl_c",
                               "last_nephropathy", "last_retinal_exam"),
    ReportKey.CHILD_DIABETES: ("diabetes", "diabetes_reported_on", "last_nephropathy",
                               "last_retinal_exam"),
    ReportKey.ADULT_PREVENTIVE_21_49: ("last_preventive_visit",),
    ReportKey.ADULT_PREVENTIVE_50_64: ("last_preventive_visit",),
    ReportKey.CANCER_SCREENINGS: ("mastectomy", "hysterectomy", "last_mammogram",
                                  "last_cytology", "last_hpv"),
    ReportKey.CHILD_WELL_CARE: ("last_well_child_visit", "last_developmental_screening"),
    ReportKey.DAILY_ADMISSION_DISCHARGE: ("currently_admitted", "discharge_received_on"),
    ReportKey.ED_UTILIZATION: ("last_ed_visit", "ed_paid_on", "last_preventive_visit"),
    ReportKey.INPATIENT_CLAIMS: ("inpatient_service_on", "inpatient_paid_on"),
    ReportKey.PATIENT_PANEL: (),
}
COMMON_FIELDS = MemberCheckForm.FIELDSETS[0][1] + MemberCheckForm.FIELDSETS[1][1]


def member_form_for(report: ReportKey) -> type[MemberCheckForm]:
    """The checker cut down to ``report``'s fields (Django drops a field set to None)."""
    keep = set(COMMON_FIELDS) | set(REPORT_FIELDS[report])
    if report == ReportKey.PATIENT_PANEL:
        # The member is missing from the Patient Panel Report: asking whether they are on it
        # makes no sense; attribution (self selection, claims history) decides.
        keep.discard("on_panel")
    removed = {name: None for name in MemberCheckForm.base_fields if name not in keep}
    return type(f"MemberCheckForm_{report.value}", (MemberCheckForm,),
                {"__module__": __name__, **removed})


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def facts_from(data: Mapping[str, Any]) -> MemberFacts:
    """MemberFacts from the form's cleaned data, or from a case's stored answers (JSON)."""
    values: dict[str, Any] = {}
    for name in MemberFacts.__dataclass_fields__:
        if name == "on":
            continue
        if name in data and data[name] not in (None, ""):
            values[name] = data[name]
    for name in [n for n, v in values.items() if isinstance(v, str) and n not in
                 ("sex", "diabetes")]:
        values[name] = _as_date(values[name])
    values["sex"] = Sex(values["sex"])
    values["diabetes"] = Diabetes(values.get("diabetes") or Diabetes.NONE)
    values["age"] = int(values["age"])
    on = _as_date(data["check_date"])
    if on is None:  # the form requires it; a stored answer went through the form
        raise ValueError("A member check needs its check date.")
    return MemberFacts(on=on, **values)


class SharingForm(forms.Form):
    """What the provider asks for, and the member's choices about sharing it (seed 003)."""

    information = forms.ChoiceField(
        label="What information does the PCP want?",
        choices=[("", "Choose…"), *((kind.value, label) for kind, label in
                                   INFORMATION_LABELS.items())],
        help_text="Sensitive health information includes HIV, Substance Abuse and Behavioral "
        "Health.",
    )
    opted_out = _flag("The member opted out of sharing medical information electronically")
    consent_on_file = _flag(
        "The member's ‘Consent to Disclose Sensitive Health Information Form’ has been "
        "processed by HUSKY Health"
    )

    def sharing_information(self) -> Information:
        return Information(self.cleaned_data["information"])


class CatalogSearchForm(forms.Form):
    """The catalog search: sent as a POST, so what is typed never lands in a URL or a log, and
    refused when it looks like a member's name or ID (it only searches the report catalog)."""

    q = forms.CharField(
        label="Which report…?", max_length=200, required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "which report shows ED "
                                      "visits?", "autocomplete": "off"}),
        help_text="Ask in your own words or type keywords (mammogram, admission, panel). This "
        "searches report names and what they show: never type a member's name or ID here.",
    )

    def __init__(self, *args: Any, vocabulary: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vocabulary = vocabulary or set()

    def clean_q(self) -> str:
        question = " ".join(self.cleaned_data["q"].split())
        if search.looks_like_member_data(question, self.vocabulary):
            raise forms.ValidationError(
                "That looks like a member's name or ID. This search only finds reports (their "
                "names and what they show): type words about the report instead, such as ED "
                "visits, mammogram or panel.")
        return question
