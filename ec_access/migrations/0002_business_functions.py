"""The four business functions of seed 000."""

from django.db import migrations

FUNCTIONS = {
    "7125": "Go365 reports",
    "7126": "Go365 reports",
    "6869": "Humana Smart Insights (HSI)",
    "8581": "Group Medical Membership Snapshot",
}


def add(apps, schema_editor):
    BusinessFunction = apps.get_model("ec_access", "BusinessFunction")
    for code, name in FUNCTIONS.items():
        BusinessFunction.objects.update_or_create(code=code, defaults={"name": name})


def remove(apps, schema_editor):
    apps.get_model("ec_access", "BusinessFunction").objects.filter(code__in=FUNCTIONS).delete()


class Migration(migrations.Migration):
    dependencies = [("ec_access", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
