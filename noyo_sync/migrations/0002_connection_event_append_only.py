"""On PostgreSQL, refuse UPDATE and DELETE of connection history rows in the database itself."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION noyo_sync_connection_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Noyo connection history is append-only: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER noyo_sync_groupconnectionevent_append_only
    BEFORE UPDATE OR DELETE ON noyo_sync_groupconnectionevent
    FOR EACH ROW EXECUTE FUNCTION noyo_sync_connection_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS noyo_sync_groupconnectionevent_append_only ON noyo_sync_groupconnectionevent;
DROP FUNCTION IF EXISTS noyo_sync_connection_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("noyo_sync", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
