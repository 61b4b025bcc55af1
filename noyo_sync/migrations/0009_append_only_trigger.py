"""The append-only trigger on noyo_sync_groupconnectionevent, from django-pgtrigger
(supportdesk.models.AppendOnly in the model's Meta), in place of the hand-written one of
migration 0002, which is dropped first where it still exists.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


OLD_TRIGGER = "DROP TRIGGER IF EXISTS noyo_sync_groupconnectionevent_append_only ON noyo_sync_groupconnectionevent;"


def drop_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_TRIGGER, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("supportdesk", "0011_append_only_triggers"),
        ('noyo_sync', '0008_plain_word_poll_trigger'),
    ]

    operations = [
        migrations.RunPython(drop_old_trigger, migrations.RunPython.noop),
        pgtrigger.migrations.AddTrigger(
            model_name='groupconnectionevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION '% rows are append-only: % is refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';", hash='958622cc47fbf104cc8d6c83e4bb6beb93a1cc44', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_5106c', table='noyo_sync_groupconnectionevent', when='BEFORE')),
        ),
    ]
