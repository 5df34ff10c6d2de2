import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count

from products import selectors
from products.models import Feature, Feedback, Product
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import (
    FeatureFactory,
    FeedbackFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMemberFactory,
    ProductMetricFactory,
    ReleaseFactory,
    link_feedback,
)

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
        link_feedback(FeedbackFactory(product=feature.product, importance=importance), feature)
    # Feedback on another feature of the product, and unlinked feedback, count for nothing here.
    other = FeatureFactory(product=feature.product)
    link_feedback(FeedbackFactory(product=feature.product, importance=Feedback.Importance.CRITICAL), other)
    FeedbackFactory(product=feature.product, importance=Feedback.Importance.CRITICAL)
    return feature


def test_feature_demand_counts_linked_feedback_and_weighs_it_by_importance(demanded_feature):
    assert selectors.feature_demand(feature=demanded_feature) == {"count": 4, "score": 7}


def test_feature_demand_of_a_feature_without_feedback_is_zero(db):
    assert selectors.feature_demand(feature=FeatureFactory()) == {"count": 0, "score": 0}


def test_one_feedback_linked_to_two_features_counts_for_both(db):
    first, second = FeatureFactory(), FeatureFactory()
    link_feedback(FeedbackFactory(importance=Feedback.Importance.IMPORTANT), first, second)
    assert selectors.feature_demand(feature=first) == {"count": 1, "score": 2}
    assert selectors.feature_demand(feature=second) == {"count": 1, "score": 2}


def test_demand_recount_gives_the_same_figures_as_stored_in_one_query(demanded_feature, django_assert_num_queries):
    quiet = FeatureFactory()
    with django_assert_num_queries(1):
        rows = {f.pk: f for f in selectors.demand_recount(Feature.objects.all())}
    assert (rows[demanded_feature.pk].recounted_demand_count, rows[demanded_feature.pk].recounted_demand) == (4, 7)
    assert (rows[quiet.pk].recounted_demand_count, rows[quiet.pk].recounted_demand) == (0, 0)
    for feature in rows.values():
        assert (feature.demand_count, feature.demand) == (feature.recounted_demand_count, feature.recounted_demand)
    assert not selectors.demand_drift().exists()


def test_demand_recount_does_not_multiply_rows_with_other_counts(demanded_feature):
    demanded_feature.objectives.add(*ObjectiveFactory.create_batch(3))
    annotated = selectors.demand_recount(Feature.objects.filter(pk=demanded_feature.pk)).annotate(
        objective_count=Count("objectives")
    )
    (feature,) = annotated
    assert (feature.recounted_demand_count, feature.recounted_demand, feature.objective_count) == (4, 7, 3)


def test_archived_feedback_does_not_count_towards_demand(demanded_feature):
    archived = FeedbackFactory(product=demanded_feature.product, status=Feedback.Status.ARCHIVED, importance="critical")
    link_feedback(archived, demanded_feature)
    assert selectors.feature_demand(feature=demanded_feature) == {"count": 4, "score": 7}


def test_demand_drift_finds_a_feature_whose_stored_figures_were_written_past_the_services(demanded_feature):
    Feature.objects.filter(pk=demanded_feature.pk).update(demand=1, demand_count=1)
    assert list(selectors.demand_drift()) == [demanded_feature]


def test_features_can_be_ordered_by_demand(demanded_feature):
    some = FeatureFactory(product=demanded_feature.product)
    link_feedback(FeedbackFactory(product=some.product, importance=Feedback.Importance.CRITICAL), some)
    ordered = Feature.objects.filter(product=demanded_feature.product).order_by("-demand", "id")
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


# -----------------------------------------------------------------------------
# Product pages
# -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_product_table_counts_each_products_features_even_when_filtered_through_members():
    atlas = ProductFactory(name="Atlas")
    ProductFactory(name="Beacon")
    FeatureFactory.create_batch(3, product=atlas)
    ProductMemberFactory.create_batch(2, product=atlas)  # a join on members must not multiply the 3

    rows = selectors.product_table().filter(memberships__isnull=False).distinct()

    assert [(p.name, p.feature_count) for p in rows] == [("Atlas", 3)]
    assert [(p.name, p.feature_count) for p in selectors.product_table()] == [("Atlas", 3), ("Beacon", 0)]


@pytest.mark.django_db
def test_product_owners_are_the_users_who_own_a_product_once_each_by_name():
    zoe = UserFactory(username="zoe", first_name="Zoe", last_name="A")
    adam = UserFactory(username="adam", first_name="Adam", last_name="B")
    UserFactory(username="nobody")
    ProductFactory.create_batch(2, owner=zoe)
    ProductFactory(owner=adam)

    assert [user.username for user in selectors.product_owners()] == ["adam", "zoe"]


@pytest.mark.django_db
def test_product_detail_finds_by_slug_and_refuses_an_unknown_one():
    product = ProductFactory(slug="atlas")

    assert selectors.product_detail(slug="atlas") == product
    with pytest.raises(Product.DoesNotExist):
        selectors.product_detail(slug="nope")


@pytest.mark.django_db
def test_product_team_groups_members_by_function_in_the_teams_order():
    product = ProductFactory()
    for username, function in [
        ("sam", "support"),
        ("bea", "engineering"),
        ("al", "engineering"),
        ("dee", "design"),
        ("ops", "operations"),
        ("x", ""),
    ]:
        ProductMemberFactory(
            product=product, user=UserFactory(username=username, first_name=username), function=function
        )
    ProductMemberFactory(function="engineering")  # another product's

    team = selectors.product_team(product=product)

    assert [(label, [m.user.username for m in members]) for label, members in team] == [
        ("Engineering", ["al", "bea"]),
        ("Design", ["dee"]),
        ("Support", ["sam"]),
        ("Operations", ["ops"]),
        ("No function given", ["x"]),
    ]


@pytest.mark.django_db
def test_product_releases_are_the_products_own_by_target_date():
    product = ProductFactory()
    ReleaseFactory(product=product, name="B", target_date=datetime.date(2027, 1, 1))
    ReleaseFactory(product=product, name="A", target_date=datetime.date(2026, 6, 1))
    ReleaseFactory(name="Other", target_date=datetime.date(2026, 1, 1))

    assert [r.name for r in selectors.product_releases(product=product)] == ["A", "B"]


@pytest.mark.django_db
def test_product_feature_status_counts_cover_every_status_including_zeros():
    product = ProductFactory()
    for status, count in [("idea", 3), ("in-progress", 1), ("shipped", 2)]:
        FeatureFactory.create_batch(count, product=product, status=status)
    FeatureFactory(status="parked")  # another product's

    assert selectors.product_feature_status_counts(product=product) == [
        ("idea", "Idea", 3),
        ("planned", "Planned", 0),
        ("in-progress", "In progress", 1),
        ("shipped", "Shipped", 2),
        ("parked", "Parked", 0),
    ]


@pytest.mark.django_db
def test_product_top_demand_features_rank_by_weighted_demand_then_count_and_skip_the_unasked():
    product = ProductFactory()
    one_critical = FeatureFactory(product=product, title="critical once")  # demand 3, count 1
    three_nice = FeatureFactory(product=product, title="nice thrice")  # demand 3, count 3
    two_important = FeatureFactory(product=product, title="important twice")  # demand 4, count 2
    FeatureFactory(product=product, title="never asked")
    link_feedback(FeedbackFactory(product=product, importance="critical"), one_critical)
    for _ in range(3):
        link_feedback(FeedbackFactory(product=product, importance="nice-to-have"), three_nice)
    for _ in range(2):
        link_feedback(FeedbackFactory(product=product, importance="important"), two_important)

    top = selectors.product_top_demand_features(product=product)

    assert [(f.title, f.demand, f.demand_count) for f in top] == [
        ("important twice", 4, 2),
        ("nice thrice", 3, 3),
        ("critical once", 3, 1),
    ]
    assert [f.title for f in selectors.product_top_demand_features(product=product, limit=1)] == ["important twice"]
