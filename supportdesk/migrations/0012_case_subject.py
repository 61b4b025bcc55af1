"""A case's group and SL app move into ``Case.subject``, the subject fields the apps declare
(supportdesk/subjects.py), so the core model names no domain app's fields. Existing cases keep
theirs: the data moves before the columns go, and back again when unapplied."""

from django.db import migrations, models

SUBJECT_COLUMNS = ("group_number", "sl_app_number")
GIN_INDEX = "supportdesk_case_subject_gin"


def to_subject(apps, schema_editor):
    Case = apps.get_model("supportdesk", "Case")
    for case in Case.objects.exclude(group_number="", sl_app_number="").iterator(chunk_size=2000):
        case.subject = {name: getattr(case, name) for name in SUBJECT_COLUMNS if getattr(case, name)}
        case.save(update_fields=["subject"])


def from_subject(apps, schema_editor):
    Case = apps.get_model("supportdesk", "Case")
    for case in Case.objects.exclude(subject={}).iterator(chunk_size=2000):
        for name in SUBJECT_COLUMNS:
            setattr(case, name, str(case.subject.get(name, ""))[:12])
        case.save(update_fields=list(SUBJECT_COLUMNS))


def gin_index(apps, schema_editor):
    # PostgreSQL only (SQLite has no GIN; its small installs compare the key): jsonb_path_ops
    # answers the containment test subjects.matching() asks.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {GIN_INDEX} ON supportdesk_case "
                              "USING gin (subject jsonb_path_ops)")


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("supportdesk", "0011_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="case", name="subject", field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(to_subject, from_subject, elidable=False),
        migrations.RemoveField(model_name="case", name="group_number"),
        migrations.RemoveField(model_name="case", name="sl_app_number"),
        migrations.RunPython(gin_index, drop_gin_index),
    ]
