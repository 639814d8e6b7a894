from django.db import migrations

from govinfo.orgs.agencies import ensure_seed_agencies


def seed(apps, schema_editor):
    ensure_seed_agencies(apps.get_model("orgs", "Agency"), apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
