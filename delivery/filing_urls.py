from django.urls import path

from . import filing_views

urlpatterns = [
    path("projects/<int:pk>/construction/", filing_views.construction, name="construction"),
    path("projects/<int:pk>/construction/file/", filing_views.file, name="file"),
    path("projects/<int:pk>/construction/facts/", filing_views.facts, name="facts"),
    path("projects/<int:pk>/construction/procurement/", filing_views.procurement, name="procurement"),
    path("projects/<int:pk>/construction/start/", filing_views.start, name="start"),
]
