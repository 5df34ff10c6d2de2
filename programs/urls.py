"""The program manager's pages: portfolios, programs and projects, the ranking, strategy, status reports."""

from django.urls import path  # noqa: F401 (each area adds its routes below)

app_name = "programs"

urlpatterns: list = []
