from django.urls import path

from . import revision_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.project_section, name="section"),
    path("<int:pk>/submit/", views.project_submit, name="submit"),
    path(
        "<int:pk>/return-to-feasibility/",
        views.project_return_to_feasibility,
        name="return_to_feasibility",
    ),
    path("<int:pk>/revisions/<int:number>/", revision_views.revision_detail, name="revision"),
    path("<int:pk>/resources/<int:link_pk>/remove/", views.resource_unlink, name="resource_unlink"),
    path("<int:pk>/materials/<int:material_pk>/download/", views.material_download, name="material_download"),
]
