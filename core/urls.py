from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public, name="public"),
    path("office/", views.office_home, name="office"),
    path("finance/", views.finance_home, name="finance"),
    path("audit/", views.audit_home, name="audit"),
    path("filing/", views.filing_home, name="filing"),
    path("health/", views.health, name="health"),
]
