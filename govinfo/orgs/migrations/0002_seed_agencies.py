from django.db import migrations

from govinfo.orgs.agencies import SEED_AGENCIES


def seed(apps, schema_editor):
    Agency = apps.get_model("orgs", "Agency")
    Group = apps.get_model("auth", "Group")
    for order, (code, name, short, kind, prefix, default, focus) in enumerate(SEED_AGENCIES, start=1):
        if Agency.objects.filter(code=code).exists():
            continue
        group, _ = Group.objects.get_or_create(name=f"agency:{name}")
        Agency.objects.create(
            code=code,
            name=name,
            short_name=short,
            kind=kind,
            doc_prefix=prefix,
            reviews_by_default=default,
            review_focus=focus,
            sort_order=order * 10,
            group=group,
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
