"""The benchmark organisation (``seed_demo --scale large|small``), built with bulk inserts.

Rows come from ``random.Random`` streams seeded by ``seed`` (one stream per table, so tables do not shift each other)
and a fixed anchor date. Primary keys are assigned here, counting up from each table's current maximum, so foreign
keys are built without reading anything back. The biggest tables are loaded with COPY on PostgreSQL (``executemany``
elsewhere), the others with ``bulk_create``. Bulk rows get no simple_history records, on purpose. The timestamps
``created_at``/``updated_at`` are the time of the run (feedback: its ``received_at``); every other value is the same
on every run into an empty database.

``shapes`` says how big each scale is, ``loader`` writes the rows, ``vocabulary`` holds the words, and one module
per area builds its tables (``people``, ``products``, ``feedback``, ``programs``, ``resources``, ``risks``,
``reports``) on the shared state in ``base``.
"""

import time
from typing import TextIO

from django.core.management.base import CommandError
from django.db import connection, transaction

from portfolio.demo.scaled.feedback import FeedbackBuilder
from portfolio.demo.scaled.loader import Loader
from portfolio.demo.scaled.people import BENCH_PASSWORD, PeopleBuilder
from portfolio.demo.scaled.products import ProductsBuilder
from portfolio.demo.scaled.programs import ProgramsBuilder
from portfolio.demo.scaled.reports import ReportsBuilder
from portfolio.demo.scaled.resources import ResourcesBuilder
from portfolio.demo.scaled.risks import RisksBuilder
from portfolio.demo.scaled.shapes import SCALES, Shape
from products.models import Product

__all__ = ["SCALES", "Shape", "seed_scaled"]


def seed_scaled(*, scale: str, seed: int, stdout: TextIO, password: str = BENCH_PASSWORD) -> dict[str, int]:
    """Build the benchmark organisation of ``scale`` into an empty database; return rows written per model."""
    if scale not in SCALES:
        raise CommandError(f"Unknown scale {scale!r}; choose one of: {', '.join(SCALES)}.")
    started = time.monotonic()
    loader = Loader(stdout)
    loader.say(f"Building the {scale} benchmark organisation (seed {seed}) on {connection.vendor}:")
    with transaction.atomic():
        if Product.objects.exists():
            raise CommandError(
                "The database already has products: the benchmark organisation is built only into an empty "
                "database, never on top of other data. Use a fresh database (or flush this one) and run it again."
            )
        _Builder(SCALES[scale], seed, loader, password).build()
        finishing = time.monotonic()
        loader.finish()
        loader.say(f"  {'sequences and statistics':<34} {'':>10}       {time.monotonic() - finishing:7.1f} s")
        committing = time.monotonic()
    # Foreign keys are checked at commit (they are deferred), so the commit takes a while of its own.
    loader.say(f"  {'commit (deferred foreign key checks)':<45}  {time.monotonic() - committing:7.1f} s")
    loader.say(f"Done: {sum(loader.counts.values()):,} rows in {time.monotonic() - started:.1f} s.")
    return dict(loader.counts)


class _Builder(
    PeopleBuilder, ProductsBuilder, FeedbackBuilder, ProgramsBuilder, ResourcesBuilder, RisksBuilder, ReportsBuilder
):
    """All the steps together; ``build`` runs them in the order their foreign keys need (and the ids depend on)."""

    def build(self) -> None:
        self.users()
        self.objectives()
        self.products()
        self.features()
        self.feedback()
        self.product_context()
        self.portfolios_and_programs()
        self.projects()
        self.project_details()
        self.resources()
        self.risks()
        self.subscriptions()
