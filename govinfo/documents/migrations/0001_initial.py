"""The 公文 engine moves from approvals to the platform: its models, not its tables.

``IssuedDocument`` and ``DocumentCounter`` keep their tables (``approvals_issueddocument``,
``approvals_documentcounter``), created by ``approvals.0001_initial``; this migration only declares
them in this app's state, and ``approvals.0003_documents_to_platform`` drops them from approvals'
state. No row is copied, so every issued number and file stays as it is. The content types are
renamed as well, so audit events and permissions that point at the documents keep pointing at them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import govinfo.documents.models

MOVED = ("issueddocument", "documentcounter")


def _move_content_types(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        # On a new database neither exists yet (post_migrate creates them): nothing to move.
        if not rows.filter(app_label=target, model=model).exists():
            rows.filter(app_label=source, model=model).update(app_label=target)


def to_platform(apps, schema_editor):
    _move_content_types(apps, schema_editor, "approvals", "documents")


def back_to_approvals(apps, schema_editor):
    _move_content_types(apps, schema_editor, "documents", "approvals")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The tables were created there; this app takes them over.
        ("approvals", "0002_review"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0002_seed_agencies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DocumentCounter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                        ("last_number", models.PositiveIntegerField(default=0, verbose_name="已用最大序号")),
                        ("agency", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.agency", verbose_name="机构")),
                    ],
                    options={
                        "verbose_name": "发文字号计数器",
                        "verbose_name_plural": "发文字号计数器",
                        "db_table": "approvals_documentcounter",
                        "constraints": [models.UniqueConstraint(fields=("agency", "year"), name="document_counter_agency_year")],
                    },
                ),
                migrations.CreateModel(
                    name="IssuedDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("opinion", "审核意见书"), ("approval", "批复"), ("acceptance", "验收意见")], max_length=16, verbose_name="文种")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                        ("number", models.PositiveIntegerField(verbose_name="序号")),
                        ("doc_number", models.CharField(max_length=64, unique=True, verbose_name="发文字号")),
                        ("title", models.CharField(max_length=255, verbose_name="标题")),
                        ("target_id", models.CharField(blank=True, max_length=64, verbose_name="对象编号")),
                        ("project_code", models.CharField(blank=True, max_length=64, verbose_name="项目代码")),
                        ("project_name", models.CharField(blank=True, max_length=255, verbose_name="项目名称")),
                        ("issued_at", models.DateTimeField(verbose_name="签发时间")),
                        ("pdf", models.FileField(max_length=200, upload_to=govinfo.documents.models._pdf_path, verbose_name="PDF 文件")),
                        ("sha256", models.CharField(max_length=64, unique=True, verbose_name="文件 SHA-256")),
                        ("content", models.JSONField(default=dict, verbose_name="规范化内容")),
                        ("content_fingerprint", models.CharField(max_length=64, verbose_name="内容指纹（SHA-256）")),
                        ("verification_token", models.CharField(max_length=64, unique=True, verbose_name="核验码")),
                        ("agency", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="issued_documents", to="orgs.agency", verbose_name="发文机关")),
                        ("issued_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="签发人")),
                        ("target_type", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype", verbose_name="对象类型")),
                    ],
                    options={
                        "verbose_name": "已签发公文",
                        "verbose_name_plural": "已签发公文",
                        "db_table": "approvals_issueddocument",
                        "ordering": ["-issued_at", "-id"],
                        "indexes": [models.Index(fields=["target_type", "target_id"], name="issued_document_target_idx")],
                        "constraints": [models.UniqueConstraint(fields=("agency", "year", "number"), name="issued_document_agency_year_number")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_platform, back_to_approvals, elidable=True),
    ]
