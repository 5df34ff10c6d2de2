"""The program manager's pages: portfolios, programs and projects, the ranking, strategy, status reports."""

from django.urls import path  # noqa: F401 (each area adds its routes below)

app_name = "programs"

urlpatterns: list = []

# --- Status reports ------------------------------------------------------------------------------
from programs.views import status_reports  # noqa: E402

_REPORT = "projects/<int:pk>/status-reports/<int:report_pk>/"
urlpatterns += [
    path("projects/<int:pk>/status-reports/", status_reports.status_report_list, name="status_report_list"),
    path("projects/<int:pk>/status-reports/draft/", status_reports.status_report_draft, name="status_report_draft"),
    path(_REPORT, status_reports.status_report_detail, name="status_report_detail"),
    path(f"{_REPORT}edit/", status_reports.status_report_update, name="status_report_update"),
    path(f"{_REPORT}publish/", status_reports.status_report_publish, name="status_report_publish"),
    path(f"{_REPORT}delete/", status_reports.status_report_delete, name="status_report_delete"),
]
