"""Time the program manager's pages and the programs API on the benchmark organisation.

A script, not a test: run it against a database built with ``seed_demo --scale large`` (bench/README.md),
as the owner of the first portfolio (100 projects in 10 programs), through Django's test client:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portfolio_bench SECRET_KEY=x ALLOWED_HOSTS=localhost \\
        .venv/bin/python bench/programs.py [--runs 15] [--portfolio "Operations 1"]

The project page is the portfolio's project with the most allocations. For each page it prints the median and
95th percentile of the wall time of the whole request, the median time of its SQL alone, the number of queries
and the size of the answer. The first request of each page is a warm-up and is not counted.
"""

import argparse

from common import plain_static, print_table, signed_in  # noqa: I001 (the folder's own module, run as a file)
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from programs.models import Portfolio, Project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--portfolio", default="Operations 1")
    args = parser.parse_args()

    portfolio = Portfolio.objects.select_related("owner").get(name=args.portfolio)
    project = (
        Project.objects.filter(program__portfolio=portfolio)
        .annotate(n=Count("allocations"))
        .order_by("-n", "pk")
        .first()
    )
    program = project.program
    client = signed_in(portfolio.owner)
    ranking = reverse("programs:portfolio_ranking", kwargs={"pk": portfolio.pk})
    pages = [
        ("portfolios", reverse("programs:portfolio_list")),
        ("portfolio", reverse("programs:portfolio_detail", kwargs={"pk": portfolio.pk})),
        ("program", reverse("programs:program_detail", kwargs={"pk": program.pk})),
        ("portfolio ranking (strategic)", ranking),
        ("portfolio ranking (WSJF)", f"{ranking}?order=wsjf"),
        ("project", reverse("programs:project_detail", kwargs={"pk": project.pk})),
        ("API ranking, organisation", "/api/v1/projects/ranking/?order=wsjf"),
        ("API projects, red first", "/api/v1/projects/?ordering=-health,-days_late"),
        ("API projects, red only", "/api/v1/projects/?health=red"),
        ("API programs with roll-ups", "/api/v1/programs/?ordering=-budget_forecast"),
        ("API portfolios with roll-ups", "/api/v1/portfolios/"),
    ]
    projects = Project.objects.count()
    print(
        f"{portfolio.name}: {Project.objects.filter(program__portfolio=portfolio).count()} of {projects:,} projects; "
        f"project page: {project.name} ({project.n} allocations); {args.runs} runs each, as "
        f"{portfolio.owner.username}; {connection.vendor}"
    )
    print_table(client, pages, args.runs)


if __name__ == "__main__":
    with plain_static():
        main()
