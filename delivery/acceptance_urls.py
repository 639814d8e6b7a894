from django.urls import path

from . import acceptance_views as views

urlpatterns = [
    path("projects/<int:pk>/acceptance/", views.acceptance_page, name="acceptance"),
    path("projects/<int:pk>/acceptance/trial/", views.start_trial, name="start_trial"),
    path("projects/<int:pk>/acceptance/materials/", views.upload_material, name="acceptance_upload"),
    path(
        "projects/<int:pk>/acceptance/materials/<int:material_pk>/download/",
        views.material_download,
        name="acceptance_material",
    ),
    path("projects/<int:pk>/acceptance/apply/", views.apply, name="apply"),
    path("projects/<int:pk>/acceptance/reapply/", views.reapply, name="reapply"),
    path("projects/<int:pk>/acceptance/extension/", views.request_extension, name="request_extension"),
    path(
        "projects/<int:pk>/acceptance/extension/<int:extension_pk>/decide/",
        views.decide_extension,
        name="decide_extension",
    ),
    path("projects/<int:pk>/acceptance/method/", views.record_method, name="record_method"),
    path("projects/<int:pk>/acceptance/experts/", views.invite_expert, name="invite_expert"),
    path("projects/<int:pk>/acceptance/pass/", views.pass_acceptance, name="pass"),
    path("projects/<int:pk>/acceptance/fail/", views.fail_acceptance, name="fail"),
    path("projects/<int:pk>/acceptance/report/", views.report_to_office, name="report_office"),
]
