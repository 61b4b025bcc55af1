"""On PostgreSQL, refuse UPDATE and DELETE of EC request events in the database itself.

The trigger calls the one append-only function from supportdesk's migration 0003 (it names the
table and the refused statement), so every history table answers the same way.
"""

from django.db import migrations

CREATE = """
CREATE TRIGGER ec_access_requestevent_append_only
    BEFORE UPDATE OR DELETE ON ec_access_ecrequestevent
    FOR EACH ROW EXECUTE FUNCTION supportdesk_case_event_append_only();
"""

DROP = "DROP TRIGGER IF EXISTS ec_access_requestevent_append_only ON ec_access_ecrequestevent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [('ec_access', '0004_ec_request_queue_and_batches'), ("supportdesk", "0003_case_event_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
