"""The program manager's pages: portfolios, programs and projects, the ranking, strategy, status reports."""

from django.urls import path  # noqa: F401 (each area adds its routes below)

app_name = "programs"

urlpatterns: list = []

# --- Delivery: a project's milestones, dependencies, costs and objectives ---------------------------------------
from programs.views import delivery  # noqa: E402

urlpatterns += [
    path("projects/<int:pk>/milestones/", delivery.milestone_list, name="milestone_list"),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/edit/", delivery.milestone_update, name="milestone_update"),
    path(
        "projects/<int:pk>/milestones/<int:milestone_pk>/complete/",
        delivery.milestone_complete,
        name="milestone_complete",
    ),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/reopen/", delivery.milestone_reopen, name="milestone_reopen"),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/delete/", delivery.milestone_delete, name="milestone_delete"),
    path("projects/<int:pk>/dependencies/", delivery.dependency_list, name="dependency_list"),
    path(
        "projects/<int:pk>/dependencies/<int:dependency_pk>/delete/",
        delivery.dependency_delete,
        name="dependency_delete",
    ),
    path("projects/<int:pk>/costs/", delivery.costentry_list, name="costentry_list"),
    path("projects/<int:pk>/costs/<int:entry_pk>/delete/", delivery.costentry_delete, name="costentry_delete"),
    path("projects/<int:pk>/objectives/", delivery.projectobjective_list, name="projectobjective_list"),
    path(
        "projects/<int:pk>/objectives/<int:alignment_pk>/",
        delivery.projectobjective_update,
        name="projectobjective_update",
    ),
    path(
        "projects/<int:pk>/objectives/<int:alignment_pk>/delete/",
        delivery.projectobjective_delete,
        name="projectobjective_delete",
    ),
]
