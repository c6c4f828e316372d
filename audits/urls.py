from django.urls import path

from .views import cases, intake, runs, tasks, warnings

app_name = "audits"

urlpatterns = [
    path("", tasks.task_list, name="tasks"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/print/", tasks.task_print, name="task_print"),
    path("photos/<int:pk>/", tasks.photo, name="photo"),
    path("warnings/", warnings.warning_list, name="warnings"),
    path("warnings/<int:pk>/investigate/", cases.open_from_warning, name="investigate_warning"),
    path("runs/", runs.run_list, name="runs"),
    path("runs/new/", runs.run_new, name="run_new"),
    path("runs/<int:pk>/", runs.run_detail, name="run"),
    path("investigations/", cases.investigation_list, name="investigations"),
    path("investigations/<int:pk>/", cases.investigation_detail, name="investigation"),
    path("intake/", intake.intake, name="intake"),
    path("intake/<str:kind>/<int:pk>/", intake.act, name="intake_act"),
]
