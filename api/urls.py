"""/api/v1/ (the JSON API) and the profile's token pages."""

from django.urls import path

from .main import api

urlpatterns = [
    path("v1/", api.urls),
]
