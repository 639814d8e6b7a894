"""The 公文 engine's models leave approvals' state; their tables stay (see documents.0001_initial).

The review's foreign keys (``ReviewRound.decision_document``, ``Opinion.document``) now point at
``documents.IssuedDocument`` — the same table, so nothing changes in the database.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0002_review"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reviewround",
                    name="decision_document",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.issueddocument", verbose_name="批复文件"),
                ),
                migrations.AlterField(
                    model_name="opinion",
                    name="document",
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="documents.issueddocument", verbose_name="审核意见书"),
                ),
                migrations.DeleteModel(name="IssuedDocument"),
                migrations.DeleteModel(name="DocumentCounter"),
            ],
            database_operations=[],
        ),
    ]
