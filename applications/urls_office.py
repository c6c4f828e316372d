"""The district office's application pages, mounted at /office/applications/ (namespace ``office``)."""

from django.urls import path

from .views import office as views

app_name = "office"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("batch/accept/", views.batch, {"kind": "accept"}, name="batch_accept"),
    path("batch/notice/", views.batch, {"kind": "notice"}, name="batch_notice"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.decide, {"action": "accept"}, name="accept"),
    path("<int:pk>/return/", views.decide, {"action": "return"}, name="return"),
    path("<int:pk>/verify/", views.decide, {"action": "verify"}, name="verify"),
    path("<int:pk>/schedule/", views.decide, {"action": "schedule"}, name="schedule"),
    path("<int:pk>/notice/", views.decide, {"action": "notice"}, name="notice"),
    path("<int:pk>/clear/", views.decide, {"action": "clear"}, name="clear"),
    path("<int:pk>/reject/", views.decide, {"action": "reject"}, name="reject"),
    path("<int:pk>/payment/", views.decide, {"action": "payment"}, name="payment"),
]
