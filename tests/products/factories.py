import datetime
from decimal import Decimal

import factory
from django.db import transaction
from django.utils import timezone

from products.models import (
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)
from products.services import feature_demand_refresh
from tests.core.factories import UserFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    owner = factory.SubFactory(UserFactory)
    lifecycle_stage = Product.Stage.GROWTH


class ProductMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductMember

    product = factory.SubFactory(ProductFactory)
    user = factory.SubFactory(UserFactory)
    role = ProductMember.Role.EDITOR


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"R{n}")
    target_date = datetime.date(2026, 12, 1)
    status = Release.Status.PLANNED
    # A released release has the date it went out (the database holds it to that), and only a released one.
    released_on = factory.LazyAttribute(lambda release: release.target_date if release.status == "released" else None)


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feature

    product = factory.SubFactory(ProductFactory)
    title = factory.Sequence(lambda n: f"Feature {n}")
    reach = 1000
    impact = Decimal("1.00")
    confidence = Decimal("0.80")
    effort = Decimal("2.00")


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    product = factory.SubFactory(ProductFactory)
    summary = factory.Sequence(lambda n: f"Feedback {n}")
    company = "Acme Corp"
    received_at = factory.LazyFunction(timezone.now)


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Competitor {n}")


class MarketInsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketInsight

    product = factory.SubFactory(ProductFactory)
    kind = MarketInsight.Kind.OPPORTUNITY
    title = factory.Sequence(lambda n: f"Insight {n}")


class ProductMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductMetric

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Metric {n}")
    target = Decimal("100")


class MetricReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricReading

    metric = factory.SubFactory(ProductMetricFactory)
    # Counting back from a day that has been (a reading cannot be dated ahead).
    date = factory.Sequence(lambda n: datetime.date(2026, 11, 1) - datetime.timedelta(days=n))
    value = Decimal("50")


def link_feedback(feedback: Feedback, *features: Feature) -> Feedback:
    """Link ``feedback`` to ``features`` as set-up, then recount their demand as the feedback services do.

    For tests that need links the services would refuse (another product's feature) or many of them quickly; a
    test of linking itself goes through ``products.services.feedback_link``.
    """
    # In a transaction of its own: the recount locks the features, and a browser test's set-up runs in autocommit.
    with transaction.atomic():
        feedback.features.add(*features)
        feature_demand_refresh(feature_ids=[feature.pk for feature in features])
    return feedback
