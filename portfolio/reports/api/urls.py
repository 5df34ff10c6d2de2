from django.urls import path
from rest_framework.routers import SimpleRouter

from portfolio.reports.api import dashboard
from portfolio.reports.api.trace import FeatureTraceView
from portfolio.reports.api.views import ReportSubscriptionViewSet, StakeholderReportViewSet

router = SimpleRouter()
router.register("report-subscriptions", ReportSubscriptionViewSet, basename="report-subscription")
router.register("reports", StakeholderReportViewSet, basename="report")

urlpatterns = [
    # Any segment, so that a malformed id gets the API's 404 (as the routers' detail routes do).
    path("features/<str:pk>/trace/", FeatureTraceView.as_view(), name="feature-trace"),
    path("dashboard/", dashboard.OrganisationDashboardView.as_view(), name="organisation-dashboard"),
    # Routed by hand, not registered: the routers' registries are the collections, and these are no lists.
    path(
        "portfolios/<str:pk>/dashboard/",
        dashboard.PortfolioDashboardViewSet.as_view({"get": "dashboard"}),
        name="portfolio-dashboard",
    ),
    path(
        "programs/<str:pk>/dashboard/",
        dashboard.ProgramDashboardViewSet.as_view({"get": "dashboard"}),
        name="program-dashboard",
    ),
    *router.urls,
]
