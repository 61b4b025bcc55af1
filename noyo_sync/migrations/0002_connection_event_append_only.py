"""On PostgreSQL, refuse UPDATE and DELETE of connection history rows in the database itself.

The trigger calls the one append-only function from supportdesk's migration 0003 (it names the
table and the refused statement), so every history table answers the same way.
"""

from django.db import migrations

CREATE = """
CREATE TRIGGER noyo_sync_groupconnectionevent_append_only
    BEFORE UPDATE OR DELETE ON noyo_sync_groupconnectionevent
    FOR EACH ROW EXECUTE FUNCTION supportdesk_case_event_append_only();
"""

DROP = "DROP TRIGGER IF EXISTS noyo_sync_groupconnectionevent_append_only ON noyo_sync_groupconnectionevent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [('noyo_sync', '0001_initial'), ("supportdesk", "0003_case_event_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
