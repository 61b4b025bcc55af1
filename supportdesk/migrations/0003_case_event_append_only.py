"""Once a hand-written PostgreSQL trigger (refusing UPDATE and DELETE of case events, with the shared function every history table called). The trigger is
now declared in the model's Meta (supportdesk.models.AppendOnly, django-pgtrigger) and installed
by migration 0011, which also drops the one this migration used to create on existing databases.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("supportdesk", "0002_roles")]

    operations: list[migrations.operations.base.Operation] = []
