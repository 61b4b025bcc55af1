"""The append-only triggers, from django-pgtrigger (supportdesk.models.AppendOnly in each
model's Meta), in place of the hand-written ones of migrations 0003-0005.

On a database those migrations ran on, the old triggers and their shared function go first. The
function is dropped with CASCADE: the EC request and Noyo connection tables' old triggers called
it too, and their apps' next migrations (which run after this one) install their replacements.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


OLD_TRIGGERS = """
DROP TRIGGER IF EXISTS supportdesk_caseevent_append_only ON supportdesk_caseevent;
DROP TRIGGER IF EXISTS supportdesk_casereview_append_only ON supportdesk_casereview;
DROP TRIGGER IF EXISTS supportdesk_auditentry_append_only ON supportdesk_auditentry;
DROP FUNCTION IF EXISTS supportdesk_case_event_append_only() CASCADE;
"""


def drop_old_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_TRIGGERS, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('supportdesk', '0010_case_incident_number'),
    ]

    operations = [
        migrations.RunPython(drop_old_triggers, migrations.RunPython.noop),
        pgtrigger.migrations.AddTrigger(
            model_name='auditentry',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION '% rows are append-only: % is refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';", hash='5566003ee389868deeeb3f0f2f2f50b3aa5e8ad1', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_2d4a7', table='supportdesk_auditentry', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='caseevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION '% rows are append-only: % is refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';", hash='7c13e7975eacc611d676de7f7ea3714f2b9b72ef', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_816c5', table='supportdesk_caseevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='casereview',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION '% rows are append-only: % is refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';", hash='a3545935af151c0f6b5122737c7287b3df93f0ed', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_ef1fd', table='supportdesk_casereview', when='BEFORE')),
        ),
    ]
