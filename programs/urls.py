"""The program manager's pages: portfolios, programs and projects, the ranking, strategy, status reports."""

from django.urls import path

from programs.views import ranking, strategy

app_name = "programs"

urlpatterns: list = []

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
