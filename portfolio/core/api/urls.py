from django.urls import path
from rest_framework.routers import SimpleRouter

from portfolio.core.api.views import MeView, TokenView

router = SimpleRouter()
# router.register("objectives", ObjectiveViewSet, basename="objective") …

urlpatterns = router.urls + [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
]
