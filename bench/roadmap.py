"""Time the roadmap pages and the features API for the biggest product of the benchmark organisation.

A script, not a test: run it against a database built with ``seed_demo --scale large`` (bench/README.md),
as the product's manager (``pm-0001`` owns "Atlas Platform", 10,000 features), through Django's test client:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portfolio_bench SECRET_KEY=x ALLOWED_HOSTS=localhost \\
        .venv/bin/python bench/roadmap.py [--runs 15] [--product "Atlas Platform"] [--user pm-0001]

For each page it prints the median and 95th percentile of the wall time of the whole request (routing,
queries, template rendering), the median time of its SQL alone, the number of queries and the size of the
answer. The first request of each page is a warm-up and is not counted.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from portfolio.core.models import User  # noqa: E402
from products.models import Product  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Client, address: str, runs: int) -> dict:
    client.get(address, secure=True)  # warm-up: connection, template loading, caches
    walls, sqls, queries, size = [], [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(address, secure=True)
            walls.append(time.perf_counter() - started)
        assert response.status_code == 200, (address, response.status_code)
        sqls.append(sum(float(query["time"]) for query in captured.captured_queries))
        queries, size = len(captured.captured_queries), len(response.content)
    return {
        "p50": statistics.median(walls),
        "p95": percentile(walls, 0.95),
        "sql": statistics.median(sqls),
        "queries": queries,
        "kb": size / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--product", default="Atlas Platform")
    parser.add_argument("--user", default="pm-0001")
    args = parser.parse_args()

    product = Product.objects.get(name=args.product)
    user = User.objects.get(username=args.user)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    slug = {"slug": product.slug}
    pages = [
        ("timeline (by quarter)", reverse("products:roadmap", kwargs=slug)),
        ("timeline (by release)", reverse("products:roadmap", kwargs=slug) + "?by=release"),
        ("timeline, one theme", reverse("products:roadmap", kwargs=slug) + f"?theme={product.themes.first().pk}"),
        ("board", reverse("products:roadmap_board", kwargs=slug)),
        ("list (RICE score)", reverse("products:roadmap_list", kwargs=slug)),
        ("list (demand)", reverse("products:roadmap_list", kwargs=slug) + "?sort=-demand"),
        ("print view", reverse("products:roadmap_print", kwargs=slug)),
        ("CSV, every feature", reverse("products:roadmap_csv", kwargs=slug)),
        ("API features list", f"/api/v1/features/?product={product.pk}&ordering=-rice_score"),
    ]
    features = product.features.count()
    print(f"{product.name}: {features:,} features; {args.runs} runs each, as {user.username}; {connection.vendor}")
    print("| page | p50 ms | p95 ms | SQL ms (p50) | queries | KiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, address in pages:
        figures = measure(client, address, args.runs)
        print(
            f"| {label} (`{address}`) | {figures['p50'] * 1000:.0f} | {figures['p95'] * 1000:.0f} | "
            f"{figures['sql'] * 1000:.0f} | {figures['queries']} | {figures['kb']:.0f} |"
        )


if __name__ == "__main__":
    # Static files from the source folders (no collectstatic for a benchmark), as the tests serve them.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    plain_static = {**settings.STORAGES, "staticfiles": plain}
    with override_settings(STORAGES=plain_static):
        main()
