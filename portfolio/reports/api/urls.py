from django.urls import path
from rest_framework.routers import SimpleRouter

from portfolio.reports.api import dashboard
from portfolio.reports.api.trace import FeatureTraceView
from portfolio.reports.api.views import ReportSubscriptionViewSet, StakeholderReportViewSet

router = SimpleRouter()
router.register("report-subscriptions", ReportSubscriptionViewSet, basename="report-subscription")
router.register("reports", StakeholderReportViewSet, basename="report")
router.register("portfolios", dashboard.PortfolioDashboardViewSet, basename="portfolio")
router.register("programs", dashboard.ProgramDashboardViewSet, basename="program")

urlpatterns = [
    # Any segment, so that a malformed id gets the API's 404 (as the routers' detail routes do).
    path("features/<str:pk>/trace/", FeatureTraceView.as_view(), name="feature-trace"),
    path("dashboard/", dashboard.OrganisationDashboardView.as_view(), name="organisation-dashboard"),
    *router.urls,
]
