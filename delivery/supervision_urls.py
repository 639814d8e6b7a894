from django.urls import path

from . import supervision_views as views

urlpatterns = [
    path("projects/<int:pk>/supervision/", views.supervision_page, name="supervision"),
    path("projects/<int:pk>/supervision/rectify/", views.rectify, name="rectify"),
    path("projects/<int:pk>/supervision/suspend/", views.suspend, name="suspend"),
    path("projects/<int:pk>/supervision/resume/", views.resume, name="resume"),
    path("projects/<int:pk>/supervision/terminate/", views.terminate, name="terminate"),
    path("projects/<int:pk>/supervision/termination/", views.termination_apply, name="termination_apply"),
    path("rectifications/<int:pk>/report/", views.rectification_report, name="rectification_report"),
    path("rectifications/<int:pk>/confirm/", views.rectification_confirm, name="rectification_confirm"),
    path("rectifications/<int:pk>/reopen/", views.rectification_reopen, name="rectification_reopen"),
    path("terminations/<int:pk>/submit/", views.termination_submit, name="termination_submit"),
    path("terminations/<int:pk>/withdraw/", views.termination_withdraw, name="termination_withdraw"),
    path("terminations/<int:pk>/decline/", views.termination_decline, name="termination_decline"),
]
