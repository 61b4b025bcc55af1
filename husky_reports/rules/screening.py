"""Breast and cervical screening status and last services: seed 003, the Cancer Screenings
report and its measures."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from ..dates import add_months, no_later_than, within_months
from .reports import BREAST_AGES, BREAST_AGES_HEADER, BREAST_BAND_NOTE, CERVICAL_AGES, Sex


class Status(enum.StrEnum):
    DUE = "Due"
    NOT_DUE = "Not due"
    ON_RECORD = "On record"
    NOT_APPLICABLE = "Not applicable"


@dataclass(frozen=True)
class Measure:
    name: str
    status: Status
    reason: str
    last_service: dt.date | None = None
    note: str = ""


def breast_screening(*, sex: Sex, age: int, mastectomy: bool, last_mammogram: dt.date | None,
                     on: dt.date) -> Measure:
    """"Breast cancer screening includes females between the ages of 52 to 74 without a history
    of mastectomy. If a member's last test or service was over a year ago, or if there is no
    record of a previous test, the member is considered 'Due'" (seed 003, Cancer Screenings).
    A test exactly one year before ``on`` is not over a year ago."""
    no_later_than(on, last_mammogram)
    name = "Breast cancer screening"
    if sex != Sex.FEMALE:
        return Measure(name, Status.NOT_APPLICABLE, "Breast cancer screening includes females.")
    note = BREAST_BAND_NOTE if age in BREAST_AGES_HEADER and age not in BREAST_AGES else ""
    if age not in BREAST_AGES:
        return Measure(name, Status.NOT_APPLICABLE, f"Breast cancer screening includes females "
                       f"between the ages of {BREAST_AGES}; the member is {age}.", note=note)
    if mastectomy:
        return Measure(name, Status.NOT_APPLICABLE,
                       "Breast cancer screening includes females without a history of mastectomy.")
    if last_mammogram is None:
        return Measure(name, Status.DUE, "There is no record of a previous test: 'Due'.")
    if last_mammogram < add_months(on, -12):
        return Measure(name, Status.DUE, "The member's last test or service was over a year ago: "
                       "'Due'.", last_mammogram)
    return Measure(name, Status.NOT_DUE, "The last test or service was within the last year.",
                   last_mammogram)


def cervical_screening(*, sex: Sex, age: int, hysterectomy: bool, last_cytology: dt.date | None,
                       last_hpv: dt.date | None, on: dt.date) -> Measure:
    """"Cervical cancer screening includes females between the ages of 24 to 64 without a history
    of hysterectomy. Member is considered 'Due' if last test/service was over 3 years ago or there
    is no record of a previous test. Member is not considered 'Due' if they have a history of HPV
    testing within the last 5 years, and their last cervical cytology test occurred within the
    last 5 years" (seed 003, Cancer Screenings).

    Vague: "last test/service" is read as the last cervical cytology test; an HPV test alone does
    not count, since the seed's exception asks for both. Exactly 3 years is not over 3 years;
    exactly 5 years is within 5 years."""
    no_later_than(on, last_cytology, last_hpv)
    name = "Cervical cancer screening"
    if sex != Sex.FEMALE:
        return Measure(name, Status.NOT_APPLICABLE, "Cervical cancer screening includes females.")
    if age not in CERVICAL_AGES:
        return Measure(name, Status.NOT_APPLICABLE, f"Cervical cancer screening includes females "
                       f"between the ages of {CERVICAL_AGES}; the member is {age}.")
    if hysterectomy:
        return Measure(name, Status.NOT_APPLICABLE, "Cervical cancer screening includes females "
                       "without a history of hysterectomy.")
    if last_cytology is None:
        return Measure(name, Status.DUE, "There is no record of a previous test: 'Due'.")
    if last_cytology >= add_months(on, -36):
        return Measure(name, Status.NOT_DUE, "The last test/service was within the last 3 years.",
                       last_cytology)
    if within_months(last_hpv, on, 60) and within_months(last_cytology, on, 60):
        return Measure(name, Status.NOT_DUE, "Not considered 'Due': a history of HPV testing "
                       "within the last 5 years, and the last cervical cytology test occurred "
                       "within the last 5 years.", last_cytology)
    return Measure(name, Status.DUE, "The last test/service was over 3 years ago (and there is no "
                   "HPV test and cytology test both within the last 5 years): 'Due'.",
                   last_cytology)


def last_service(name: str, last: dt.date | None, on: dt.date) -> Measure:
    """Reports that "provide last service date" (diabetes tests, preventive and well-child
    visits). Vague: the seed names no interval for these. Its sample rows print 'Due' where no
    date is on record, so no record is 'Due'; a date on record is shown, not judged."""
    no_later_than(on, last)
    if last is None:
        return Measure(name, Status.DUE, "No service on record: the report shows 'Due'.")
    return Measure(name, Status.ON_RECORD, "The report shows the last service date.", last)
