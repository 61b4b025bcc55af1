from django.db import migrations


def recount(apps: object, schema_editor: object) -> None:
    """Recount StepDay with a form's typed answer (and every other step with one way on) as
    one row per step (rollups.branch_taken): the rollups' own SQL, as 0014 and 0016 did."""
    from supportdesk.rollups import rebuild

    rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('supportdesk', '0016_rollup_months'),
    ]

    operations = [
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
