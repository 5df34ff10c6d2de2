"""The benchmark organisation's customer feedback and its links to features: the biggest tables of all."""

import datetime as dt
from collections.abc import Iterator

from django.utils.text import slugify

from portfolio.demo.scaled.base import BuilderBase, apportion
from portfolio.demo.scaled.shapes import ANCHOR_TIME
from portfolio.demo.scaled.vocabulary import (
    COMPANY_SUFFIXES,
    COMPANY_WORDS,
    FEEDBACK_BODIES,
    FEEDBACK_OPENERS,
    FIRST_NAMES,
    LAST_NAMES,
    OBJECTS,
    SEGMENTS,
)
from products.models import Feedback
from products.services import demand_recompute


class FeedbackBuilder(BuilderBase):
    def feedback(self) -> None:
        shape = self.shape
        rng = self.rng("feedback")
        weights = [self.feature_range[pk][1] for pk in self.product_ids]
        per_product = apportion(shape.feedback, weights)
        # How many features each feedback item is linked to: a tenth none, the rest 1-3, exactly feedback_links.
        unlinked = shape.feedback // 10
        linked = shape.feedback - unlinked
        extra = shape.feedback_links - linked
        if not 0 <= extra <= 2 * linked:
            raise ValueError("feedback_links must lie between 0.9 and 2.8 times feedback")
        threes = extra // 4
        twos = extra - 2 * threes
        link_counts = [0] * unlinked + [1] * (linked - twos - threes) + [2] * twos + [3] * threes
        self.rng("feedback-links-count").shuffle(link_counts)
        base = self.load.first_pk(Feedback)
        companies = [f"{word} {suffix}" for word in COMPANY_WORDS for suffix in COMPANY_SUFFIXES]
        domains = {company: slugify(company) + ".example" for company in companies}
        span = 540 * 86_400
        channels = list(Feedback.Channel)

        def rows() -> Iterator[tuple]:
            pk = base
            for product, count in zip(self.product_ids, per_product, strict=True):
                for _ in range(count):
                    links = link_counts[pk - base]
                    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                    company = rng.choice(companies)
                    received = ANCHOR_TIME - dt.timedelta(seconds=rng.randrange(span))
                    if links:
                        status = "linked"
                    else:
                        status = rng.choice(("new", "new", "triaged", "archived"))
                    yield (
                        pk,
                        product,
                        f"{rng.choice(FEEDBACK_OPENERS)} {rng.choice(OBJECTS)}",
                        rng.choice(FEEDBACK_BODIES),
                        rng.choice(channels),
                        f"{first} {last}",
                        company,
                        f"{first.lower()}.{last.lower()}@{domains[company]}",
                        rng.choice(SEGMENTS),
                        rng.choice(("negative", "neutral", "neutral", "positive")),
                        rng.choice(("nice-to-have", "nice-to-have", "important", "critical")),
                        received,
                        status,
                        received,
                        received,
                    )
                    pk += 1

        columns = (
            "id", "product_id", "summary", "body", "channel", "customer_name", "company", "email", "segment",
            "sentiment", "importance", "received_at", "status", "created_at", "updated_at",
        )  # fmt: skip
        self.load.write(Feedback, columns, rows(), fast=True)

        through = Feedback.features.through
        link_rng = self.rng("feedback-links")
        link_base = self.load.first_pk(through)

        def links() -> Iterator[tuple]:
            pk, link_pk = base, link_base
            for product, count in zip(self.product_ids, per_product, strict=True):
                first, size = self.feature_range[product]
                for _ in range(count):
                    chosen: list[int] = []
                    wanted = min(link_counts[pk - base], size)
                    while len(chosen) < wanted:
                        # Squared draws favour the first features: a few are in high demand, most get little.
                        feature = first + int(size * link_rng.random() ** 2)
                        if feature not in chosen:
                            chosen.append(feature)
                            yield (link_pk, pk, feature)
                            link_pk += 1
                    pk += 1

        self.load.write(through, ("id", "feedback_id", "feature_id"), links(), fast=True)
        # The links were written in bulk, past the feedback services: count each feature's demand once.
        demand_recompute()
