"""The public notice (公示, R34), mounted at /public/notices/ (namespace ``notices``): anyone may read and object."""

from django.urls import path

from .views import public as views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("archive/", views.notice_archive, name="archive"),
    path("<int:pk>/object/", views.objection, name="object"),
    path("objection-received/", views.objection_received, name="received"),
]
