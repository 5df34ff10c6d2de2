"""The program manager's pages: portfolios, programs and projects, the ranking, strategy, status reports."""

from django.urls import path

from programs.views import ranking

app_name = "programs"

urlpatterns: list = []

# --- Ranking ------------------------------------------------------------------------------------------
urlpatterns += [
    path("portfolios/<int:pk>/ranking/", ranking.portfolio_ranking, name="portfolio_ranking"),
    path("programs/<int:pk>/ranking/", ranking.program_ranking, name="program_ranking"),
]
