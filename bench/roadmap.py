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

from common import plain_static, print_table, signed_in  # noqa: I001 (the folder's own module, run as a file)
from django.db import connection
from django.urls import reverse

from portfolio.core.models import User
from products.models import Product


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--product", default="Atlas Platform")
    parser.add_argument("--user", default="pm-0001")
    args = parser.parse_args()

    product = Product.objects.get(name=args.product)
    user = User.objects.get(username=args.user)
    client = signed_in(user)
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
    print_table(client, pages, args.runs)


if __name__ == "__main__":
    with plain_static():
        main()
