"""The catalog notes 0002 stored called the presentation "the seed"; specialists read them on the
catalog page, so they name it as they know it. Only a note still exactly as 0002 wrote it is
rewritten: a note an admin has edited is left alone. ensure_catalog() runs rewrite() too, after
it loads 0002's rows into emptied tables."""

from django.db import migrations

# 0002's wording → the wording shown now.
NOTES = {
    "The seed disagrees with itself on the breast band: its text says “females between the ages "
    "of 52 to 74”, the sample report header says “Ages 50-74 (Breast Cancer)”. SupportDesk "
    "computes 52 to 74; a woman aged 50 or 51 may still be listed on the portal's report. "
    "Cervical: “last test/service” is read as the last cervical cytology test.":
    "The presentation disagrees with itself on the breast band: its text says “females between "
    "the ages of 52 to 74”, the sample report header says “Ages 50-74 (Breast Cancer)”. "
    "SupportDesk computes 52 to 74; a woman aged 50 or 51 may still be listed on the portal's "
    "report. Cervical: “last test/service” is read as the last cervical cytology test.",
    "The seed names no interval for the tests: a date on record is shown as it is, no record "
    "shows ‘Due’ (as in the sample rows).":
    "The presentation names no interval for the tests: a date on record is shown as it is, no "
    "record shows ‘Due’ (as in the sample rows).",
    "The seed has no sample page for this report: the exclusions are assumed to match the "
    "other reports'. “Previous 6 months” counts back from the day the report is read; “the "
    "prior month” is the calendar month before it.":
    "The presentation has no sample page for this report: SupportDesk assumes its exclusions "
    "match the other reports'. “Previous 6 months” counts back from the day the report is read; "
    "“the prior month” is the calendar month before it.",
}


def _replace(apps, mapping):
    Report = apps.get_model("husky_reports", "Report")
    for old, new in mapping.items():
        Report.objects.filter(note=old).update(note=new)


def rewrite(apps, schema_editor):
    _replace(apps, NOTES)


def restore(apps, schema_editor):
    _replace(apps, {new: old for old, new in NOTES.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("husky_reports", "0003_rule_key_help_text"),
    ]

    operations = [
        migrations.RunPython(rewrite, restore),
    ]
