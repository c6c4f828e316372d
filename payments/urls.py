"""The finance pages, mounted at /finance/ (namespace ``payments``); /finance/ itself is core's frame page."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/move/", views.move_funds, name="move_funds"),
    path("ledger/<int:pk>/", views.fund, name="fund"),
    path("queue/", views.queue, name="queue"),
    path("batches/", views.batches, name="batches"),
    path("batches/new/", views.build_batch, name="build_batch"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/approve/", views.approve_batch, name="approve_batch"),
    path(
        "batches/<int:pk>/applications/<int:application_pk>/take-out/",
        views.take_out_of_batch,
        name="take_out_of_batch",
    ),
    path("batches/<int:pk>/export/<str:file_format>/", views.export_batch, name="export_batch"),
    path("batches/<int:pk>/return/", views.import_return, name="import_return"),
    path("exceptions/<int:pk>/resolve/", views.resolve_exception, name="resolve_exception"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/defer/", views.application_action, {"action": "defer"}, name="defer"),
    path("applications/<int:pk>/resume/", views.application_action, {"action": "resume"}, name="resume"),
    path("applications/<int:pk>/claw-back/", views.application_action, {"action": "claw_back"}, name="claw_back"),
    path("applications/<int:pk>/recover/", views.application_action, {"action": "recover"}, name="recover"),
    path("applications/<int:pk>/clear-ratio/", views.application_action, {"action": "clear_ratio"}, name="clear_ratio"),
    path("year-end/", views.year_end, name="year_end"),
]
