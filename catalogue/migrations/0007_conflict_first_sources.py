"""The conflicts page reads the sources it lists by id, kept with each key by the recount."""

from django.db import migrations, models


def fill(apps, schema_editor):
    """The first sources of every key in conflict, as the conflicts page now reads them."""
    from catalogue.conflicts import rebuild

    rebuild(apps.get_model("catalogue", "DataItem"), apps.get_model("catalogue", "ConflictKey"))


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0006_one_source_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='conflictkey',
            name='first_sources',
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
