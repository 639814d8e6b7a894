from django.urls import path

from . import decision_views, evaluation_views, review_views, revision_views

app_name = "approvals"

urlpatterns = [
    path("review/tasks/", review_views.task_list, name="tasks"),
    path("review/tasks/<int:pk>/", review_views.task_detail, name="task"),
    path("review/tasks/<int:pk>/draft/", review_views.task_draft, name="task_draft"),
    path("review/tasks/<int:pk>/assign/", review_views.task_assign, name="task_assign"),
    path("review/opinions/<int:pk>/sign/", decision_views.opinion_sign, name="opinion_sign"),
    path("review/opinions/<int:pk>/preview.pdf", decision_views.opinion_preview, name="opinion_preview"),
    path("review/projects/", review_views.review_list, name="projects"),
    path("review/projects/<int:pk>/", review_views.review_project, name="project"),
    path(
        "review/projects/<int:pk>/revisions/<int:number>/",
        revision_views.review_revision,
        name="project_revision",
    ),
    path("review/projects/<int:pk>/accept/", review_views.project_accept, name="project_accept"),
    path("review/projects/<int:pk>/return/", review_views.project_return, name="project_return"),
    path("review/projects/<int:pk>/approve/", review_views.project_approve, name="project_approve"),
    path("review/projects/<int:pk>/reject/", review_views.project_reject, name="project_reject"),
    path(
        "review/projects/<int:pk>/decision/<slug:kind>/", decision_views.decision_draft, name="decision_draft"
    ),
    path(
        "review/projects/<int:pk>/decision/<slug:kind>/preview.pdf",
        decision_views.decision_preview,
        name="decision_preview",
    ),
    path(
        "review/projects/<int:pk>/decision/<slug:kind>/confirm/",
        decision_views.decision_confirm,
        name="decision_confirm",
    ),
    path("review/projects/<int:pk>/agencies/", review_views.project_add_agency, name="project_add_agency"),
    path(
        "review/projects/<int:pk>/experts/", review_views.project_invite_expert, name="project_invite_expert"
    ),
    path(
        "review/projects/<int:pk>/evaluation/", evaluation_views.project_evaluation, name="project_evaluation"
    ),
    path(
        "review/projects/<int:pk>/evaluations/<int:evaluation_pk>/report/",
        evaluation_views.evaluation_report,
        name="evaluation_report",
    ),
    path(
        "review/projects/<int:pk>/government-review/",
        evaluation_views.project_government_flag,
        name="project_government_flag",
    ),
    path(
        "review/projects/<int:pk>/government-review/clear/",
        evaluation_views.project_government_clear,
        name="project_government_clear",
    ),
    path(
        "review/projects/<int:pk>/government-consent/",
        evaluation_views.project_government_consent,
        name="project_government_consent",
    ),
    path("review/invitations/<int:pk>/", review_views.invitation_submit, name="invitation_submit"),
]
