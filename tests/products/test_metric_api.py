"""Writing KPIs and their readings through the API: 201/200/204, 400 with field messages, 403 from the rules;
filters and ordering; a refused write changes nothing; the lists take the same queries for 5 or 50 rows."""

import datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from products.models import MetricReading, ProductMetric
from tests.api import queries_for, result_ids
from tests.core.factories import UserFactory
from tests.products.factories import MetricReadingFactory, ProductFactory, ProductMemberFactory, ProductMetricFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager)


@pytest.fixture
def editor(product):
    user = UserFactory(username="editor")
    ProductMemberFactory(product=product, user=user, role="editor")
    return user


@pytest.fixture
def viewer(product):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=product, user=user, role="viewer")
    return user


@pytest.fixture
def metric(product):
    return ProductMetricFactory(product=product, name="Weekly active teams", target=Decimal("100"))


def everything() -> tuple:
    return (
        [model_to_dict(row) for row in ProductMetric.objects.order_by("pk")],
        [model_to_dict(row) for row in MetricReading.objects.order_by("pk")],
    )


# --- KPIs -----------------------------------------------------------------------------------------------


def test_an_editor_creates_edits_and_deletes_a_kpi(api_as, product, editor):
    client = api_as(editor)

    created = client.post(
        f"{API}/metrics/",
        {"product": product.pk, "name": "Load time", "unit": "s", "target": "1.5", "direction": "lower"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["product"], body["name"], body["unit"], body["target"], body["direction"]) == (
        product.pk,
        "Load time",
        "s",
        "1.50",
        "lower",
    )
    assert body["latest_readings"] == []

    changed = client.patch(f"{API}/metrics/{body['id']}/", {"target": None}, format="json")
    assert changed.status_code == 200 and changed.json()["target"] is None

    put = client.put(f"{API}/metrics/{body['id']}/", {"name": "Median load time", "target": "2"}, format="json")
    assert put.status_code == 200 and (put.json()["name"], put.json()["target"]) == ("Median load time", "2.00")

    assert client.delete(f"{API}/metrics/{body['id']}/").status_code == 204
    assert not ProductMetric.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "direction": "sideways"}, "direction"),
        ({"name": "Weekly active teams"}, "name"),  # taken in this product
        ({"name": "X", "target": 100}, "target"),  # a number, not a decimal string
        ({"name": "X", "target": "1e3"}, "target"),
        ({"name": "Bad\u0000name"}, "name"),
        ({"name": "X", "unit": "m\u0000s"}, "unit"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_kpi_is_a_400_on_its_field_and_changes_nothing(api_as, product, editor, metric, body, field):
    before = everything()

    response = api_as(editor).post(f"{API}/metrics/", {"product": product.pk, **body}, format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert everything() == before


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_viewers_outsiders_and_leadership_may_not_write_kpis(api_as, request, product, metric, who):
    user = request.getfixturevalue(who)
    if who == "leader":
        ProductMemberFactory(product=product, user=user, role="editor")
    client = api_as(user)
    before = everything()

    assert client.post(f"{API}/metrics/", {"product": product.pk, "name": "X"}, format="json").status_code == 403
    assert client.patch(f"{API}/metrics/{metric.pk}/", {"name": "Y"}, format="json").status_code == 403
    assert client.delete(f"{API}/metrics/{metric.pk}/").status_code == 403
    assert everything() == before


def test_an_editor_of_another_product_may_not_add_a_kpi_to_this_one(api_as, product):
    other = ProductFactory()

    response = api_as(other.owner).post(f"{API}/metrics/", {"product": product.pk, "name": "X"}, format="json")

    assert response.status_code == 403
    assert not ProductMetric.objects.exists()


def test_kpis_filter_on_product_and_direction_and_order_by_name(api_as, member, product):
    lower = ProductMetricFactory(product=product, name="B latency", direction="lower")
    higher = ProductMetricFactory(product=product, name="A adoption", direction="higher")
    ProductMetricFactory(name="Elsewhere")
    client = api_as(member)

    assert result_ids(client.get(f"{API}/metrics/?product={product.pk}")) == [higher.pk, lower.pk]
    assert result_ids(client.get(f"{API}/metrics/?product={product.pk}&direction=lower")) == [lower.pk]
    assert result_ids(client.get(f"{API}/metrics/?product={product.pk}&ordering=-name")) == [lower.pk, higher.pk]


# --- Readings ----------------------------------------------------------------------------------------------


def test_an_editor_records_corrects_and_deletes_a_reading(api_as, editor, metric):
    client = api_as(editor)

    created = client.post(
        f"{API}/metric-readings/", {"metric": metric.pk, "date": "2026-01-01", "value": "42.5"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["metric"], body["date"], body["value"]) == (metric.pk, "2026-01-01", "42.50")

    changed = client.patch(f"{API}/metric-readings/{body['id']}/", {"value": "-3"}, format="json")
    assert changed.status_code == 200 and changed.json()["value"] == "-3.00"

    latest = client.get(f"{API}/metrics/{metric.pk}/").json()["latest_readings"]
    assert latest == [{"date": "2026-01-01", "value": "-3.00"}]

    assert client.delete(f"{API}/metric-readings/{body['id']}/").status_code == 204
    assert not MetricReading.objects.exists()


def test_a_second_reading_for_the_same_date_is_a_400_on_date(api_as, editor, metric):
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1))
    before = everything()

    response = api_as(editor).post(
        f"{API}/metric-readings/", {"metric": metric.pk, "date": "2026-01-01", "value": "1"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"date": ["The metric already has a reading for this date."]}
    assert everything() == before


def test_a_reading_on_a_kpi_the_user_may_not_edit_is_a_400_on_metric(api_as, editor):
    foreign = ProductMetricFactory()

    response = api_as(editor).post(
        f"{API}/metric-readings/", {"metric": foreign.pk, "date": "2026-01-01", "value": "1"}, format="json"
    )

    assert response.status_code == 400
    assert "metric" in response.json()["errors"]
    assert not MetricReading.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2026-02-30", "value": "1"}, "date"),
        ({"date": "2026-01-01", "value": 1}, "value"),
        ({"date": "2026-01-01", "value": "1.234"}, "value"),
        ({"date": "2026-01-01", "value": "123456789012345"}, "value"),
        ({"date": "2026-01-01"}, "value"),
    ],
)
def test_a_bad_reading_is_a_400_on_its_field(api_as, editor, metric, body, field):
    response = api_as(editor).post(f"{API}/metric-readings/", {"metric": metric.pk, **body}, format="json")

    assert response.status_code == 400 and field in response.json()["errors"]
    assert not MetricReading.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_viewers_and_outsiders_may_not_add_change_or_delete_readings(api_as, request, metric, who):
    reading = MetricReadingFactory(metric=metric)
    client = api_as(request.getfixturevalue(who))
    before = everything()

    new = {"metric": metric.pk, "date": "2025-01-01", "value": "1"}
    refused = client.post(f"{API}/metric-readings/", new, format="json")
    assert refused.status_code == 400 and "metric" in refused.json()["errors"]  # not a KPI they may add to
    assert client.patch(f"{API}/metric-readings/{reading.pk}/", {"value": "2"}, format="json").status_code == 403
    assert client.delete(f"{API}/metric-readings/{reading.pk}/").status_code == 403
    assert everything() == before


def test_readings_filter_on_product_metric_and_date_range_and_order_by_date_or_value(api_as, member, product, metric):
    other = ProductMetricFactory(product=product)
    jan = MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1), value=Decimal("30"))
    feb = MetricReadingFactory(metric=metric, date=datetime.date(2026, 2, 1), value=Decimal("10"))
    mar = MetricReadingFactory(metric=other, date=datetime.date(2026, 3, 1), value=Decimal("20"))
    MetricReadingFactory(date=datetime.date(2026, 2, 1))  # another product's
    client = api_as(member)

    def ids(query):
        return result_ids(client.get(f"{API}/metric-readings/?{query}"))

    assert ids(f"product={product.pk}&ordering=date") == [jan.pk, feb.pk, mar.pk]
    assert ids(f"metric={metric.pk}&ordering=date") == [jan.pk, feb.pk]
    assert ids(f"product={product.pk}&date_after=2026-02-01&date_before=2026-02-28") == [feb.pk]
    assert ids(f"product={product.pk}&ordering=-value") == [jan.pk, mar.pk, feb.pk]
    assert client.get(f"{API}/metric-readings/?date_after=someday").status_code == 400


# --- Query counts -------------------------------------------------------------------------------------------


def test_the_kpi_list_takes_the_same_queries_for_5_or_50_rows(api_as, member):
    client = api_as(member)

    def make(n):
        for _ in range(n):
            MetricReadingFactory.create_batch(3, metric=ProductMetricFactory())

    make(5)
    five, _ = queries_for(client, f"{API}/metrics/")
    make(45)
    fifty, body = queries_for(client, f"{API}/metrics/")
    assert body["count"] == 50 and fifty == five


def test_the_reading_list_takes_the_same_queries_for_5_or_50_rows(api_as, member):
    client = api_as(member)
    MetricReadingFactory.create_batch(5)
    five, _ = queries_for(client, f"{API}/metric-readings/")
    MetricReadingFactory.create_batch(45)
    fifty, body = queries_for(client, f"{API}/metric-readings/")
    assert body["count"] == 50 and fifty == five
