from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.verify_upload, name="verify"),
    path("verify/<slug:token>/", views.verify_document, name="verify_document"),
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("approvals/documents/<int:pk>/download/", views.legacy_download, name="legacy_download"),
]
