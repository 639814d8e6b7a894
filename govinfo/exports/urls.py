from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("<slug:identifier>.<str:fmt>", views.export, name="export"),
    path("<slug:identifier>.<str:fmt>/job/", views.start, name="start"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("jobs/<uuid:pk>/status.json", views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
