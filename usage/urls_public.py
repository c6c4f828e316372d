"""The public list of pilot kinds, mounted at /public/usage/ (namespace ``public_usage``)."""

from django.urls import path

from . import views_public

app_name = "public_usage"

urlpatterns = [path("", views_public.pilot_kinds, name="pilot_kinds")]
