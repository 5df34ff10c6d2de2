"""Time the utilisation heat map for 200 people × 52 weeks: the selector, the page and the API endpoint.

A script, not a test: run it against a database built with ``seed_demo --scale large`` (bench/README.md), as a
program manager, through Django's test client:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portfolio_bench SECRET_KEY=x ALLOWED_HOSTS=localhost \\
        .venv/bin/python bench/utilization.py [--runs 20] [--people 200] [--weeks 52] [--user pgm-0001]

The large organisation has 3,000 resources, a few hundred per function. So that the grid holds exactly
``--people`` rows, the script works inside a transaction it rolls back at the end: in the function with the most
active people it deactivates all but the first ``--people`` of them (or, with too few, adds people with copies of
existing allocations). Nothing stays in the database. It prints the median and 95th percentile of the selector
alone, then of the page and the endpoint (whole request: routing, queries, rendering), their SQL time, queries
and answer size; the first request of each is a warm-up and is not counted. The full grid (every active person
of every function) is timed too, for scale.
"""

import argparse
import datetime
import statistics
import time

from common import percentile, plain_static, print_table, signed_in  # noqa: I001 (the folder's own module)
from django.db import connection, transaction
from django.db.models import Count

from portfolio.core.models import User
from portfolio.demo.scaled.shapes import ANCHOR
from programs import selectors
from programs.models import Allocation, Resource


def _exactly(function: str, people: int) -> None:
    """Leave ``people`` active people in ``function``: deactivate the rest, or add copies of existing ones."""
    active = list(Resource.objects.filter(function=function, active=True).order_by("id").values_list("id", flat=True))
    if len(active) >= people:
        Resource.objects.filter(pk__in=active[people:]).update(active=False)
        return
    template = Resource.objects.get(pk=active[0])
    allocations = list(Allocation.objects.filter(resource_id=template.pk))
    for index in range(people - len(active)):
        extra = Resource.objects.create(
            name=f"Bench person {index}",
            function=function,
            capacity_hours=template.capacity_hours,
            cost_rate=template.cost_rate,
        )
        Allocation.objects.bulk_create(
            Allocation(
                resource=extra,
                project_id=a.project_id,
                percent=a.percent,
                start_date=a.start_date,
                end_date=a.end_date,
            )
            for a in allocations
        )


def _time_selector(runs: int, **period) -> tuple[float, float, int, int]:
    selectors.utilization_grid(**period)  # warm-up
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        grid = selectors.utilization_grid(**period)
        walls.append(time.perf_counter() - started)
    return statistics.median(walls), percentile(walls, 0.95), len(grid["rows"]), len(grid["weeks"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--user", default="pgm-0001")
    args = parser.parse_args()

    user = User.objects.get(username=args.user)
    start = ANCHOR - datetime.timedelta(weeks=args.weeks // 2)
    end = start + datetime.timedelta(weeks=args.weeks, days=-1)
    counts = Resource.objects.filter(active=True).values("function").annotate(n=Count("id")).order_by("-n", "function")
    function = counts[0]["function"]
    allocations = Allocation.objects.count()
    print(
        f"{Resource.objects.count():,} resources, {allocations:,} allocations; {args.runs} runs each, "
        f"as {user.username}; {connection.vendor}"
    )
    with transaction.atomic():
        full = _time_selector(args.runs, start=start, end=end)
        _exactly(function, args.people)
        grid = _time_selector(args.runs, start=start, end=end, function=function)
        print()
        print("| selector `utilization_grid` | people × weeks | p50 ms | p95 ms |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| one function ({function}) | {grid[2]} × {grid[3]} | {grid[0] * 1000:.0f} | {grid[1] * 1000:.0f} |")
        print(f"| every function | {full[2]:,} × {full[3]} | {full[0] * 1000:.0f} | {full[1] * 1000:.0f} |")
        print()
        query = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}&function={function}"
        pages = [
            (f"heat map page, {grid[2]} × {grid[3]}", f"/capacity/?{query}"),
            (f"API utilization, {grid[2]} × {grid[3]}", f"/api/v1/resources/utilization/?{query}"),
        ]
        print_table(signed_in(user), pages, args.runs)
        transaction.set_rollback(True)


if __name__ == "__main__":
    with plain_static():
        main()
