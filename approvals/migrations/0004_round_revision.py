"""Review rounds point at the application revision they reviewed (issue 8 item 5).

Projects submitted before revisions existed get one backfilled revision, built from what they hold now
(``backfilled`` says so), and their rounds point at it: the demo and any existing database stay
consistent — every round has a revision, every submitted project at least one.
"""

import django.db.models.deletion
from django.db import migrations, models

SUBMIT_ACTIONS = ("projects.project.submitted", "projects.project.resubmitted")


def backfill(apps, schema_editor):
    from projects.models import ApplicationStage
    from projects.revisions import build_content, digest

    Project = apps.get_model("projects", "Project")
    ApplicationRevision = apps.get_model("projects", "ApplicationRevision")
    ReviewRound = apps.get_model("approvals", "ReviewRound")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    project_type = ContentType.objects.filter(app_label="projects", model="project").first()

    submitted = Project.objects.filter(
        models.Q(first_submitted_at__isnull=False) | models.Q(pk__in=ReviewRound.objects.values("project_id"))
    ).exclude(pk__in=ApplicationRevision.objects.values("project_id"))
    for project in submitted.select_related("lead_unit", "predecessor").order_by("pk"):
        content = build_content(project)
        latest_round = ReviewRound.objects.filter(project=project).order_by("-opened_at", "-id").first()
        if latest_round is not None and latest_round.stage != content["stage"]:
            # A two-step project back in draft after its 可研 批复: its rounds reviewed the 可研.
            content["stage"] = latest_round.stage
            content["stage_label"] = str(dict(ApplicationStage.choices)[latest_round.stage])
        submitter = None
        if project_type is not None:
            submitter = (
                AuditEvent.objects.filter(
                    target_type=project_type, target_id=str(project.pk), action__in=SUBMIT_ACTIONS
                )
                .exclude(actor=None)
                .order_by("-created_at", "-id")
                .values_list("actor_id", flat=True)
                .first()
            )
        revision = ApplicationRevision.objects.create(
            project=project,
            number=1,
            stage=content["stage"],
            submitted_by_id=submitter or project.created_by_id,
            submitted_at=project.submitted_at or project.first_submitted_at or project.created_at,
            content=content,
            content_sha256=digest(content),
            backfilled=True,
        )
        ReviewRound.objects.filter(project=project, revision__isnull=True).update(revision=revision)


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0003_documents_to_platform'),
        ('projects', '0004_applicationrevision'),
        ('audit', '0002_append_only_triggers'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='reviewround',
            name='revision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='review_rounds', to='projects.applicationrevision', verbose_name='申报版本'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
