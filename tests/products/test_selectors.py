from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count

from products import selectors
from products.models import Feature, Feedback
from tests.core.factories import ObjectiveFactory
from tests.products.factories import FeatureFactory, FeedbackFactory, MetricReadingFactory, ProductMetricFactory

D = Decimal


def _on_sqlite() -> bool:
    return connection.vendor == "sqlite"


# -----------------------------------------------------------------------------
# RICE
# -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reach", "impact", "confidence", "effort", "expected"),
    [
        (1000, "2.00", "0.80", "4.00", "400.00"),  # 1000 × 2 × 0.8 / 4
        (300, "0.50", "1.00", "3.00", "50.00"),  # 300 × 0.5 × 1 / 3
        (100, "1.00", "0.80", "3.00", "26.67"),  # 80 / 3 = 26.666…
        (0, "3.00", "1.00", "1.00", "0.00"),  # no reach, no score
        (7, "0.25", "0.50", "0.70", "1.25"),  # 0.875 / 0.7
    ],
)
def test_rice_score_is_reach_times_impact_times_confidence_over_effort(reach, impact, confidence, effort, expected):
    assert selectors.rice_score(reach=reach, impact=D(impact), confidence=D(confidence), effort=D(effort)) == D(
        expected
    )


def test_rice_score_rounds_half_cents_up_like_a_numeric_column():
    # 1 × 0.25 × 0.5 / 1 = 0.125
    assert selectors.rice_score(reach=1, impact=D("0.25"), confidence=D("0.50"), effort=D("1.00")) == D("0.13")


def test_rice_score_refuses_zero_effort():
    with pytest.raises(ValueError, match="Effort"):
        selectors.rice_score(reach=10, impact=D("1.00"), confidence=D("1.00"), effort=D("0"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reach", "impact", "confidence", "effort"),
    [
        (1000, "2.00", "0.80", "4.00"),
        (1234, "0.50", "0.80", "2.50"),
        (100, "1.00", "0.80", "3.00"),
        (57, "3.00", "0.50", "0.35"),
        (0, "1.00", "1.00", "1.00"),
        (250000, "0.25", "0.80", "7.00"),
    ],
)
def test_rice_score_agrees_with_the_stored_column_on_real_rows(reach, impact, confidence, effort):
    feature = FeatureFactory(reach=reach, impact=D(impact), confidence=D(confidence), effort=D(effort))
    stored = Feature.objects.values_list("rice_score", flat=True).get(pk=feature.pk)
    assert stored == selectors.rice_score(reach=reach, impact=D(impact), confidence=D(confidence), effort=D(effort))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reach", "impact", "confidence", "effort"),
    [
        (100, "1.00", "1.00", "3.00"),  # every operand integral: must not divide integers (33.33, not 33)
        (1, "0.25", "0.50", "1.00"),  # 0.125 rounds half-up to 0.13 on every database
    ],
)
def test_rice_score_agrees_with_the_stored_column_on_integral_inputs_and_half_cents(reach, impact, confidence, effort):
    feature = FeatureFactory(reach=reach, impact=D(impact), confidence=D(confidence), effort=D(effort))
    stored = Feature.objects.values_list("rice_score", flat=True).get(pk=feature.pk)
    assert stored == selectors.rice_score(reach=reach, impact=D(impact), confidence=D(confidence), effort=D(effort))


# -----------------------------------------------------------------------------
# Feature demand
# -----------------------------------------------------------------------------
@pytest.fixture
def demanded_feature(db):
    """A feature with 2 nice-to-have, 1 important and 1 critical feedback: count 4, score 1 + 1 + 2 + 3 = 7."""
    feature = FeatureFactory()
    importances = [
        Feedback.Importance.NICE_TO_HAVE,
        Feedback.Importance.NICE_TO_HAVE,
        Feedback.Importance.IMPORTANT,
        Feedback.Importance.CRITICAL,
    ]
    for importance in importances:
        FeedbackFactory(product=feature.product, importance=importance).features.add(feature)
    # Feedback on another feature of the product, and unlinked feedback, count for nothing here.
    other = FeatureFactory(product=feature.product)
    FeedbackFactory(product=feature.product, importance=Feedback.Importance.CRITICAL).features.add(other)
    FeedbackFactory(product=feature.product, importance=Feedback.Importance.CRITICAL)
    return feature


def test_feature_demand_counts_linked_feedback_and_weighs_it_by_importance(demanded_feature):
    assert selectors.feature_demand(feature=demanded_feature) == {"count": 4, "score": 7}


def test_feature_demand_of_a_feature_without_feedback_is_zero(db):
    assert selectors.feature_demand(feature=FeatureFactory()) == {"count": 0, "score": 0}


def test_one_feedback_linked_to_two_features_counts_for_both(db):
    first, second = FeatureFactory(), FeatureFactory()
    FeedbackFactory(importance=Feedback.Importance.IMPORTANT).features.add(first, second)
    assert selectors.feature_demand(feature=first) == {"count": 1, "score": 2}
    assert selectors.feature_demand(feature=second) == {"count": 1, "score": 2}


def test_features_with_demand_annotates_the_same_figures_in_one_query(demanded_feature, django_assert_num_queries):
    quiet = FeatureFactory()
    with django_assert_num_queries(1):
        rows = {f.pk: f for f in selectors.features_with_demand(Feature.objects.all())}
    assert (rows[demanded_feature.pk].demand_count, rows[demanded_feature.pk].demand) == (4, 7)
    assert (rows[quiet.pk].demand_count, rows[quiet.pk].demand) == (0, 0)
    for feature in rows.values():
        figures = selectors.feature_demand(feature=feature)
        assert (feature.demand_count, feature.demand) == (figures["count"], figures["score"])


def test_features_with_demand_does_not_multiply_rows_with_other_counts(demanded_feature):
    demanded_feature.objectives.add(*ObjectiveFactory.create_batch(3))
    annotated = selectors.features_with_demand(Feature.objects.filter(pk=demanded_feature.pk)).annotate(
        objective_count=Count("objectives")
    )
    (feature,) = annotated
    assert (feature.demand_count, feature.demand, feature.objective_count) == (4, 7, 3)


def test_features_can_be_ordered_by_demand(demanded_feature):
    some = FeatureFactory(product=demanded_feature.product)
    FeedbackFactory(product=some.product, importance=Feedback.Importance.CRITICAL).features.add(some)
    ordered = selectors.features_with_demand(Feature.objects.filter(product=demanded_feature.product)).order_by(
        "-demand", "id"
    )
    assert [f.demand for f in ordered] == [7, 3, 3]
    assert ordered[0] == demanded_feature


# -----------------------------------------------------------------------------
# Lists
# -----------------------------------------------------------------------------
def test_feature_list_carries_demand_and_objectives(demanded_feature, django_assert_num_queries):
    objective = ObjectiveFactory()
    demanded_feature.objectives.add(objective)
    with django_assert_num_queries(2):  # features with demand, then their objectives
        feature = next(f for f in selectors.feature_list() if f.pk == demanded_feature.pk)
        assert [o.pk for o in feature.objectives.all()] == [objective.pk]
    assert (feature.demand_count, feature.demand) == (4, 7)


def test_metric_list_keeps_only_the_latest_readings_newest_first(db):
    metric = ProductMetricFactory()
    readings = MetricReadingFactory.create_batch(selectors.LATEST_READINGS + 3, metric=metric)
    quiet = ProductMetricFactory()
    metrics = {m.pk: m for m in selectors.metric_list()}
    newest = sorted(readings, key=lambda r: r.date, reverse=True)[: selectors.LATEST_READINGS]
    assert [r.pk for r in metrics[metric.pk].latest_readings] == [r.pk for r in newest]
    assert metrics[quiet.pk].latest_readings == []
