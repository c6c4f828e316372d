from django.urls import path

from .views import buyer

app_name = "audits_buyer"

urlpatterns = [
    path("<int:pk>/", buyer.report, name="report"),
]
