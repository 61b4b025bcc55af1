"""Once a hand-written PostgreSQL trigger (refusing UPDATE and DELETE of EC request events). The trigger is
now declared in the model's Meta (supportdesk.models.AppendOnly, django-pgtrigger) and installed
by migration 0009, which also drops the one this migration used to create on existing databases.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ec_access", "0004_ec_request_queue_and_batches"), ("supportdesk", "0003_case_event_append_only")]

    operations: list[migrations.operations.base.Operation] = []
