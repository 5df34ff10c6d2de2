"""Time the lists that feedback feeds: features by demand, and feedback search over the whole organisation.

A script, not a test: run it against a database built with ``seed_demo --scale large`` (bench/README.md), as
the manager of "Atlas Platform" (``pm-0001``, 10,000 features; 50,000 of the 1,000,000 feedback items):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portfolio_bench SECRET_KEY=x ALLOWED_HOSTS=localhost \\
        .venv/bin/python bench/feedback.py [--runs 30] [--search webhooks]

Each measured list comes with its plain counterpart (the same list without the demand order or the search),
since the target is both an absolute time and a ratio to that counterpart. Figures as in ``bench/roadmap.py``.
"""

import argparse

from common import plain_static, print_table, signed_in  # noqa: I001 (the folder's own module, run as a file)
from django.db import connection
from django.urls import NoReverseMatch, reverse

from portfolio.core.models import User
from products.models import Feedback, Product


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--product", default="Atlas Platform")
    parser.add_argument("--user", default="pm-0001")
    parser.add_argument("--search", default="webhooks", help="What to search the feedback for.")
    args = parser.parse_args()

    product = Product.objects.get(name=args.product)
    client = signed_in(User.objects.get(username=args.user))
    slug = {"slug": product.slug}
    features = f"/api/v1/features/?product={product.pk}"
    pages = [
        ("features API by RICE score", f"{features}&ordering=-rice_score"),
        ("features API by demand", f"{features}&ordering=-demand"),
        ("feature list page by RICE score", reverse("products:roadmap_list", kwargs=slug)),
        ("feature list page by demand", reverse("products:roadmap_list", kwargs=slug) + "?sort=-demand"),
        ("feedback API, all products", "/api/v1/feedback/"),
        ("feedback API, all products, search", f"/api/v1/feedback/?q={args.search}"),
        ("feedback API, the product", f"/api/v1/feedback/?product={product.pk}"),
        ("feedback API, the product, search", f"/api/v1/feedback/?product={product.pk}&q={args.search}"),
    ]
    try:
        inbox = reverse("products:feedback_list", kwargs=slug)
    except NoReverseMatch:
        inbox = None
    if inbox:
        pages += [
            ("inbox page, every item", f"{inbox}?view=all"),
            ("inbox page, every item, search", f"{inbox}?view=all&q={args.search}"),
            ("inbox page, new items", inbox),
        ]
    total = Feedback.objects.count()
    print(
        f"{product.name}: {product.features.count():,} features, {product.feedback.count():,} of {total:,} feedback "
        f"items; {args.runs} runs each, as {args.user}; {connection.vendor}"
    )
    print_table(client, pages, args.runs)


if __name__ == "__main__":
    with plain_static():
        main()
