"""/api/v1/ (the JSON API), and the profile page's token forms under /api/tokens/."""

from django.urls import path

from . import views
from .main import api

urlpatterns = [
    path("v1/", api.urls),
    path("tokens/new/", views.token_new, name="api_token_new"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
