"""The report catalog of seed 003 (Using Provider Portal Reports to Manage HUSKY Members): every
report it lists, by family, in its own words. Frozen here; admins correct it in the admin."""

from django.db import migrations

EXCLUDES = "Dual Eligible and Opt-Out Members"
BREAST_NOTE = (
    "The seed disagrees with itself on the breast band: its text says “females between the ages "
    "of 52 to 74”, the sample report header says “Ages 50-74 (Breast Cancer)”. SupportDesk "
    "computes 52 to 74; a woman aged 50 or 51 may still be listed on the portal's report. "
    "Cervical: “last test/service” is read as the last cervical cytology test."
)

FAMILIES = [
    ("gaps-in-care", "Gaps in Care Reports"),
    ("utilization", "Utilization Reports"),
    ("panel", "Panel Reports"),
]

# (family, slug, rule_key, name, header, population, shows, exclusions, coming_soon, note,
#  keywords, [(what, window), ...])
REPORTS = [
    (
        "gaps-in-care", "adult-diabetes", "adult_diabetes", "Adult Diabetes Screening Tests",
        "Gaps in Care: Adult Diabetes (Type 1 and 2) · Ages 18-75 · Excludes Dual Eligible and "
        "Opt-Out Members",
        "Members ages 18 to 75 with a diabetes diagnosis or diabetic prescription reported within "
        "the last two years and considered a Type 1 or Type 2 diabetic",
        "Provides last service date for HbA1c, LDL-C, Nephropathy testing, or retinal eye exam",
        EXCLUDES, False,
        "The seed names no interval for the tests: a date on record is shown as it is, no record "
        "shows ‘Due’ (as in the sample rows).",
        "diabetes diabetic a1c hba1c ldl cholesterol kidney nephropathy retinal eye exam adult",
        [("Diabetes diagnosis or diabetic prescription", "reported within the last two years")],
    ),
    (
        "gaps-in-care", "adult-preventive-21-49", "adult_preventive_21_49",
        "Adult Preventive Visits Age 21-49",
        "Gaps in Care: Preventive Adult Visits · Age 21-49 · Excludes Dual Eligible and Opt-Out "
        "Members",
        "Members between the ages of 21 and 49, including their last preventive service date, if "
        "applicable",
        "Last preventive service date, if applicable",
        EXCLUDES, False, "",
        "preventive visit well visit physical checkup annual exam adult wellness",
        [],
    ),
    (
        "gaps-in-care", "adult-preventive-50-64", "adult_preventive_50_64",
        "Adult Preventive Visits Age 50-64",
        "Gaps in Care: Preventive Adult Visits · Age 50-64 · Excludes Dual Eligible and Opt-Out "
        "Members",
        "Members between the ages of 50 and 64, including their last preventive service date, if "
        "applicable",
        "Last preventive service date, if applicable",
        EXCLUDES, False, "",
        "preventive visit well visit physical checkup annual exam adult wellness older",
        [],
    ),
    (
        "gaps-in-care", "cancer-screenings", "cancer_screenings", "Cancer Screenings",
        "Gaps in Care: Adult Female Cancer Screenings · Ages 50-74 (Breast Cancer) and 24-64 "
        "(Cervical Cancer) · Excludes Dual Eligible and Opt-Out Members",
        "Provides the status for breast cancer and cervical cancer screenings for females "
        "between the ages of 24 to 74",
        "Breast cancer screening includes females between the ages of 52 to 74 without a history "
        "of mastectomy\n"
        "Cervical cancer screening includes females between the ages of 24 to 64 without a "
        "history of hysterectomy",
        EXCLUDES, False, BREAST_NOTE,
        "cancer screening breast mammogram mammography cervical pap smear cytology hpv women "
        "female mastectomy hysterectomy",
        [
            ("Breast: ‘Due’", "if the last test or service was over a year ago, or there is no "
             "record of a previous test"),
            ("Cervical: ‘Due’", "if the last test/service was over 3 years ago or there is no "
             "record of a previous test"),
            ("Cervical: not ‘Due’", "with HPV testing within the last 5 years and the last "
             "cervical cytology test within the last 5 years"),
        ],
    ),
    (
        "gaps-in-care", "child-diabetes", "child_diabetes", "Child Diabetes Screening Tests",
        "Gaps in Care: Child Diabetes (Type 1 and 2) · Ages 04-17 · Excludes Dual Eligible and "
        "Opt-Out Members",
        "Members ages 4 to 17 with a diabetes diagnosis or diabetic prescription reported within "
        "the last two years, and considered a Type 1 or Type 2 diabetic",
        "Provides last service date for Nephropathy testing or retinal eye exam",
        EXCLUDES, False, "",
        "diabetes diabetic child children pediatric kidney nephropathy retinal eye exam",
        [("Diabetes diagnosis or diabetic prescription", "reported within the last two years")],
    ),
    (
        "gaps-in-care", "child-well-care", "child_well_care", "Child Well-Care Visits",
        "Gaps in Care: Child Well Care Visits · Ages 0-21 · Excludes Dual Eligible and Opt-Out "
        "Members",
        "Members between the ages 0 and 21 with well-child visits",
        "Well-child visits\nDevelopmental screenings for children ages up to 18",
        EXCLUDES, False,
        "“Ages up to 18” is read as under 18 (0 to 17) for developmental screenings.",
        "well child well-care visit children pediatric developmental screening kids checkup",
        [],
    ),
    (
        "gaps-in-care", "colorectal-cancer-screening", "colorectal",
        "Colorectal Cancer Screening - Gaps in Care",
        "",
        "Will include members attributed to PCPs between the ages of 50 and 75 who have had an "
        "appropriate colorectal cancer screening",
        "Addition to Cancer Screenings report (currently includes breast and cervical cancer "
        "screenings)",
        EXCLUDES, True, "COMING SOON! Not on the portal yet.",
        "colorectal colon cancer screening colonoscopy",
        [],
    ),
    (
        "utilization", "daily-admission-discharge", "daily_admission_discharge",
        "Daily Admission and Discharge Report",
        "Daily Admission and Discharge · Excludes Dual Eligible and Opt-Out Members",
        "Members currently admitted to a facility\nMembers for whom information about a "
        "discharge has been received within the last thirty days",
        "Daily Admission and Discharge information to identify members in need of follow-up "
        "visits (download from the Provider Portal)",
        EXCLUDES, False, "",
        "admission admitted discharge discharged hospital facility inpatient follow-up daily",
        [("Discharge information received", "within the last thirty days")],
    ),
    (
        "utilization", "ed-utilization", "ed_utilization", "ED Utilization Report",
        "",
        "Members with one or more trips to the Emergency Department (ED) during the previous 6 "
        "months for emergent or non-emergent care paid in the prior month",
        "Includes member's last preventive or office visit\nED visits with reason/diagnosis which "
        "could typically be handled in the primary care setting; high ED users",
        EXCLUDES, False,
        "The seed has no sample page for this report: the exclusions are assumed to match the "
        "other reports'. “Previous 6 months” counts back from the day the report is read; “the "
        "prior month” is the calendar month before it.",
        "ed er emergency room department visits trips high users utilizers non-emergent",
        [("ED trips", "during the previous 6 months"), ("Claims", "paid in the prior month")],
    ),
    (
        "utilization", "inpatient-claims", "inpatient_claims", "Inpatient Claims Report",
        "Inpatient Stay Claim Activity · Excludes Dual Eligible and Opt-Out Members",
        "Members with inpatient hospital claims",
        "Inpatient hospital claims: date of service, facility, diagnosis",
        EXCLUDES, False, "",
        "inpatient hospital claims stay admission facility",
        [("Date of service", "within 1 year"), ("Claims", "paid in the last three months")],
    ),
    (
        "panel", "patient-panel", "patient_panel", "Patient Panel Report",
        "Patient Panel",
        "Members attributed to the PCP's TIN",
        "Member information including name, address, telephone number, date of birth\n"
        "PCP name with attributed effective date\n"
        "Member dual eligibility status for Medicare and Medicaid\n"
        "ICM status indicator",
        "", False,
        "The sample header carries no exclusion line and the report lists dual eligibility "
        "status, so dual eligible members are listed here.",
        "panel roster attributed attribution practice members list pcp effective date dual "
        "eligible address telephone",
        [("Attribution", "refreshed monthly; 15 months of claims history")],
    ),
]


def add(apps, schema_editor):
    ReportFamily = apps.get_model("husky_reports", "ReportFamily")
    Report = apps.get_model("husky_reports", "Report")
    LookBackWindow = apps.get_model("husky_reports", "LookBackWindow")
    families = {}
    for position, (slug, name) in enumerate(FAMILIES):
        families[slug], _ = ReportFamily.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for position, row in enumerate(REPORTS):
        (family, slug, rule_key, name, header, population, shows, exclusions, coming_soon, note,
         keywords, windows) = row
        report, _ = Report.objects.update_or_create(slug=slug, defaults={
            "family": families[family], "rule_key": rule_key, "name": name, "header": header,
            "population": population, "shows": shows, "exclusions": exclusions,
            "icm_indicator": not coming_soon, "coming_soon": coming_soon, "note": note,
            "keywords": keywords, "position": position,
        })
        report.look_back_windows.all().delete()
        for index, (what, window) in enumerate(windows):
            LookBackWindow.objects.create(report=report, what=what, window=window, position=index)


def remove(apps, schema_editor):
    apps.get_model("husky_reports", "Report").objects.all().delete()
    apps.get_model("husky_reports", "ReportFamily").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("husky_reports", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
