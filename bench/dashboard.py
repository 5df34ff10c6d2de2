"""Time the dashboards and their JSON on the benchmark organisation.

A script, not a test: run it against a database built with ``seed_demo --scale large`` (bench/README.md), as a
leader (read-only), through Django's test client:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portfolio_bench SECRET_KEY=x ALLOWED_HOSTS=localhost \\
        .venv/bin/python bench/dashboard.py [--runs 15] [--portfolio "Operations 1"]

The organisation overview covers all 20 portfolios (2,000 projects); the portfolio dashboard the first portfolio
(100 projects in 10 programs) and the program dashboard its program with the most projects. For each page it prints
the median and 95th percentile of the wall time of the whole request, the median time of its SQL alone, the number
of queries and the size of the answer. The first request of each page is a warm-up and is not counted.
"""

import argparse

from common import plain_static, print_table, signed_in  # noqa: I001 (the folder's own module, run as a file)
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from portfolio.core.models import User
from programs.models import Portfolio, Program, Project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--portfolio", default="Operations 1")
    args = parser.parse_args()

    portfolio = Portfolio.objects.get(name=args.portfolio)
    program = Program.objects.filter(portfolio=portfolio).annotate(n=Count("projects")).order_by("-n", "pk").first()
    leader = User.objects.filter(groups__name="Leadership").order_by("username").first()
    client = signed_in(leader)
    pages = [
        ("organisation overview", reverse("reports:organisation_dashboard")),
        ("portfolio dashboard", reverse("reports:portfolio_dashboard", kwargs={"pk": portfolio.pk})),
        ("program dashboard", reverse("reports:program_dashboard", kwargs={"pk": program.pk})),
        ("API organisation", reverse("organisation-dashboard")),
        ("API portfolio", reverse("portfolio-dashboard", kwargs={"pk": portfolio.pk})),
        ("API program", reverse("program-dashboard", kwargs={"pk": program.pk})),
    ]
    print(
        f"{portfolio.name}: {Project.objects.filter(program__portfolio=portfolio).count()} of "
        f"{Project.objects.count():,} projects; program {program.name} ({program.n} projects); {args.runs} runs "
        f"each, as {leader.username}; {connection.vendor}"
    )
    print_table(client, pages, args.runs)


if __name__ == "__main__":
    with plain_static():
        main()
