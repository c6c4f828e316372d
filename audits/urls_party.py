from django.urls import path

from .views import party

app_name = "audits_party"

urlpatterns = [
    path("<int:pk>/", party.case, name="case"),
]
