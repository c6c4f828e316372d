"""The buyer's application-subsidy pages, mounted at /apply/usage/ (namespace ``apply_usage``)."""

from django.urls import path

from . import views_buyer

app_name = "apply_usage"

urlpatterns = [
    path("", views_buyer.home, name="home"),
    path("<int:pk>/", views_buyer.machine, name="machine"),
    path("<int:pk>/claim/", views_buyer.claim, name="claim"),
    path("<int:pk>/records/new/", views_buyer.add_record, name="add_record"),
]
