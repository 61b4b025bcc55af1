"""Attribution and the monthly refresh: seed 003, Member Attribution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supportdesk.dates import date_text

from ..dates import add_months, first_of_month, no_later_than
from .reports import ATTRIBUTION_CLAIMS_MONTHS


def last_refresh(on: dt.date) -> dt.date:
    """"Attribution is refreshed monthly" (seed 003, Member Attribution). Vague as to the day: the
    Patient Panel sample's "Member's Effective Date with PCP" is always the 1st of a month
    (3/1/2015, 6/1/2015 …), so we refresh on the 1st, counting what happened before that day."""
    return first_of_month(on)


def next_refresh(on: dt.date) -> dt.date:
    return add_months(first_of_month(on), 1)


@dataclass(frozen=True)
class Attribution:
    attributed: bool
    reason: str
    basis: str = ""  # "self selection", "claims history", "Patient Panel Report"
    pending_until: dt.date | None = None  # the refresh that will bring the member in
    drops_at: dt.date | None = None  # claims attribution: the refresh that ends it, no new visit
    next_refresh: dt.date | None = None


def attribution(*, on: dt.date, on_panel: bool = False, self_selected_on: dt.date | None = None,
                last_pcp_visit_on: dt.date | None = None, visit_qualifies: bool = False
                ) -> Attribution:
    """"Members are attributed to a PCP by claims history or self selection. Attribution by claims
    history based on: 15 months of claims history; Preventive and Evaluation & Management (E&M)
    procedure codes; Specific Clinic Revenue Codes; Providers flagged as PCPs in CHNCT's system.
    […] Based on members attributed to the PCP's TIN. Attribution is refreshed monthly"
    (seed 003, Member Attribution).

    Vague: the claims conditions are read together: a claim in the 15 months before a refresh,
    billed with a preventive or E&M procedure code or a specific clinic revenue code, by a
    provider flagged as a PCP. Anything after the last refresh counts from the next one."""
    no_later_than(on, self_selected_on, last_pcp_visit_on)
    refreshed, upcoming = last_refresh(on), next_refresh(on)
    if on_panel:
        return Attribution(True, "The member is on the practice's Patient Panel Report: "
                           "attributed to the PCP's TIN.", "Patient Panel Report",
                           next_refresh=upcoming)
    if self_selected_on is not None and self_selected_on < refreshed:
        return Attribution(True, "Attributed by self selection.", "self selection",
                           next_refresh=upcoming)
    window_start = add_months(refreshed, -ATTRIBUTION_CLAIMS_MONTHS)
    claim = last_pcp_visit_on if visit_qualifies else None
    if claim is not None and window_start <= claim < refreshed:
        # A visit counts at each refresh r with r - 15 months <= visit: the last such refresh is
        # the 1st of the visit's month + 15 months, so the one after it drops the member.
        drops = add_months(first_of_month(claim), ATTRIBUTION_CLAIMS_MONTHS + 1)
        return Attribution(True, "Attributed by claims history: a qualifying visit within the 15 "
                           "months of claims history.", "claims history", drops_at=drops,
                           next_refresh=upcoming)
    if (self_selected_on is not None) or (claim is not None and claim >= refreshed):
        what = "self selection" if self_selected_on is not None else "visit"
        return Attribution(False, f"The {what} came after the last monthly refresh "
                           f"({date_text(refreshed)}). Attribution is refreshed monthly: the member "
                           f"should be attributed from the next refresh ({date_text(upcoming)}).",
                           pending_until=upcoming, next_refresh=upcoming)
    if last_pcp_visit_on is not None and not visit_qualifies:
        reason = ("The visit does not count for attribution: claims history counts preventive "
                  "and Evaluation & Management (E&M) procedure codes or specific clinic revenue "
                  "codes, by providers flagged as PCPs in CHNCT's system.")
    elif claim is not None:
        reason = (f"The last qualifying visit ({date_text(claim)}) is older than the 15 months of "
                  "claims history, and the member has not selected this PCP.")
    else:
        reason = ("No self selection and no qualifying visit in the 15 months of claims history: "
                  "members are attributed to a PCP by claims history or self selection.")
    return Attribution(False, reason, next_refresh=upcoming)
