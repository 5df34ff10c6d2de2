from rest_framework.routers import SimpleRouter

from programs.api import capacity, views

router = SimpleRouter()
router.register("portfolios", views.PortfolioViewSet, basename="portfolio")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("dependencies", views.DependencyViewSet, basename="dependency")
router.register("resources", capacity.ResourceViewSet, basename="resource")
router.register("allocations", capacity.AllocationViewSet, basename="allocation")
router.register("resource-requests", views.ResourceRequestViewSet, basename="resource-request")
router.register("cost-entries", views.CostEntryViewSet, basename="cost-entry")
router.register("project-objectives", views.ProjectObjectiveViewSet, basename="project-objective")
router.register("status-reports", views.StatusReportViewSet, basename="status-report")

urlpatterns = router.urls
