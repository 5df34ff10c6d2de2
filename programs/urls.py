"""The program manager's pages: portfolios, programs and projects, the ranking, strategy, status reports."""

from django.urls import path

from programs.views import ranking, strategy, structure

app_name = "programs"

urlpatterns: list = []

# --- Status reports ------------------------------------------------------------------------------
from programs.views import status_reports  # noqa: E402

_REPORT = "projects/<int:pk>/status-reports/<int:report_pk>/"
urlpatterns += [
    path("projects/<int:pk>/status-reports/", status_reports.status_report_list, name="status_report_list"),
    path("projects/<int:pk>/status-reports/draft/", status_reports.status_report_draft, name="status_report_draft"),
    path(_REPORT, status_reports.status_report_detail, name="status_report_detail"),
    path(f"{_REPORT}edit/", status_reports.status_report_update, name="status_report_update"),
    path(f"{_REPORT}publish/", status_reports.status_report_publish, name="status_report_publish"),
    path(f"{_REPORT}delete/", status_reports.status_report_delete, name="status_report_delete"),
]

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

# --- Ranking ------------------------------------------------------------------------------------------
urlpatterns += [
    path("portfolios/<int:pk>/ranking/", ranking.portfolio_ranking, name="portfolio_ranking"),
    path("programs/<int:pk>/ranking/", ranking.program_ranking, name="program_ranking"),
]

# --- Strategy -----------------------------------------------------------------------------------------
urlpatterns += [
    path("strategy/", strategy.strategy, name="strategy"),
    path("strategy/objectives/<int:pk>/", strategy.objective_detail, name="objective_detail"),
]
urlpatterns += [
    path("strategy/objectives/new/", strategy.objective_create, name="objective_create"),
    path("strategy/objectives/<int:pk>/edit/", strategy.objective_update, name="objective_update"),
    path("strategy/objectives/<int:pk>/key-results/new/", strategy.key_result_create, name="key_result_create"),
    path(
        "strategy/objectives/<int:pk>/key-results/<int:kr>/edit/", strategy.key_result_update, name="key_result_update"
    ),
    path(
        "strategy/objectives/<int:pk>/key-results/<int:kr>/delete/",
        strategy.key_result_delete,
        name="key_result_delete",
    ),
]

# Portfolios, programs and projects
urlpatterns += [
    path("portfolios/", structure.portfolio_list, name="portfolio_list"),
    path("portfolios/new/", structure.portfolio_create, name="portfolio_create"),
    path("portfolios/<int:pk>/", structure.portfolio_detail, name="portfolio_detail"),
    path("portfolios/<int:pk>/edit/", structure.portfolio_update, name="portfolio_update"),
    path("portfolios/<int:pk>/archive/", structure.portfolio_archive, name="portfolio_archive"),
    path("portfolios/<int:pk>/restore/", structure.portfolio_restore, name="portfolio_restore"),
    path("portfolios/<int:pk>/delete/", structure.portfolio_delete, name="portfolio_delete"),
    path("portfolios/<int:portfolio_pk>/programs/new/", structure.program_create, name="program_create"),
    path("programs/<int:pk>/", structure.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", structure.program_update, name="program_update"),
    path("programs/<int:pk>/archive/", structure.program_archive, name="program_archive"),
    path("programs/<int:pk>/restore/", structure.program_restore, name="program_restore"),
    path("programs/<int:pk>/delete/", structure.program_delete, name="program_delete"),
    path("programs/<int:program_pk>/projects/new/", structure.project_create, name="project_create"),
    path("projects/<int:pk>/", structure.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", structure.project_update, name="project_update"),
    path("projects/<int:pk>/archive/", structure.project_archive, name="project_archive"),
    path("projects/<int:pk>/restore/", structure.project_restore, name="project_restore"),
    path("projects/<int:pk>/delete/", structure.project_delete, name="project_delete"),
]

# --- Capacity: the heat map, resources and a project's people ------------------------------------------------
from programs.views import capacity  # noqa: E402

urlpatterns += [
    path("capacity/", capacity.heat_map, name="capacity"),
    path("resources/", capacity.resource_list, name="resource_list"),
    path("resources/new/", capacity.resource_create, name="resource_create"),
    path("resources/<int:pk>/", capacity.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", capacity.resource_update, name="resource_update"),
    path("resources/<int:pk>/deactivate/", capacity.resource_deactivate, name="resource_deactivate"),
    path("resources/<int:pk>/delete/", capacity.resource_delete, name="resource_delete"),
    path("projects/<int:pk>/people/", capacity.allocation_list, name="allocation_list"),
    path("projects/<int:pk>/people/<int:allocation_pk>/edit/", capacity.allocation_update, name="allocation_update"),
    path("projects/<int:pk>/people/<int:allocation_pk>/delete/", capacity.allocation_delete, name="allocation_delete"),
]

# --- Resource requests: a product's requests, the program manager's queue and its decisions ---------------------
from programs.views import resource_requests  # noqa: E402

urlpatterns += [
    path("resource-requests/", resource_requests.resource_request_queue, name="resource_request_queue"),
    path(
        "resource-requests/<int:pk>/approve/",
        resource_requests.resource_request_approve,
        name="resource_request_approve",
    ),
    path(
        "resource-requests/<int:pk>/reject/", resource_requests.resource_request_reject, name="resource_request_reject"
    ),
    path(
        "resource-requests/<int:pk>/cancel/", resource_requests.resource_request_cancel, name="resource_request_cancel"
    ),
    path(
        "products/<slug:slug>/resource-requests/",
        resource_requests.product_resource_requests,
        name="product_resource_requests",
    ),
]
