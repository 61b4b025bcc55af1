"""Create the three role groups with the permission each role's views ask for."""

from django.db import migrations

# Frozen here rather than imported from roles.py: a migration must not change when code does.
ROLES = {
    "Web specialist": ["work_cases"],
    "Access management": ["work_ec_queue"],
    "Supervisor": ["review_cases"],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type, _ = ContentType.objects.get_or_create(app_label="supportdesk", model="case")
    names = {
        "work_cases": "Can start and work guided cases",
        "review_cases": "Can review every case and its transcript",
        "work_ec_queue": "Can work the EC access request queue",
    }
    for group_name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=case_type, codename=codename, defaults={"name": names[codename]}
            )
            group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supportdesk", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
