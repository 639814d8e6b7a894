"""一数一源 (R-CAT-1) without grouping the whole catalogue: the provider of a published resource on each
item, and the keys in conflict kept in a table of their own."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    """The provider on every item of a published resource (the keys in conflict are counted by 0007)."""
    DataItem = apps.get_model("catalogue", "DataItem")
    Resource = apps.get_model("catalogue", "Resource")
    provider = Resource.objects.filter(pk=models.OuterRef("resource_id")).values("provider_id")[:1]
    DataItem.objects.filter(resource__state="published").update(
        published_provider_id=models.Subquery(provider)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_search_trigram_indexes"),
        ("orgs", "0004_seven_reviewing_agencies"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConflictKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("normalized_name", models.CharField(max_length=100)),
                (
                    "data_type",
                    models.CharField(
                        choices=[
                            ("string", "字符型"),
                            ("number", "数值型"),
                            ("date", "日期型"),
                            ("datetime", "日期时间型"),
                            ("boolean", "布尔型"),
                            ("binary", "二进制"),
                        ],
                        max_length=16,
                    ),
                ),
                ("providers", models.PositiveIntegerField()),
                ("sources", models.PositiveIntegerField()),
            ],
            options={
                "ordering": ["normalized_name", "data_type"],
            },
        ),
        migrations.AddField(
            model_name="dataitem",
            name="published_provider",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.unit",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="dataitem",
            index=models.Index(
                condition=models.Q(("published_provider__isnull", False)),
                fields=["normalized_name", "data_type", "published_provider"],
                name="catalogue_item_published_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="conflictkey",
            constraint=models.UniqueConstraint(
                fields=("normalized_name", "data_type"), name="catalogue_conflict_key_unique"
            ),
        ),
    ]
