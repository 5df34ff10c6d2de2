"""KPIs and readings in the admin: every save and delete goes through the metric and reading services."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from products import services
from products.models import MetricReading, ProductMetric
from tests.admin_forms import admin_form_data
from tests.products.factories import MetricReadingFactory, ProductFactory, ProductMetricFactory

pytestmark = pytest.mark.django_db

INLINE = "readings"


@pytest.fixture
def calls(monkeypatch):
    """The names of the metric and reading services the admin called, in order."""
    called = []
    for name in (
        "metric_create",
        "metric_update",
        "metric_delete",
        "reading_create",
        "reading_update",
        "reading_delete",
    ):
        original = getattr(services, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            called.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(services, name, spy)
    return called


def management(total: int, initial: int) -> dict:
    return {
        f"{INLINE}-TOTAL_FORMS": str(total),
        f"{INLINE}-INITIAL_FORMS": str(initial),
        f"{INLINE}-MIN_NUM_FORMS": "0",
        f"{INLINE}-MAX_NUM_FORMS": "1000",
    }


def test_a_kpi_added_with_readings_goes_through_the_services(client, superuser, calls):
    product = ProductFactory()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:products_productmetric_add"),
        {
            "product": product.pk,
            "name": "Weekly active teams",
            "unit": "teams",
            "target": "100",
            "direction": "higher",
            **management(2, 0),
            f"{INLINE}-0-date": "2026-01-01",
            f"{INLINE}-0-value": "80",
            f"{INLINE}-1-date": "2026-02-01",
            f"{INLINE}-1-value": "90",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    metric = ProductMetric.objects.get()
    assert (metric.product, metric.target) == (product, Decimal("100.00"))
    assert sorted(metric.readings.values_list("value", flat=True)) == [Decimal("80.00"), Decimal("90.00")]
    assert calls == ["metric_create", "reading_create", "reading_create"]


def test_a_kpi_changed_in_the_admin_updates_and_deletes_its_readings_through_the_services(client, superuser, calls):
    metric = ProductMetricFactory(name="Speed")
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1), value=Decimal("1"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 2, 1), value=Decimal("2"))
    client.force_login(superuser)
    url = reverse("admin:products_productmetric_change", args=[metric.pk])
    data = admin_form_data(client.get(url), name="Faster")
    # The inline lists the newest first: change February's value, delete January's.
    data |= {f"{INLINE}-0-value": "3", f"{INLINE}-1-DELETE": "on"}

    response = client.post(url, data)

    assert response.status_code == 302
    metric.refresh_from_db()
    assert metric.name == "Faster"
    assert list(metric.readings.values_list("date", "value")) == [(datetime.date(2026, 2, 1), Decimal("3.00"))]
    assert sorted(calls) == ["metric_update", "reading_delete", "reading_update"]


def test_a_reading_added_changed_and_deleted_in_its_own_admin_goes_through_the_services(client, superuser, calls):
    metric = ProductMetricFactory()
    client.force_login(superuser)

    added = client.post(
        reverse("admin:products_metricreading_add"), {"metric": metric.pk, "date": "2026-03-01", "value": "7"}
    )
    assert added.status_code == 302
    reading = MetricReading.objects.get()
    url = reverse("admin:products_metricreading_change", args=[reading.pk])
    assert client.post(url, {"date": "2026-03-02", "value": "8"}).status_code == 302
    reading.refresh_from_db()
    assert (reading.date, reading.value) == (datetime.date(2026, 3, 2), Decimal("8.00"))
    delete = reverse("admin:products_metricreading_delete", args=[reading.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302

    assert not MetricReading.objects.exists()
    assert calls == ["reading_create", "reading_update", "reading_delete"]


def test_a_duplicate_date_in_the_admin_is_a_form_error(client, superuser):
    metric = ProductMetricFactory()
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 3, 1))
    client.force_login(superuser)

    response = client.post(
        reverse("admin:products_metricreading_add"), {"metric": metric.pk, "date": "2026-03-01", "value": "7"}
    )

    assert response.status_code == 200
    assert MetricReading.objects.count() == 1
