from rest_framework.routers import SimpleRouter

from risks.api.views import MitigationActionViewSet, RiskViewSet

router = SimpleRouter()
router.register("risks", RiskViewSet, basename="risk")
router.register("mitigation-actions", MitigationActionViewSet, basename="mitigation-action")

urlpatterns = router.urls
