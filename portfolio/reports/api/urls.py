from rest_framework.routers import SimpleRouter

from portfolio.reports.api.views import ReportSubscriptionViewSet, StakeholderReportViewSet

router = SimpleRouter()
router.register("report-subscriptions", ReportSubscriptionViewSet, basename="report-subscription")
router.register("reports", StakeholderReportViewSet, basename="report")

urlpatterns = router.urls
