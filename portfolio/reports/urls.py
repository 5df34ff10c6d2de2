"""The reports app's pages: the dashboards."""

from django.urls import path

from portfolio.reports import dashboard_views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard_views.organisation_overview, name="organisation_dashboard"),
    path("portfolios/<int:pk>/dashboard/", dashboard_views.portfolio_dashboard, name="portfolio_dashboard"),
    path("programs/<int:pk>/dashboard/", dashboard_views.program_dashboard, name="program_dashboard"),
]
