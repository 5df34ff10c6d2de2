"""``manage.py recompute_demand [--product SLUG] [--check]``: recount the stored demand of features from their links.

The feedback services keep ``Feature.demand`` and ``demand_count`` current in the transaction of every write, so
this finds nothing to do unless links were written past them (a bulk load, SQL by hand, a restored backup).
"""

from django.core.management.base import BaseCommand, CommandError

from products import selectors, services
from products.models import Feature, Product


class Command(BaseCommand):
    help = "Recount each feature's demand and demand_count from its linked feedback, repairing any that drifted."

    def add_arguments(self, parser):
        parser.add_argument("--product", metavar="SLUG", help="Only the features of this product.")
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; exit with status 1 if any feature has drifted."
        )

    def handle(self, *args, product=None, check=False, **options):
        chosen = None
        if product is not None:
            chosen = Product.objects.filter(slug=product).first()
            if chosen is None:
                raise CommandError(f"No product has the slug {product!r}.")
        if check:
            features = Feature.objects.all() if chosen is None else Feature.objects.filter(product=chosen)
            drifted = selectors.demand_drift(features).count()
            if drifted:
                raise CommandError(f"{drifted} feature(s) have a stored demand that differs from their links.")
            self.stdout.write("Every feature's stored demand matches its links.")
            return
        repaired = services.demand_recompute(product=chosen)
        self.stdout.write(f"Recounted the demand of {repaired} feature(s) that had drifted.")
