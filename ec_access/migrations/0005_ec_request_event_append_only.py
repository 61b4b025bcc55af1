"""On PostgreSQL, refuse UPDATE and DELETE of EC request events in the database itself."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ec_access_request_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'EC request events are append-only: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ec_access_requestevent_append_only
    BEFORE UPDATE OR DELETE ON ec_access_ecrequestevent
    FOR EACH ROW EXECUTE FUNCTION ec_access_request_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS ec_access_requestevent_append_only ON ec_access_ecrequestevent;
DROP FUNCTION IF EXISTS ec_access_request_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("ec_access", "0004_ec_request_queue_and_batches")]

    operations = [migrations.RunPython(forwards, backwards)]
