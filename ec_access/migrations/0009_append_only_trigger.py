"""The append-only trigger on ec_access_ecrequestevent, from django-pgtrigger
(supportdesk.models.AppendOnly in the model's Meta), in place of the hand-written one of
migration 0005, which is dropped first where it still exists.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


OLD_TRIGGER = "DROP TRIGGER IF EXISTS ec_access_requestevent_append_only ON ec_access_ecrequestevent;"


def drop_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_TRIGGER, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("supportdesk", "0011_append_only_triggers"),
        ('ec_access', '0008_plain_word_labels'),
    ]

    operations = [
        migrations.RunPython(drop_old_trigger, migrations.RunPython.noop),
        pgtrigger.migrations.AddTrigger(
            model_name='ecrequestevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION '% rows are append-only: % is refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';", hash='8ea339984363ff3a082668a2efcdde2ac7640962', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_66d60', table='ec_access_ecrequestevent', when='BEFORE')),
        ),
    ]
