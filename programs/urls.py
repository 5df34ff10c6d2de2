"""The program manager's pages: portfolios, programs and projects, the ranking, strategy, status reports."""

from django.urls import path

from programs.views import structure

app_name = "programs"

urlpatterns: list = []

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
