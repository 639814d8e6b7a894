from django.urls import path

from . import unit_views as views

urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/security/", views.record_finding, name="record_finding"),
    path("units/<int:pk>/security/<int:finding_pk>/clear/", views.clear_finding, name="clear_finding"),
]
