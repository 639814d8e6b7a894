from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("verify/", views.verify_upload, name="verify"),
    path("verify/<str:token>/", views.verify_document, name="verify_document"),
    path("approvals/documents/<int:pk>/download/", views.document_download, name="document_download"),
]
