from django.urls import path

from . import views, views_exchange

app_name = "catalogue"
urlpatterns = [
    path("resources/", views.resource_list, name="list"),
    path("resources/new/", views.resource_create, name="create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="edit"),
    path("resources/<int:pk>/submit/", views.resource_submit, name="submit"),
    path("resources/<int:pk>/publish/", views.resource_publish, name="publish"),
    path("resources/<int:pk>/return/", views.resource_return, name="return"),
    path("resources/<int:pk>/retire/", views.resource_retire, name="retire"),
    path("resources/<int:pk>/request/", views.request_create, name="request_create"),
    path("resources/<int:pk>/feedback/", views.feedback_create, name="feedback_create"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("resources/<int:pk>/violation/", views.violation_confirm, name="violation_confirm"),
    path("violations/<int:pk>/withdraw/", views.violation_withdraw, name="violation_withdraw"),
    path("aggregation/", views.aggregation, name="aggregation"),
    path("aggregation/<int:unit_pk>/", views.aggregation_record, name="aggregation_record"),
    path("import/", views_exchange.import_view, name="import"),
    path("import/template.xlsx", views_exchange.import_template, name="import_template"),
    path("export.xlsx", views_exchange.export_view, name="export"),
]
