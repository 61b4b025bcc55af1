"""HUSKY provider-portal report rules, from seed 003 (Using Provider Portal Reports to Manage
HUSKY Members, a DSS PCMH presentation by CHNCT). Plain functions over plain values: dates are
passed in, nothing reads the database or the clock.

One module per part of the seed: ``reports`` (the reports, their ages and look-back periods),
``screening`` (breast and cervical screening status), ``attribution`` (attribution and the
monthly refresh), ``sharing`` (what is shared with the PCP) and ``membership`` (who appears on
each report; ``check_report`` puts them together for the member checker and the provider flow).
Everything is importable from ``husky_reports.rules`` itself.

How ages, bands and "within the last N years" are counted is decided once, in ``dates.py``.
"""

from __future__ import annotations

from .attribution import (  # noqa: F401
    Attribution,
    attribution,
    last_refresh,
    next_refresh,
)
from .membership import (  # noqa: F401
    MemberFacts,
    ReportCheck,
    Why,
    check_all,
    check_report,
    excluded,
)
from .reports import (  # noqa: F401
    ADULT_DIABETES_AGES,
    ADULT_PREVENTIVE_OLDER,
    ADULT_PREVENTIVE_YOUNGER,
    ATTRIBUTION_CLAIMS_MONTHS,
    AVAILABLE_REPORTS,
    BREAST_AGES,
    BREAST_AGES_HEADER,
    BREAST_BAND_NOTE,
    CANCER_SCREENING_AGES,
    CERVICAL_AGES,
    CHILD_DIABETES_AGES,
    CHILD_WELL_CARE_AGES,
    COLORECTAL_AGES,
    COMING_SOON,
    DEVELOPMENTAL_SCREENING_AGES,
    DIABETES_LOOK_BACK_MONTHS,
    DISCHARGE_LOOK_BACK_DAYS,
    ED_LOOK_BACK_MONTHS,
    EXCLUSION_TEXT,
    INPATIENT_PAID_MONTHS,
    INPATIENT_SERVICE_MONTHS,
    REPORT_NAMES,
    SEED,
    Diabetes,
    ReportKey,
    Sex,
)
from .screening import (  # noqa: F401
    Measure,
    Status,
    breast_screening,
    cervical_screening,
    last_service,
)
from .sharing import (  # noqa: F401
    INFORMATION_LABELS,
    SENSITIVE,
    Information,
    Sharing,
    sharing,
)
