"""The benchmark organisation's products: members, themes, releases, features, competitors, insights, metrics."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.utils.text import slugify

from portfolio.demo.scaled.base import BuilderBase, apportion, money, quarter_end
from portfolio.demo.scaled.shapes import (
    ANCHOR,
    COMPETITORS_PER_PRODUCT,
    INSIGHTS_PER_PRODUCT,
    MEMBERS_PER_PRODUCT,
    METRICS_PER_PRODUCT,
    READINGS_PER_METRIC,
    RELEASE_QUARTERS,
    THEMES_PER_PRODUCT,
)
from portfolio.demo.scaled.vocabulary import (
    COLOURS,
    COMPETITORS,
    EFFORTS,
    OBJECTS,
    PRODUCT_WORDS_A,
    PRODUCT_WORDS_B,
    QUALIFIERS,
    SEGMENTS,
    THEME_NAMES,
    VERBS,
)
from products.models import (
    CONFIDENCE_VALUES,
    IMPACT_VALUES,
    Competitor,
    Feature,
    MarketInsight,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)
from products.selectors import POSITION_STEP


class ProductsBuilder(BuilderBase):
    def products(self) -> None:
        shape, rng = self.shape, self.rng("products")
        base = self.load.first_pk(Product)
        self.product_ids = [base + i for i in range(shape.products)]
        self.product_owner: dict[int, int] = {}
        rows = []
        a, b = len(PRODUCT_WORDS_A), len(PRODUCT_WORDS_B)
        for i, pk in enumerate(self.product_ids):
            name = f"{PRODUCT_WORDS_A[i % a]} {PRODUCT_WORDS_B[(i // a) % b]}"
            if i >= a * b:
                name += f" {i // (a * b) + 1}"
            owner = self.pm_ids[i % len(self.pm_ids)]
            self.product_owner[pk] = owner
            stage = Product.Stage.GROWTH if i == 0 else rng.choice(list(Product.Stage))
            rows.append(
                (
                    pk,
                    name,
                    slugify(name),
                    f"{name}: one of the organisation's products.",
                    f"Make {name} the obvious choice for its customers.",
                    owner,
                    stage,
                )
            )
        columns = ("id", "name", "slug", "description", "vision", "owner_id", "lifecycle_stage")
        self.load.write(Product, columns, rows)

        through = Product.objectives.through
        link_base = self.load.first_pk(through)
        links = []
        for pk in self.product_ids:
            for objective in rng.sample(self.objective_ids, min(2, len(self.objective_ids))):
                links.append((link_base + len(links), pk, objective))
        self.load.write(through, ("id", "product_id", "strategicobjective_id"), links)

        member_base = self.load.first_pk(ProductMember)
        self.product_members: dict[int, list[int]] = {}
        rows = []
        for pk in self.product_ids:
            members = rng.sample(self.member_ids, min(MEMBERS_PER_PRODUCT, len(self.member_ids)))
            self.product_members[pk] = members
            for k, user in enumerate(members):
                role = ProductMember.Role.EDITOR if k < 2 else ProductMember.Role.VIEWER
                rows.append((member_base + len(rows), pk, user, self.user_functions[user], role))
        self.load.write(ProductMember, ("id", "product_id", "user_id", "function", "role"), rows)

        theme_base = self.load.first_pk(Theme)
        self.theme_ids: dict[int, list[int]] = {}
        rows = []
        for pk in self.product_ids:
            self.theme_ids[pk] = []
            for position, name in enumerate(rng.sample(THEME_NAMES, THEMES_PER_PRODUCT)):
                self.theme_ids[pk].append(theme_base + len(rows))
                rows.append((theme_base + len(rows), pk, name, COLOURS[(position + pk) % len(COLOURS)], position))
        self.load.write(Theme, ("id", "product_id", "name", "colour", "position"), rows)

        release_base = self.load.first_pk(Release)
        self.releases: dict[int, list[tuple[int, dt.date]]] = {}
        rows = []
        for pk in self.product_ids:
            self.releases[pk] = []
            for offset in RELEASE_QUARTERS:
                end = quarter_end(ANCHOR, offset)
                target = end - dt.timedelta(days=rng.randrange(0, 21))
                quarter = (end.month - 1) // 3 + 1
                if offset < 0:
                    status, released_on = Release.Status.RELEASED, target + dt.timedelta(days=rng.randint(-3, 7))
                else:
                    status, released_on = (Release.Status.IN_PROGRESS if offset == 0 else Release.Status.PLANNED), None
                self.releases[pk].append((release_base + len(rows), target))
                rows.append(
                    (
                        release_base + len(rows),
                        pk,
                        f"{end.year} Q{quarter}",
                        f"The Q{quarter} {end.year} release.",
                        target,
                        status,
                        released_on,
                    )
                )
        columns = ("id", "product_id", "name", "description", "target_date", "status", "released_on")
        self.load.write(Release, columns, rows)

    def features(self) -> None:
        shape, rng = self.shape, self.rng("features")
        rest = [rng.uniform(0.4, 1.6) for _ in self.product_ids[1:]]
        counts = [shape.big_product_features] + apportion(shape.features - shape.big_product_features, rest)
        base = self.load.first_pk(Feature)
        # Each product's features get consecutive ids: (first id, how many).
        self.feature_range: dict[int, tuple[int, int]] = {}
        start = base
        for pk, count in zip(self.product_ids, counts, strict=True):
            self.feature_range[pk] = (start, count)
            start += count

        def rows() -> Iterator[tuple]:
            for pk in self.product_ids:
                first, count = self.feature_range[pk]
                releases, themes = self.releases[pk], self.theme_ids[pk]
                owners = self.product_members[pk] + [self.product_owner[pk]]
                # Spaced positions, as the roadmap leaves them (a drop takes the middle of a gap).
                positions = dict.fromkeys(("now", "next", "later"), POSITION_STEP)
                for offset in range(count):
                    roll = rng.random()
                    if roll < 0.25:
                        horizon = "now"
                        status = rng.choice(("shipped", "shipped", "in-progress", "in-progress", "planned"))
                        release = releases[rng.randrange(2)] if status == "shipped" else releases[2]
                    elif roll < 0.55:
                        horizon = "next"
                        status = "planned" if rng.random() < 0.7 else "idea"
                        release = releases[rng.randint(3, 4)] if status == "planned" or rng.random() < 0.5 else None
                    else:
                        horizon = "later"
                        status = rng.choice(("idea", "idea", "idea", "idea", "parked", "planned"))
                        release = releases[5] if status == "planned" else None
                    if release is None:
                        release_id = start_date = end_date = None
                    else:
                        release_id, end_date = release
                        start_date = end_date - dt.timedelta(days=rng.randrange(30, 121))
                    title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(QUALIFIERS)}"
                    yield (
                        first + offset,
                        pk,
                        title,
                        f"{title}. Requested by customers in several segments.",
                        status,
                        horizon,
                        release_id,
                        themes[rng.randrange(len(themes))] if rng.random() < 0.9 else None,
                        start_date,
                        end_date,
                        positions[horizon],
                        rng.choice(owners),
                        int(10 ** rng.uniform(1, 4.5)),
                        rng.choice(IMPACT_VALUES),
                        rng.choice(CONFIDENCE_VALUES),
                        rng.choice(EFFORTS),
                    )
                    positions[horizon] += POSITION_STEP

        columns = (
            "id", "product_id", "title", "description", "status", "horizon", "release_id", "theme_id", "start_date",
            "end_date", "position", "owner_id", "reach", "impact", "confidence", "effort",
        )  # fmt: skip
        self.load.write(Feature, columns, rows(), fast=True)

    def product_context(self) -> None:
        rng = self.rng("market")
        base = self.load.first_pk(Competitor)
        rows = []
        for pk in self.product_ids:
            for name in rng.sample(COMPETITORS, COMPETITORS_PER_PRODUCT):
                rows.append(
                    (
                        base + len(rows),
                        pk,
                        name,
                        f"https://{name.lower()}.example",
                        "Cheaper, narrower.",
                        "Price, brand",
                        "Integrations, support",
                        f"from €{rng.randrange(5, 60)} per seat",
                        rng.choice(list(Competitor.Threat)),
                    )
                )
        columns = ("id", "product_id", "name", "website", "positioning", "strengths", "weaknesses", "pricing")
        self.load.write(Competitor, columns + ("threat_level",), rows)

        base = self.load.first_pk(MarketInsight)
        rows = []
        for pk in self.product_ids:
            for _ in range(INSIGHTS_PER_PRODUCT):
                rows.append(
                    (
                        base + len(rows),
                        pk,
                        rng.choice(list(MarketInsight.Kind)),
                        f"Demand for {rng.choice(OBJECTS)} in {rng.choice(SEGMENTS)}",
                        rng.choice(SEGMENTS),
                        "Seen in win/loss interviews.",
                        money(rng, 100, 5_000),
                    )
                )
        columns = ("id", "product_id", "kind", "title", "segment", "evidence", "estimated_value")
        self.load.write(MarketInsight, columns, rows)

        base = self.load.first_pk(ProductMetric)
        metrics = [("Weekly active users", "users"), ("Net revenue retention", "%"), ("Activation rate", "%")]
        rows, metric_ids = [], []
        for pk in self.product_ids:
            for name, unit in rng.sample(metrics, METRICS_PER_PRODUCT):
                metric_ids.append(base + len(rows))
                rows.append((base + len(rows), pk, name, unit, Decimal(rng.randrange(50, 5_000)), "higher"))
        self.load.write(ProductMetric, ("id", "product_id", "name", "unit", "target", "direction"), rows)

        base = self.load.first_pk(MetricReading)
        rows = []
        for metric in metric_ids:
            value = rng.randrange(40, 4_000)
            for month in range(READINGS_PER_METRIC):
                year, index = divmod(ANCHOR.year * 12 + ANCHOR.month - 1 - month, 12)
                value = max(1, value + rng.randint(-value // 10, value // 8 + 1))
                rows.append((base + len(rows), metric, dt.date(year, index + 1, 1), Decimal(value)))
        self.load.write(MetricReading, ("id", "metric_id", "date", "value"), rows)
