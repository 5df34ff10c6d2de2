from django.urls import path
from rest_framework.routers import SimpleRouter

from portfolio.core.api.views import KeyResultViewSet, MeView, ObjectiveViewSet, TokenView

router = SimpleRouter()
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("key-results", KeyResultViewSet, basename="key-result")

urlpatterns = router.urls + [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
]
