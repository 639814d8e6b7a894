"""Audit events carry their case and their place in a hash chain (issue 11, item 5 and 6).

The columns arrive empty here; 0004 fills them for the events already written and seals the chain.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-seq"], "verbose_name": "审计记录", "verbose_name_plural": "审计记录"},
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(db_index=True, verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="case_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="案件类型",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="case_id",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="案件编号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="链序号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="前一条哈希"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="本条哈希（SHA-256）"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("seq", models.PositiveBigIntegerField(default=0, verbose_name="链序号")),
                ("hash", models.CharField(max_length=64, verbose_name="链头哈希")),
            ],
            options={"verbose_name": "审计链头", "verbose_name_plural": "审计链头"},
        ),
    ]
