"""Once a hand-written PostgreSQL trigger (refusing UPDATE and DELETE of connection history rows). The trigger is
now declared in the model's Meta (supportdesk.models.AppendOnly, django-pgtrigger) and installed
by migration 0009, which also drops the one this migration used to create on existing databases.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("noyo_sync", "0001_initial"), ("supportdesk", "0003_case_event_append_only")]

    operations: list[migrations.operations.base.Operation] = []
