from django.urls import path
from rest_framework.routers import SimpleRouter

from products.api import feedback_csv, views

router = SimpleRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("product-members", views.ProductMemberViewSet, basename="product-member")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("releases", views.ReleaseViewSet, basename="release")
router.register("features", views.FeatureViewSet, basename="feature")
router.register("feedback", views.FeedbackViewSet, basename="feedback")
router.register("competitors", views.CompetitorViewSet, basename="competitor")
router.register("insights", views.MarketInsightViewSet, basename="insight")
router.register("metrics", views.ProductMetricViewSet, basename="metric")
router.register("metric-readings", views.MetricReadingViewSet, basename="metric-reading")

urlpatterns = [
    # Before the router's: ``feedback/{id}/`` would read "import" and "export" as ids.
    path("feedback/import/", feedback_csv.FeedbackImportView.as_view(), name="feedback-import"),
    path("feedback/export/", feedback_csv.FeedbackExportView.as_view(), name="feedback-export"),
    *router.urls,
]
