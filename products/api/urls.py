from rest_framework.routers import SimpleRouter

from products.api import views

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

urlpatterns = router.urls
