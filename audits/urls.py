from django.urls import path

from .views import warnings

app_name = "audits"

urlpatterns = [
    path("warnings/", warnings.warning_list, name="warnings"),
]
