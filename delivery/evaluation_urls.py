from django.urls import path

from . import evaluation_views as views

urlpatterns = [
    path("projects/<int:pk>/evaluation/", views.evaluation_page, name="evaluation"),
    path("projects/<int:pk>/evaluation/self/", views.self_evaluate, name="self_evaluate"),
    path("projects/<int:pk>/evaluation/post/order/", views.order_post, name="order_post"),
    path("projects/<int:pk>/evaluation/post/record/", views.record_post, name="record_post"),
]
