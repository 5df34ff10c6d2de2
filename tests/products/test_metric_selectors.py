"""The figures of product metrics, computed by hand: a KPI's trend against its target, and the feedback of the month."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from products import selectors
from tests.products.factories import FeedbackFactory, MetricReadingFactory, ProductFactory, ProductMetricFactory

pytestmark = pytest.mark.django_db


def reading(metric, day: str, value: str):
    return MetricReadingFactory(metric=metric, date=datetime.date.fromisoformat(day), value=Decimal(value))


def test_a_trend_is_its_readings_in_date_order_the_latest_and_the_change_since_the_one_before():
    metric = ProductMetricFactory(target=Decimal("100"), direction="higher")
    reading(metric, "2026-03-01", "90")
    reading(metric, "2026-01-01", "70")
    reading(metric, "2026-02-01", "85.5")

    trend = selectors.metric_trend(metric=metric)

    assert [str(r.date) for r in trend.readings] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert trend.latest.value == Decimal("90")
    assert trend.previous.value == Decimal("85.5")
    assert trend.change == Decimal("4.5")  # 90 − 85.5
    assert trend.on_target is False  # 90 < 100, and higher is better
    assert trend.improved is True  # up, and higher is better


def test_higher_is_better_is_on_target_at_or_above_the_target():
    assert selectors.metric_on_target(value=Decimal("100"), target=Decimal("100"), direction="higher") is True
    assert selectors.metric_on_target(value=Decimal("100.01"), target=Decimal("100"), direction="higher") is True
    assert selectors.metric_on_target(value=Decimal("99.99"), target=Decimal("100"), direction="higher") is False


def test_lower_is_better_is_on_target_at_or_below_the_target():
    assert selectors.metric_on_target(value=Decimal("1.5"), target=Decimal("1.5"), direction="lower") is True
    assert selectors.metric_on_target(value=Decimal("1.2"), target=Decimal("1.5"), direction="lower") is True
    assert selectors.metric_on_target(value=Decimal("1.6"), target=Decimal("1.5"), direction="lower") is False


def test_a_falling_value_of_a_lower_is_better_kpi_is_an_improvement_and_can_reach_its_target():
    metric = ProductMetricFactory(target=Decimal("2"), direction="lower")
    reading(metric, "2026-01-01", "3.8")
    reading(metric, "2026-02-01", "1.9")

    trend = selectors.metric_trend(metric=metric)

    assert trend.change == Decimal("-1.9")  # 1.9 − 3.8
    assert trend.improved is True
    assert trend.on_target is True  # 1.9 ≤ 2
    assert [on for _, on in trend.rows] == [False, True]


def test_a_kpi_without_readings_or_target_has_no_latest_change_or_target_state():
    empty = selectors.metric_trend(metric=ProductMetricFactory(target=Decimal("5")))
    assert (empty.readings, empty.latest, empty.previous, empty.change, empty.on_target) == ([], None, None, None, None)

    untargeted = ProductMetricFactory(target=None)
    reading(untargeted, "2026-01-01", "7")
    trend = selectors.metric_trend(metric=untargeted)
    assert trend.latest.value == Decimal("7") and trend.change is None and trend.on_target is None
    assert trend.improved is None


def test_the_product_trends_are_its_kpis_by_name_and_the_overview_keeps_the_latest_readings(
    django_assert_num_queries,
):
    product = ProductFactory()
    speed = ProductMetricFactory(product=product, name="Speed")
    adoption = ProductMetricFactory(product=product, name="Adoption")
    ProductMetricFactory(name="Another product's KPI")
    for month in range(1, 13):
        reading(speed, f"2025-{month:02d}-01", str(month))
    reading(adoption, "2026-01-01", "5")

    with django_assert_num_queries(2):  # the KPIs, then all their readings
        trends = selectors.product_metric_trends(product=product)
    assert [trend.metric.name for trend in trends] == ["Adoption", "Speed"]
    assert len(trends[1].readings) == 12

    last = selectors.product_metric_trends(product=product, last=3)
    assert [str(r.date) for r in last[1].readings] == ["2025-10-01", "2025-11-01", "2025-12-01"]
    assert last[1].change == Decimal("1")  # 12 − 11


@time_machine.travel(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_feedback_this_month_counts_this_calendar_months_items_by_sentiment(settings):
    settings.TIME_ZONE = "UTC"
    product = ProductFactory()
    at = lambda text: datetime.datetime.fromisoformat(text)  # noqa: E731
    for received, sentiment in [
        ("2026-03-01T00:00:00+00:00", "negative"),  # the month's first instant: in
        ("2026-03-02T09:00:00+00:00", "negative"),
        ("2026-03-10T09:00:00+00:00", "neutral"),
        ("2026-03-15T11:00:00+00:00", "positive"),
        ("2026-03-31T23:59:59+00:00", "positive"),  # later this month: still this month
        ("2026-02-28T23:59:59+00:00", "positive"),  # last month: out
        ("2026-04-01T00:00:00+00:00", "negative"),  # next month: out
    ]:
        FeedbackFactory(product=product, received_at=at(received), sentiment=sentiment)
    FeedbackFactory(received_at=at("2026-03-10T09:00:00+00:00"))  # another product's

    month = selectors.feedback_this_month(product=product)

    assert month.month == datetime.date(2026, 3, 1)
    assert (month.total, month.negative, month.neutral, month.positive) == (5, 2, 1, 2)
    assert month.sentiments == [
        ("negative", "Negative", 2, 40),  # 2 of 5
        ("neutral", "Neutral", 1, 20),
        ("positive", "Positive", 2, 40),
    ]
    assert [(s["name"], s["start"], s["width"]) for s in month.segments] == [
        ("negative", 0, 40),
        ("neutral", 40, 20),
        ("positive", 60, 40),
    ]


def test_the_month_follows_the_organisations_time_zone(settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # UTC+13 in March
    product = ProductFactory()
    # 28 Feb 11:30 UTC is 1 Mar 00:30 in Auckland: this month there.
    FeedbackFactory(product=product, received_at=datetime.datetime(2026, 2, 28, 11, 30, tzinfo=datetime.UTC))
    FeedbackFactory(product=product, received_at=datetime.datetime(2026, 2, 28, 10, 30, tzinfo=datetime.UTC))

    month = selectors.feedback_this_month(product=product, today=datetime.date(2026, 3, 5))

    assert month.total == 1


def test_a_month_without_feedback_is_zero_everywhere():
    month = selectors.feedback_this_month(product=ProductFactory(), today=timezone.localdate())

    assert (month.total, month.segments) == (0, [])
    assert [percent for *_, percent in month.sentiments] == [0, 0, 0]
