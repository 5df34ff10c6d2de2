import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from products.models import Competitor, Feature, Feedback, MarketInsight, Release, Theme
from tests.api import result_ids
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import (
    CompetitorFactory,
    FeatureFactory,
    FeedbackFactory,
    MarketInsightFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMemberFactory,
    ProductMetricFactory,
    ReleaseFactory,
    ThemeFactory,
    link_feedback,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _feature_row(product):
    feature = FeatureFactory(
        product=product,
        release=ReleaseFactory(product=product),
        theme=ThemeFactory(product=product),
        owner=UserFactory(),
    )
    feature.objectives.add(*ObjectiveFactory.create_batch(2))
    link_feedback(FeedbackFactory(product=product), feature)
    return feature


def _feedback_row(product):
    feedback = FeedbackFactory(product=product)
    link_feedback(feedback, *FeatureFactory.create_batch(2, product=product))
    return feedback


def _insight_row(product):
    insight = MarketInsightFactory(product=product)
    insight.features.add(FeatureFactory(product=product))
    return insight


def _product_row(product):
    product.objectives.add(ObjectiveFactory())
    ProductMemberFactory(product=product)
    ProductMemberFactory(product=product)
    return product


def _metric_row(product):
    metric = ProductMetricFactory(product=product)
    MetricReadingFactory.create_batch(3, metric=metric)
    return metric


# collection -> builds one fully linked row of it (for list/detail and query counts).
ROWS = {
    "products": lambda product: _product_row(product),
    "product-members": lambda product: ProductMemberFactory(product=product),
    "themes": lambda product: ThemeFactory(product=product),
    "releases": lambda product: ReleaseFactory(product=product),
    "features": _feature_row,
    "feedback": _feedback_row,
    "competitors": lambda product: CompetitorFactory(product=product),
    "insights": _insight_row,
    "metrics": _metric_row,
    "metric-readings": lambda product: MetricReadingFactory(metric=ProductMetricFactory(product=product)),
}


def _make(collection: str, n: int) -> list:
    return [ROWS[collection](ProductFactory()) for _ in range(n)]


# -----------------------------------------------------------------------------
# Access, list, detail
# -----------------------------------------------------------------------------
@pytest.mark.parametrize("collection", ROWS)
def test_anonymous_users_get_401_on_lists_and_details(api_client, collection):
    (row,) = _make(collection, 1)
    assert api_client.get(f"{API}/{collection}/").status_code == 401
    assert api_client.get(f"{API}/{collection}/{row.pk}/").status_code == 401


@pytest.mark.parametrize("collection", ROWS)
def test_any_signed_in_user_lists_and_reads_each_collection(api_as, outsider, collection):
    rows = _make(collection, 2)
    client = api_as(outsider)

    listed = client.get(f"{API}/{collection}/")
    assert listed.status_code == 200
    assert listed.json()["count"] == len(rows)
    assert sorted(result_ids(listed)) == sorted(row.pk for row in rows)

    detail = client.get(f"{API}/{collection}/{rows[0].pk}/")
    assert detail.status_code == 200
    assert detail.json()["id"] == rows[0].pk
    assert detail.json() == next(r for r in listed.json()["results"] if r["id"] == rows[0].pk)


@pytest.mark.parametrize("collection", ROWS)
def test_a_missing_id_is_404(api_as, member, collection):
    response = api_as(member).get(f"{API}/{collection}/999999/")
    assert response.status_code == 404
    assert response.json()["errors"] == {}
    assert response.json()["detail"]


@pytest.mark.parametrize("collection", ROWS)
def test_lists_issue_the_same_number_of_queries_for_5_or_55_rows(api_as, member, collection):
    client = api_as(member)
    _make(collection, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(f"{API}/{collection}/").status_code == 200
    _make(collection, 50)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{API}/{collection}/")
    assert response.json()["count"] == 55
    assert len(many) == len(five), [q["sql"] for q in many.captured_queries]


# -----------------------------------------------------------------------------
# What each collection says
# -----------------------------------------------------------------------------
def test_a_feature_shows_its_score_demand_version_and_links(api_as, member):
    product = ProductFactory()
    release, theme, owner = ReleaseFactory(product=product), ThemeFactory(product=product), UserFactory()
    objectives = ObjectiveFactory.create_batch(2)
    feature = FeatureFactory(
        product=product,
        release=release,
        theme=theme,
        owner=owner,
        reach=1000,
        impact=Decimal("2.00"),
        confidence=Decimal("0.80"),
        effort=Decimal("4.00"),
    )
    feature.objectives.add(*objectives)
    link_feedback(FeedbackFactory(product=product, importance=Feedback.Importance.CRITICAL), feature)
    link_feedback(FeedbackFactory(product=product, importance=Feedback.Importance.IMPORTANT), feature)

    body = api_as(member).get(f"{API}/features/{feature.pk}/").json()

    assert body["rice_score"] == "400.00"
    assert (body["demand"], body["demand_count"]) == (5, 2)
    assert body["version"] == 1
    assert (body["product"], body["release"], body["theme"], body["owner"]) == (
        product.pk,
        release.pk,
        theme.pk,
        owner.pk,
    )
    assert sorted(body["objectives"]) == sorted(o.pk for o in objectives)
    assert (body["reach"], body["impact"], body["confidence"], body["effort"]) == (1000, "2.00", "0.80", "4.00")


def test_a_product_lists_its_members_and_objectives(api_as, member):
    product = ProductFactory()
    objective = ObjectiveFactory()
    product.objectives.add(objective)
    editor = ProductMemberFactory(product=product, user=UserFactory(first_name="Ada", last_name="Lovelace"))

    body = api_as(member).get(f"{API}/products/{product.pk}/").json()

    assert body["owner"] == product.owner.pk
    assert body["objectives"] == [objective.pk]
    assert body["members"] == [{"user": editor.user.pk, "name": "Ada Lovelace", "function": "", "role": "editor"}]


def test_feedback_and_insights_list_the_ids_of_their_linked_features(api_as, member):
    product = ProductFactory()
    features = FeatureFactory.create_batch(2, product=product)
    feedback = FeedbackFactory(product=product)
    link_feedback(feedback, *features)
    insight = MarketInsightFactory(product=product)
    insight.features.add(features[0])
    client = api_as(member)

    assert sorted(client.get(f"{API}/feedback/{feedback.pk}/").json()["features"]) == sorted(f.pk for f in features)
    assert client.get(f"{API}/insights/{insight.pk}/").json()["features"] == [features[0].pk]


def test_a_metric_carries_its_latest_readings_newest_first(api_as, member):
    metric = ProductMetricFactory()
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1), value=Decimal("10"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 3, 1), value=Decimal("30"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 2, 1), value=Decimal("20"))

    body = api_as(member).get(f"{API}/metrics/{metric.pk}/").json()

    assert body["latest_readings"] == [
        {"date": "2026-03-01", "value": "30.00"},
        {"date": "2026-02-01", "value": "20.00"},
        {"date": "2026-01-01", "value": "10.00"},
    ]


# -----------------------------------------------------------------------------
# Filters
# -----------------------------------------------------------------------------
def test_features_filter_on_each_foreign_key_and_status(api_as, member):
    product = ProductFactory()
    release, theme, owner, objective = (
        ReleaseFactory(product=product),
        ThemeFactory(product=product),
        UserFactory(),
        ObjectiveFactory(),
    )
    target = FeatureFactory(
        product=product,
        release=release,
        theme=theme,
        owner=owner,
        status=Feature.Status.PLANNED,
        horizon=Feature.Horizon.NOW,
        title="Single sign-on with SAML",
    )
    target.objectives.add(objective)
    FeatureFactory(product=product, status=Feature.Status.IDEA)  # same product, nothing else in common
    FeatureFactory()  # another product
    client = api_as(member)

    for query in [
        f"release={release.pk}",
        f"theme={theme.pk}",
        f"owner={owner.pk}",
        f"objectives={objective.pk}",
        "status=planned",
        "horizon=now",
        "q=saml sign",
        f"product={product.pk}&status=planned&horizon=now",
        "unscheduled=false",
    ]:
        assert result_ids(client.get(f"{API}/features/?{query}")) == [target.pk], query
    assert len(result_ids(client.get(f"{API}/features/?product={product.pk}"))) == 2
    assert len(result_ids(client.get(f"{API}/features/?status=planned&status=idea"))) == 3


def test_feedback_filters_on_feature_product_status_choices_and_dates(api_as, member):
    product = ProductFactory()
    feature = FeatureFactory(product=product)
    now = timezone.now()
    linked = FeedbackFactory(
        product=product,
        status=Feedback.Status.LINKED,
        channel=Feedback.Channel.INTERVIEW,
        sentiment=Feedback.Sentiment.NEGATIVE,
        importance=Feedback.Importance.CRITICAL,
        received_at=now - datetime.timedelta(days=2),
        customer_name="Grace Hopper",
    )
    link_feedback(linked, feature)
    old = FeedbackFactory(product=product, received_at=now - datetime.timedelta(days=30))
    FeedbackFactory()  # another product, received now
    client = api_as(member)

    for query in [
        f"feature={feature.pk}",
        "status=linked",
        "channel=interview",
        "sentiment=negative",
        "importance=critical",
        "q=grace",
        "unlinked=false",
    ]:
        assert result_ids(client.get(f"{API}/feedback/?{query}")) == [linked.pk], query
    assert sorted(result_ids(client.get(f"{API}/feedback/?product={product.pk}"))) == sorted([linked.pk, old.pk])
    week_ago = (now - datetime.timedelta(days=7)).isoformat()
    day_ago = (now - datetime.timedelta(days=1)).isoformat()
    response = client.get(f"{API}/feedback/", {"received_after": week_ago, "received_before": day_ago})
    assert result_ids(response) == [linked.pk]
    assert result_ids(client.get(f"{API}/feedback/", {"received_before": week_ago})) == [old.pk]


def test_other_collections_filter_on_product_and_their_choice_fields(api_as, member):
    product = ProductFactory(lifecycle_stage="maturity")
    other = ProductFactory(lifecycle_stage="growth")
    release = ReleaseFactory(product=product, status=Release.Status.RELEASED)
    ReleaseFactory(product=other)
    theme = ThemeFactory(product=product)
    ThemeFactory(product=other)
    competitor = CompetitorFactory(product=product, threat_level=Competitor.Threat.HIGH)
    CompetitorFactory(product=other)
    insight = MarketInsightFactory(product=product, kind=MarketInsight.Kind.TREND)
    MarketInsightFactory(product=other)
    metric = ProductMetricFactory(product=product)
    ProductMetricFactory(product=other)
    reading = MetricReadingFactory(metric=metric, date=datetime.date(2026, 5, 1))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1))
    member_of = ProductMemberFactory(product=product)
    client = api_as(member)

    expectations = {
        "products/?lifecycle_stage=maturity": product,
        f"products/?owner={product.owner.pk}": product,
        f"products/?member={member_of.user.pk}": product,
        f"releases/?product={product.pk}": release,
        "releases/?status=released": release,
        f"themes/?product={product.pk}": theme,
        f"competitors/?product={product.pk}": competitor,
        "competitors/?threat_level=high": competitor,
        f"insights/?product={product.pk}": insight,
        "insights/?kind=trend": insight,
        f"metrics/?product={product.pk}": metric,
        f"metric-readings/?metric={metric.pk}&date_after=2026-03-01": reading,
    }
    for query, expected in expectations.items():
        assert result_ids(client.get(f"{API}/{query}")) == [expected.pk], query


def test_an_unknown_choice_or_id_in_a_filter_is_a_400_with_field_errors(api_as, member):
    client = api_as(member)
    response = client.get(f"{API}/features/?status=bogus&product=999999")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "product"}
    assert client.get(f"{API}/feedback/?received_after=yesterday").status_code == 400


# -----------------------------------------------------------------------------
# Ordering and pagination
# -----------------------------------------------------------------------------
def test_a_products_features_can_be_listed_by_rice_score(api_as, member):
    product = ProductFactory()
    low = FeatureFactory(product=product, reach=100, effort=Decimal("4.00"))  # 20.00
    high = FeatureFactory(product=product, reach=5000, effort=Decimal("1.00"))  # 4000.00
    middle = FeatureFactory(product=product, reach=1000, effort=Decimal("2.00"))  # 400.00
    FeatureFactory(reach=100000)  # another product's, higher still

    response = api_as(member).get(f"{API}/features/?product={product.pk}&ordering=-rice_score")

    assert response.status_code == 200
    assert result_ids(response) == [high.pk, middle.pk, low.pk]
    assert [row["rice_score"] for row in response.json()["results"]] == ["4000.00", "400.00", "20.00"]


def test_features_can_be_ordered_by_demand_then_title(api_as, member):
    product = ProductFactory()
    b, a, c = (FeatureFactory(product=product, title=title) for title in ("B", "A", "C"))
    link_feedback(FeedbackFactory(product=product, importance=Feedback.Importance.CRITICAL), c)
    client = api_as(member)

    assert result_ids(client.get(f"{API}/features/?ordering=-demand,title")) == [c.pk, a.pk, b.pk]
    assert result_ids(client.get(f"{API}/features/?ordering=title")) == [a.pk, b.pk, c.pk]


def test_features_default_to_their_roadmap_order(api_as, member):
    product = ProductFactory()
    second = FeatureFactory(product=product, horizon=Feature.Horizon.NOW, position=2)
    first = FeatureFactory(product=product, horizon=Feature.Horizon.NOW, position=1)
    assert result_ids(api_as(member).get(f"{API}/features/?product={product.pk}")) == [first.pk, second.pk]


def test_ordering_ties_are_broken_by_id_so_pages_neither_repeat_nor_skip(api_as, member):
    product = ProductFactory()
    features = FeatureFactory.create_batch(5, product=product)  # all with the same score
    client = api_as(member)
    seen = []
    for page in (1, 2, 3):
        seen += result_ids(client.get(f"{API}/features/?ordering=-rice_score&page_size=2&page={page}"))
    assert seen == [f.pk for f in features]


def test_an_unknown_ordering_field_is_a_400_naming_ordering(api_as, member):
    FeatureFactory()

    response = api_as(member).get(f"{API}/features/?ordering=description")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ordering"]


def test_lists_are_paginated_and_a_page_size_over_200_is_refused(api_as, member):
    product = ProductFactory()
    Theme.objects.bulk_create(Theme(product=product, name=f"Theme {n}", position=n) for n in range(205))
    client = api_as(member)

    small = client.get(f"{API}/themes/?page_size=2").json()
    assert (small["count"], len(small["results"])) == (205, 2)
    assert "page=2" in small["next"]

    assert len(client.get(f"{API}/themes/").json()["results"]) == 50
    assert len(client.get(f"{API}/themes/?page_size=200").json()["results"]) == 200
    too_many = client.get(f"{API}/themes/?page_size=1000")
    assert too_many.status_code == 400
    assert list(too_many.json()["errors"]) == ["page_size"]
    assert len(client.get(f"{API}/themes/?page_size=200&page=2").json()["results"]) == 5
