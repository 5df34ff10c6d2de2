"""The product dashboard: features by status per quarter, top demand, the feedback trend and the KPIs against target.

Figures are computed by hand from a small product; the page and ``GET products/{id}/dashboard/`` give the same
ones; both run a fixed number of queries at two data sizes; every chart has a title and a text alternative.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from products import dashboard
from products.charts import format_value
from tests.products.factories import (
    FeatureFactory,
    FeedbackFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMetricFactory,
    link_feedback,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)  # Q4 2026: the dashboard's quarters are Q3 2026 to Q3 2027
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)
SVG = "{http://www.w3.org/2000/svg}"


def at(year: int, month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, 0, tzinfo=datetime.UTC)


def page_url(product) -> str:
    return reverse("products:product_dashboard", kwargs={"slug": product.slug})


def api_url(product) -> str:
    return reverse("product-dashboard", kwargs={"pk": product.pk})


@pytest.fixture
def atlas(product_manager):
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    # Features: two planned ending in Q4 2026, one shipped in Q3 2026, one in progress in Q1 2027,
    # one idea due in 2028 (later), one parked in 2025 (earlier), one idea with no end date.
    for status, end in [
        ("planned", datetime.date(2026, 10, 15)),
        ("planned", datetime.date(2026, 12, 31)),
        ("shipped", datetime.date(2026, 7, 1)),
        ("in-progress", datetime.date(2027, 2, 1)),
        ("idea", datetime.date(2028, 1, 1)),
        ("parked", datetime.date(2025, 5, 1)),
        ("idea", None),
    ]:
        FeatureFactory(product=product, status=status, end_date=end, title=f"{status} {end}")
    return product


def test_features_are_counted_by_status_in_the_quarter_of_their_end_date(atlas):
    columns = dashboard.dashboard_features_by_quarter(product=atlas, today=TODAY)

    assert [column.key for column in columns] == [
        "earlier",
        *("2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"),
        *("later", "undated"),
    ]
    counts = {column.key: {s: n for s, n in column.counts.items() if n} for column in columns}
    assert counts == {
        "earlier": {"parked": 1},
        "2026-Q3": {"shipped": 1},
        "2026-Q4": {"planned": 2},
        "2027-Q1": {"in-progress": 1},
        "2027-Q2": {},
        "2027-Q3": {},
        "later": {"idea": 1},
        "undated": {"idea": 1},
    }
    assert sum(column.total for column in columns) == 7
    assert columns[0].end == datetime.date(2026, 6, 30) and columns[0].start is None


def test_the_feedback_trend_counts_twelve_months_by_sentiment_and_leaves_older_items_out(atlas):
    FeedbackFactory(product=atlas, sentiment="negative", received_at=at(2026, 11, 1))
    FeedbackFactory(product=atlas, sentiment="negative", received_at=at(2026, 11, 19))
    FeedbackFactory(product=atlas, sentiment="positive", received_at=at(2026, 10, 31))
    FeedbackFactory(product=atlas, sentiment="neutral", received_at=at(2025, 12, 1))
    FeedbackFactory(product=atlas, sentiment="neutral", received_at=at(2025, 11, 30))  # 13 months back: out
    FeedbackFactory(sentiment="negative", received_at=at(2026, 11, 2))  # another product's

    trend = dashboard.dashboard_feedback_trend(product=atlas, today=TODAY)

    assert [month.month for month in trend][0] == datetime.date(2025, 12, 1)
    assert [month.month for month in trend][-1] == datetime.date(2026, 11, 1)
    assert len(trend) == 12
    by_month = {month.month.isoformat()[:7]: month.counts for month in trend if month.total}
    assert by_month == {
        "2025-12": {"negative": 0, "neutral": 1, "positive": 0},
        "2026-10": {"negative": 0, "neutral": 0, "positive": 1},
        "2026-11": {"negative": 2, "neutral": 0, "positive": 0},
    }


def test_the_top_demand_lists_ten_features_by_demand_and_the_kpis_their_latest_reading(atlas):
    features = [FeatureFactory(product=atlas, title=f"Asked {n}") for n in range(12)]
    for n, feature in enumerate(features):
        for _ in range(n + 1):
            link_feedback(FeedbackFactory(product=atlas, importance="important"), feature)
    metric = ProductMetricFactory(product=atlas, name="NPS", target=Decimal("40"), direction="higher")
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 9, 1), value=Decimal("45"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 10, 1), value=Decimal("38"))

    top = dashboard.dashboard_top_demand(product=atlas)
    kpis = dashboard.dashboard_kpis(product=atlas)

    assert [f.title for f in top] == [f"Asked {n}" for n in range(11, 1, -1)]
    assert (top[0].demand, top[0].demand_count) == (24, 12)  # 12 important items, 2 each
    assert [(k.metric.name, k.latest.value, k.on_target) for k in kpis] == [("NPS", Decimal("38.00"), False)]


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg class=\"chart[^\"]*\".*?</svg>", html, re.S)]


@time_machine.travel(NOW, tick=False)
def test_every_chart_of_the_page_is_titled_described_and_has_a_table(client, member, atlas):
    metric = ProductMetricFactory(product=atlas, name="NPS")
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 10, 1))
    link_feedback(FeedbackFactory(product=atlas, received_at=at(2026, 11, 1)), atlas.features.first())
    client.force_login(member)

    response = client.get(page_url(atlas))

    html = response.content.decode()
    assert response.status_code == 200
    charts = _svgs(html)
    assert len(charts) == 4  # features, demand, feedback, one KPI
    for svg in charts:
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("role") == "img" and title.text and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for table in ("dashboard-features-table", "dashboard-demand-table", "dashboard-feedback-table"):
        assert f'id="{table}"' in html
    assert 'id="dashboard-kpi-table"' in html
    # Colour is never alone: each status has its own pattern, each segment its count in a <title>.
    segments = [rect for rect in charts[0].iter(f"{SVG}rect") if "segment" in (rect.get("class") or "")]
    assert len(segments) == 6  # earlier, Q3, Q4, Q1, later, undated have features
    assert {rect.get("fill") for rect in segments} == {
        f"url(#dashboard-features-chart-{status})" for status in ("parked", "shipped", "planned", "in-progress", "idea")
    }
    assert all(rect.find(f"{SVG}title").text for rect in segments)
    patterns = {p.get("id"): p for p in charts[0].iter(f"{SVG}pattern")}
    assert len(patterns) == 5 and len({len(list(p)) for p in patterns.values()}) == 2  # solid, and with a mark
    assert "style=" not in html.split("<main", 1)[-1]


@time_machine.travel(NOW, tick=False)
def test_each_segment_links_to_the_list_of_its_features(client, member, atlas):
    client.force_login(member)
    html = client.get(page_url(atlas)).content.decode()
    roadmap = reverse("products:roadmap_list", kwargs={"slug": atlas.slug})
    link = f"{roadmap}?status=planned&amp;ends_after=2026-10-01&amp;ends_before=2026-12-31"
    assert link in html

    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "planned 2026-10-15" in listed and "planned 2026-12-31" in listed
    assert "shipped 2026-07-01" not in listed


def _page_figures(html: str) -> dict[str, str]:
    cells = re.findall(r'data-figure="([^"]+)">(?:<a [^>]*>)?([^<]*)', html)
    return {name: value.strip() for name, value in cells}


@time_machine.travel(NOW, tick=False)
def test_the_page_and_the_api_give_the_same_figures(client, api_as, member, atlas):
    for sentiment, month in [("negative", 11), ("positive", 10), ("positive", 10)]:
        link_feedback(
            FeedbackFactory(product=atlas, sentiment=sentiment, received_at=at(2026, month)), atlas.features.first()
        )
    metric = ProductMetricFactory(product=atlas, name="NPS", target=Decimal("40"), unit="")
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 10, 1), value=Decimal("45"))
    client.force_login(member)

    page = _page_figures(client.get(page_url(atlas)).content.decode())
    data = api_as(member).get(api_url(atlas)).json()

    expected = {}
    for column in data["features_by_quarter"]:
        for status, count in column["counts"].items():
            expected[f"features {column['key']} {status}"] = str(count)
        expected[f"features {column['key']} total"] = str(column["total"])
    for month in data["feedback_trend"]:
        for sentiment, count in month["counts"].items():
            expected[f"feedback {month['month'][:7]} {sentiment}"] = str(count)
        expected[f"feedback {month['month'][:7]} total"] = str(month["total"])
    for feature in data["top_demand"]:
        expected[f"demand {feature['id']}"] = str(feature["demand"])
        expected[f"demand-count {feature['id']}"] = str(feature["demand_count"])
    for kpi in data["kpis"]:
        expected[f"kpi {kpi['id']} latest"] = format_value(Decimal(kpi["latest_value"]))
        expected[f"kpi {kpi['id']} target"] = format_value(Decimal(kpi["target"]))
    assert page == expected
    assert data["feedback_trend"][-1]["counts"]["negative"] == 1
    assert data["top_demand"][0]["demand_count"] == 3


def _grow(product, n: int) -> None:
    for i in range(n):
        feature = FeatureFactory(product=product, status="planned", end_date=datetime.date(2026, 11, 1 + i % 20))
        link_feedback(FeedbackFactory(product=product, received_at=timezone.now()), feature)
        metric = ProductMetricFactory(product=product)
        MetricReadingFactory(metric=metric)


@pytest.mark.parametrize("size", [1, 15])
@time_machine.travel(NOW, tick=False)
def test_the_page_and_the_api_run_a_fixed_number_of_queries(
    client, api_as, member, atlas, size, django_assert_max_num_queries
):
    _grow(atlas, size)
    client.force_login(member)
    api = api_as(member)
    with django_assert_max_num_queries(12):
        assert client.get(page_url(atlas)).status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get(api_url(atlas)).status_code == 200


def test_an_unknown_product_is_a_404_on_the_page_and_in_the_api(client, api_as, member):
    client.force_login(member)
    assert client.get("/products/nothing-here/dashboard/").status_code == 404
    assert api_as(member).get("/api/v1/products/999999/dashboard/").status_code == 404


def test_anonymous_users_are_sent_to_sign_in_and_refused_by_the_api(client, api_client, atlas):
    response = client.get(page_url(atlas))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api_client.get(api_url(atlas)).status_code == 401
