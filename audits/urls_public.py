from django.urls import path

from .views import public

app_name = "audits_public"

urlpatterns = [
    path("sampling/", public.runs, name="runs"),
    path("sampling/<str:number>/", public.run_detail, name="run"),
    path("sampling/<str:number>/data.json", public.run_json, name="run_json"),
    path("complaints/new/", public.complaint_new, name="complaint_new"),
    path("complaints/status/", public.complaint_status, name="complaint_status"),
    path("complaints/status/<str:reference>/", public.complaint_status, name="complaint_status_of"),
    path("violations/", public.violations, name="violations"),
]
