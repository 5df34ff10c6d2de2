from rest_framework.routers import SimpleRouter

router = SimpleRouter()
# router.register("<collection>", <ViewSet>, basename="<model>")

urlpatterns = router.urls
