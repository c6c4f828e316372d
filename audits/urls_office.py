from django.urls import path

from .views import scale

app_name = "audits_office"

urlpatterns = [
    path("<int:pk>/scale/", scale.scale, name="scale"),
]
