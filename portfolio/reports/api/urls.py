from django.urls import path
from rest_framework.routers import SimpleRouter

from portfolio.reports.api.trace import FeatureTraceView
from portfolio.reports.api.views import ReportSubscriptionViewSet, StakeholderReportViewSet

router = SimpleRouter()
router.register("report-subscriptions", ReportSubscriptionViewSet, basename="report-subscription")
router.register("reports", StakeholderReportViewSet, basename="report")

urlpatterns = [
    path("features/<int:pk>/trace/", FeatureTraceView.as_view(), name="feature-trace"),
    *router.urls,
]
