from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/acknowledge/", views.notice_acknowledge, name="acknowledge"),
]
