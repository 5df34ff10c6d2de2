"""Every database constraint of the products app rejects bad rows, and validation rejects them with a clear message.

Each case builds an unsaved row that breaks one rule (its parent rows saved), then:
- saving it without validation fails in the database (``IntegrityError``): check constraints are matched by name on
  every backend; unique ones by name on PostgreSQL or by "UNIQUE constraint failed: <columns>" on SQLite;
- ``full_clean()`` fails with exactly the expected ``message_dict``: a field key for a rule on one field, the
  non-field key ``__all__`` for a unique combination of fields (Django reports those there).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from portfolio.core.models import END_BEFORE_START
from products.models import (
    CONFIDENCE_MESSAGE,
    DATE_NEEDS_RELEASED,
    IMPACT_MESSAGE,
    RELEASED_NEEDS_DATE,
    Competitor,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)
from tests.constraints import (
    DEC_31,
    JAN_1,
    assert_database_rejects,
    assert_validation_rejects,
    same_as,
    unique_violation,
)
from tests.products.factories import (
    CompetitorFactory,
    FeatureFactory,
    MarketInsightFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMemberFactory,
    ProductMetricFactory,
    ReleaseFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def feature(**values):
    return FeatureFactory.build(product=ProductFactory(), **values)


def insight(**values):
    return MarketInsightFactory.build(product=ProductFactory(), **values)


EFFORT_MESSAGE = "Effort must be more than zero person-months."

CASES = [
    pytest.param(
        lambda: same_as(ProductFactory, "name", "owner"),
        unique_violation(Product, "products_product_name_key", "name"),
        {"name": ["Product with this Name already exists."]},
        id="a second product with the same name",
    ),
    pytest.param(
        lambda: same_as(ProductFactory, "slug", "owner"),
        unique_violation(Product, "products_product_slug_key", "slug"),
        {"slug": ["Product with this Slug already exists."]},
        id="a second product with the same slug",
    ),
    pytest.param(
        lambda: same_as(ProductMemberFactory, "product", "user"),
        unique_violation(ProductMember, "product_member_unique", "product", "user"),
        {NON_FIELD_ERRORS: ["This person is already a member of the product."]},
        id="the same person twice a member of a product",
    ),
    pytest.param(
        lambda: same_as(ThemeFactory, "product", "name"),
        unique_violation(Theme, "theme_unique_name_per_product", "product", "name"),
        {NON_FIELD_ERRORS: ["The product already has a theme with this name."]},
        id="two themes of a product with the same name",
    ),
    pytest.param(
        lambda: same_as(ReleaseFactory, "product", "name"),
        unique_violation(Release, "release_unique_name_per_product", "product", "name"),
        {NON_FIELD_ERRORS: ["The product already has a release with this name."]},
        id="two releases of a product with the same name",
    ),
    pytest.param(
        lambda: ReleaseFactory.build(product=ProductFactory(), status="released", released_on=None),
        "release_released_on_iff_released",
        {"released_on": [RELEASED_NEEDS_DATE]},
        id="a released release without its date",
    ),
    pytest.param(
        lambda: ReleaseFactory.build(product=ProductFactory(), status="planned", released_on=JAN_1),
        "release_released_on_iff_released",
        {"released_on": [DATE_NEEDS_RELEASED]},
        id="a planned release with a release date",
    ),
    pytest.param(
        lambda: same_as(CompetitorFactory, "product", "name"),
        unique_violation(Competitor, "competitor_unique_name_per_product", "product", "name"),
        {NON_FIELD_ERRORS: ["This competitor is already listed for the product."]},
        id="two competitors of a product with the same name",
    ),
    pytest.param(
        lambda: same_as(ProductMetricFactory, "product", "name"),
        unique_violation(ProductMetric, "metric_unique_name_per_product", "product", "name"),
        {NON_FIELD_ERRORS: ["The product already has a metric with this name."]},
        id="two metrics of a product with the same name",
    ),
    pytest.param(
        lambda: same_as(MetricReadingFactory, "metric", "date"),
        unique_violation(MetricReading, "metric_reading_unique_per_date", "metric", "date"),
        {NON_FIELD_ERRORS: ["The metric already has a reading for this date."]},
        id="two readings of a metric on the same date",
    ),
    pytest.param(
        lambda: feature(start_date=DEC_31, end_date=JAN_1),
        "feature_end_after_start",
        {"end_date": [END_BEFORE_START]},
        id="a feature that ends before it starts",
    ),
    pytest.param(
        lambda: feature(reach=-1),
        # A positive integer column carries its own check; SQLite tries it first, PostgreSQL (checks by name) ours.
        "feature_reach_not_negative|CHECK constraint failed: reach",
        {"reach": ["Ensure this value is greater than or equal to 0."]},
        id="a feature with negative reach",
    ),
    *(
        pytest.param(
            lambda impact=impact: feature(impact=impact),
            "feature_impact_rice_scale",
            {"impact": [IMPACT_MESSAGE]},
            id=f"a feature with impact {impact}",
        )
        for impact in (Decimal("0"), Decimal("0.70"), Decimal("4"))
    ),
    *(
        pytest.param(
            lambda confidence=confidence: feature(confidence=confidence),
            "feature_confidence_rice_scale",
            {"confidence": [CONFIDENCE_MESSAGE]},
            id=f"a feature with confidence {confidence}",
        )
        for confidence in (Decimal("0.20"), Decimal("0.90"), Decimal("1.50"))
    ),
    pytest.param(
        lambda: feature(effort=Decimal("-1")),
        "feature_effort_positive",
        {"effort": [EFFORT_MESSAGE]},
        id="a feature with negative effort",
    ),
    pytest.param(
        lambda: insight(estimated_value=Decimal("-0.01")),
        "insight_value_not_negative",
        {"estimated_value": ["The estimated value cannot be negative."]},
        id="an insight with a negative estimated value",
    ),
]


@pytest.mark.parametrize(("make", "violation", "errors"), CASES)
def test_the_database_rejects(make, violation, errors):
    assert_database_rejects(make(), violation)


@pytest.mark.parametrize(("make", "violation", "errors"), CASES)
def test_validation_rejects_with_a_clear_message(make, violation, errors):
    assert_validation_rejects(make(), errors)


def test_validation_rejects_zero_effort_with_a_clear_message():
    assert_validation_rejects(feature(effort=0), {"effort": [EFFORT_MESSAGE]})


def test_the_database_rejects_zero_effort_on_its_check_not_a_division_error():
    # rice_score divides by NULLIF(effort, 0), so the named check refuses the row on every database.
    assert_database_rejects(feature(effort=0), "feature_effort_positive")


@pytest.mark.parametrize(
    "values",
    [
        {"impact": Decimal("0.25"), "confidence": Decimal("0.50"), "reach": 0, "effort": Decimal("0.01")},
        {"impact": Decimal("3"), "confidence": Decimal("1"), "start_date": JAN_1, "end_date": JAN_1},
        {"start_date": None, "end_date": JAN_1},
    ],
    ids=["the lowest scale values", "the highest scale values and a one-day range", "an open start"],
)
def test_a_feature_at_the_edges_of_every_rule_passes_validation_and_saves(values):
    row = feature(**values)
    row.full_clean()
    row.save()


def test_an_insight_without_an_estimated_value_passes_validation_and_saves():
    row = insight(estimated_value=None)
    row.full_clean()
    row.save()
