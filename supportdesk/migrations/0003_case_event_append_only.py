"""On PostgreSQL, refuse UPDATE and DELETE of case events in the database itself.

The model and its queryset refuse them too; the trigger also stops raw SQL, the shell and
any future code path. TRUNCATE (used by test teardown) is a different statement and passes.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION supportdesk_case_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER supportdesk_caseevent_append_only
    BEFORE UPDATE OR DELETE ON supportdesk_caseevent
    FOR EACH ROW EXECUTE FUNCTION supportdesk_case_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS supportdesk_caseevent_append_only ON supportdesk_caseevent;
DROP FUNCTION IF EXISTS supportdesk_case_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("supportdesk", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
