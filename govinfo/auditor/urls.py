from django.urls import path

from . import views

app_name = "auditor"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("registers/<slug:identifier>/", views.register, name="register"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/<slug:identifier>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("trail/", views.trail, name="trail"),
    path("chain/verify/", views.verify, name="verify"),
]
