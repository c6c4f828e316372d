"""The office's application-subsidy pages, mounted at /office/usage/ (namespace ``office_usage``)."""

from django.urls import path

from . import views_office

app_name = "office_usage"

urlpatterns = [
    path("", views_office.progress, name="progress"),
    path("machines/<int:pk>/", views_office.machine, name="machine"),
    path("machines/<int:pk>/claim/", views_office.start_claim, name="start_claim"),
    path("records/", views_office.flagged, name="flagged"),
    path("records/<int:pk>/review/", views_office.review, name="review"),
    path("import/", views_office.import_file, name="import"),
]
