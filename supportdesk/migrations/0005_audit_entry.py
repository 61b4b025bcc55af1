"""The audit trail, append-only in the database too.

The trigger reuses migration 0003's function, which refuses UPDATE and DELETE of any row of the
table it guards; TRUNCATE (test teardown) is a different statement and passes.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supportdesk', '0004_case_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(help_text='What was done, e.g. ec_request.grant.', max_length=64)),
                ('object_type', models.CharField(blank=True, help_text='app_label.model of the object.', max_length=100)),
                ('object_id', models.CharField(blank=True, max_length=64)),
                ('summary', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(blank=True, db_index=False, help_text="Empty for SupportDesk's own background work (Celery tasks, the poller).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_entries', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'audit entries',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['created_at'], name='audit_created_at'), models.Index(fields=['user', 'created_at'], name='audit_user_created_at'), models.Index(fields=['action', 'created_at'], name='audit_action_created_at', opclasses=['varchar_pattern_ops', 'timestamptz_ops'])],
            },
        ),
    ]
