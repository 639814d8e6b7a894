from django.urls import path

from . import monitoring_views as views

urlpatterns = [
    path("projects/<int:pk>/monitoring/", views.monitoring_page, name="monitoring"),
    path("projects/<int:pk>/monitoring/file/", views.file_report, name="monitoring_file"),
]
