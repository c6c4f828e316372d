from django.urls import path

from . import views_dashboard, views_overtime, views_public, views_summary
from .views import bound

app_name = "reports"


def _routes(prefix: str, workspace: str) -> list:
    return [
        path(f"{prefix}overtime/", views_overtime.bound(workspace), name=f"{workspace}_overtime"),
        path(f"{prefix}dashboard/", views_dashboard.bound(workspace), name=f"{workspace}_dashboard"),
        path(f"{prefix}reports/", bound("list", workspace), name=f"{workspace}_list"),
        path(f"{prefix}reports/generate/", bound("generate", workspace), name=f"{workspace}_generate"),
        path(f"{prefix}reports/<int:pk>/", bound("report", workspace), name=f"{workspace}_report"),
        path(f"{prefix}reports/<int:pk>/correct/", bound("correct", workspace), name=f"{workspace}_correct"),
        path(
            f"{prefix}reports/<int:pk>/<str:kind>/",
            bound("file", workspace),
            name=f"{workspace}_file",
        ),
    ]


urlpatterns = [
    *_routes("office/", "office"),
    *_routes("finance/", "finance"),
    path("office/summaries/", views_summary.summary_page, name="summaries"),
    path("office/summaries/save/", views_summary.summary_save, name="summary_save"),
    path("office/summaries/<int:pk>/return/", views_summary.summary_return, name="summary_return"),
    path("office/summaries/<int:pk>/pdf/", views_summary.summary_pdf, name="summary_pdf"),
    path("public/beneficiaries/", views_public.beneficiary_list, name="public_beneficiaries"),
    path("public/progress/", views_public.district_progress, name="public_progress"),
]
