"""The EC request queue's permission moves from the core's Case to the queue's own model
(ECRequest): "Can work the EC access request queue" becomes ec_access.work_ec_queue. Whoever
held the old one (the Access management group, any user given it directly) holds the new one,
and the old one is removed; unapplied, the other way round."""

from django.db import migrations

CODENAME = "work_ec_queue"
NAME = "Can work the EC access request queue"


def _move(apps, source, target):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    source_type, _ = ContentType.objects.get_or_create(app_label=source[0], model=source[1])
    target_type, _ = ContentType.objects.get_or_create(app_label=target[0], model=target[1])
    old = Permission.objects.filter(content_type=source_type, codename=CODENAME).first()
    new, _ = Permission.objects.get_or_create(content_type=target_type, codename=CODENAME,
                                              defaults={"name": NAME})
    if old is None:
        return
    for group in old.group_set.all():
        group.permissions.add(new)
    for user in old.user_set.all():
        user.user_permissions.add(new)
    old.delete()


def to_queue(apps, schema_editor):
    _move(apps, ("supportdesk", "case"), ("ec_access", "ecrequest"))


def to_case(apps, schema_editor):
    _move(apps, ("ec_access", "ecrequest"), ("supportdesk", "case"))


class Migration(migrations.Migration):
    dependencies = [
        ("ec_access", "0009_append_only_trigger"),
        ("supportdesk", "0013_case_options_no_ec_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="ecrequest",
            options={"ordering": ["-expedited", "created_at", "pk"],
                     "permissions": [("work_ec_queue", NAME)]},
        ),
        migrations.RunPython(to_queue, to_case),
    ]
