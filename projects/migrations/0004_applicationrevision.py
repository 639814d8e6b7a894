"""Application revisions (issue 8 item 5). The database itself refuses to change a revision, as it does
for audit events (audit 0002): UPDATE on SQLite and PostgreSQL, DELETE on PostgreSQL only (SQLite's test
runner empties tables with DELETE; PostgreSQL flushes with TRUNCATE, which row triggers do not see).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SQLITE_FORWARD = [
    """CREATE TRIGGER application_revision_no_update BEFORE UPDATE ON projects_applicationrevision
       BEGIN SELECT RAISE(ABORT, 'application revisions are immutable'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS application_revision_no_update;"]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION application_revision_immutable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'application revisions are immutable'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER application_revision_no_change BEFORE UPDATE OR DELETE ON projects_applicationrevision
       FOR EACH ROW EXECUTE FUNCTION application_revision_immutable();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS application_revision_no_change ON projects_applicationrevision;",
    "DROP FUNCTION IF EXISTS application_revision_immutable();",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0003_amounts_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApplicationRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='版本号')),
                ('stage', models.CharField(choices=[('implementation', '实施方案'), ('feasibility', '可行性研究报告'), ('preliminary_design', '初步设计方案'), ('service_plan', '服务需求方案')], max_length=24, verbose_name='申报阶段')),
                ('submitted_at', models.DateTimeField(verbose_name='申报时间')),
                ('content', models.JSONField(verbose_name='申报内容')),
                ('content_sha256', models.CharField(max_length=64, verbose_name='内容 SHA-256')),
                ('backfilled', models.BooleanField(default=False, help_text='启用申报版本前已申报的项目，按补录时的申报内容形成', verbose_name='补录')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='projects.project', verbose_name='项目')),
                ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申报人')),
            ],
            options={
                'verbose_name': '申报版本',
                'verbose_name_plural': '申报版本',
                'ordering': ['project', 'number'],
                'constraints': [models.UniqueConstraint(fields=('project', 'number'), name='application_revision_number')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
