from django.urls import path

from . import changes_views

urlpatterns = [
    path("projects/<int:pk>/changes/", changes_views.change_list, name="changes"),
    path("projects/<int:pk>/changes/report/", changes_views.change_report, name="change_report"),
    path("changes/<int:pk>/", changes_views.change_detail, name="change"),
    path("changes/<int:pk>/approval/draft/", changes_views.change_draft, name="change_draft"),
    path("changes/<int:pk>/approval/preview/", changes_views.change_preview, name="change_preview"),
    path("changes/<int:pk>/approval/confirm/", changes_views.change_confirm, name="change_confirm"),
    path("changes/<int:pk>/approve/", changes_views.change_approve, name="change_approve"),
    path("changes/<int:pk>/refuse/", changes_views.change_refuse, name="change_refuse"),
    path("changes/<int:pk>/acknowledge/", changes_views.change_acknowledge, name="change_acknowledge"),
]
