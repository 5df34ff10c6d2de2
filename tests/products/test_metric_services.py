"""Writing a product's KPIs and their readings through the services: who may, and what a refusal leaves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from products import services
from products.models import MetricReading, ProductMember, ProductMetric
from tests.core.factories import UserFactory
from tests.products.factories import MetricReadingFactory, ProductFactory, ProductMemberFactory, ProductMetricFactory

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager)


@pytest.fixture
def editor(product):
    user = UserFactory(username="editor")
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def viewer(product):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.VIEWER)
    return user


@pytest.fixture
def metric(product):
    return ProductMetricFactory(product=product, name="Weekly active teams", target=Decimal("100"))


def rows() -> tuple[list[dict], list[dict]]:
    return (
        [model_to_dict(row) for row in ProductMetric.objects.order_by("pk")],
        [model_to_dict(row) for row in MetricReading.objects.order_by("pk")],
    )


def test_an_editor_adds_a_kpi_with_its_target_and_direction(editor, product):
    metric = services.metric_create(
        user=editor,
        product=product,
        data={"name": "Load time", "unit": "s", "target": Decimal("1.5"), "direction": "lower"},
    )

    metric.refresh_from_db()
    assert (metric.product, metric.name, metric.unit, metric.target, metric.direction) == (
        product,
        "Load time",
        "s",
        Decimal("1.50"),
        "lower",
    )


def test_a_kpi_without_a_target_is_fine(editor, product):
    metric = services.metric_create(user=editor, product=product, data={"name": "Sign-ups"})

    assert metric.target is None and metric.direction == "higher"


def test_a_second_kpi_of_the_same_name_is_a_name_error(editor, product, metric):
    before = rows()
    with pytest.raises(ValidationError) as error:
        services.metric_create(user=editor, product=product, data={"name": "Weekly active teams"})

    assert "name" in error.value.message_dict
    assert rows() == before


def test_a_bad_direction_is_a_direction_error(editor, product):
    with pytest.raises(ValidationError) as error:
        services.metric_create(user=editor, product=product, data={"name": "X", "direction": "sideways"})

    assert "direction" in error.value.message_dict
    assert not ProductMetric.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_viewers_outsiders_and_leadership_may_not_write_kpis_or_readings(request, product, metric, who):
    user = request.getfixturevalue(who)
    if who == "leader":
        ProductMemberFactory(product=product, user=user, role="editor")  # leadership only reads, even as an editor
    reading = MetricReadingFactory(metric=metric, date=JAN)
    before = rows()

    writes = [
        lambda: services.metric_create(user=user, product=product, data={"name": "New"}),
        lambda: services.metric_update(user=user, metric=metric, data={"target": Decimal("5")}),
        lambda: services.metric_delete(user=user, metric=metric),
        lambda: services.reading_create(user=user, metric=metric, data={"date": JAN, "value": Decimal("1")}),
        lambda: services.reading_update(user=user, reading=reading, data={"value": Decimal("2")}),
        lambda: services.reading_delete(user=user, reading=reading),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert rows() == before


def test_an_editor_of_another_product_may_not_add_a_reading_to_this_kpi(metric):
    other = ProductFactory()
    with pytest.raises(PermissionDenied):
        services.reading_create(user=other.owner, metric=metric, data={"date": JAN, "value": Decimal("1")})
    assert not MetricReading.objects.exists()


def test_an_editor_updates_a_kpi(editor, metric):
    services.metric_update(user=editor, metric=metric, data={"target": Decimal("120"), "unit": "teams"})

    metric.refresh_from_db()
    assert (metric.target, metric.unit) == (Decimal("120.00"), "teams")


def test_deleting_a_kpi_deletes_its_readings_and_says_how_many(editor, metric):
    MetricReadingFactory.create_batch(3, metric=metric)

    assert services.metric_delete(user=editor, metric=metric) == 3
    assert not ProductMetric.objects.exists() and not MetricReading.objects.exists()


def test_an_editor_records_corrects_and_deletes_a_reading(editor, metric):
    reading = services.reading_create(user=editor, metric=metric, data={"date": JAN, "value": Decimal("42.5")})
    services.reading_update(user=editor, reading=reading, data={"value": Decimal("43")})
    reading.refresh_from_db()
    assert (reading.metric, reading.date, reading.value) == (metric, JAN, Decimal("43.00"))

    services.reading_delete(user=editor, reading=reading)
    assert not MetricReading.objects.exists()


def test_a_second_reading_for_the_same_date_is_a_date_error(editor, metric):
    MetricReadingFactory(metric=metric, date=JAN, value=Decimal("10"))
    before = rows()

    with pytest.raises(ValidationError) as error:
        services.reading_create(user=editor, metric=metric, data={"date": JAN, "value": Decimal("11")})

    assert error.value.message_dict == {"date": ["The metric already has a reading for this date."]}
    assert rows() == before


def test_moving_a_reading_onto_the_date_of_another_is_a_date_error(editor, metric):
    MetricReadingFactory(metric=metric, date=JAN)
    later = MetricReadingFactory(metric=metric, date=JAN + datetime.timedelta(days=31))

    with pytest.raises(ValidationError) as error:
        services.reading_update(user=editor, reading=later, data={"date": JAN})

    assert "date" in error.value.message_dict
    later.refresh_from_db()
    assert later.date == datetime.date(2026, 2, 1)


def test_the_same_date_on_two_kpis_is_fine(editor, product, metric):
    other = ProductMetricFactory(product=product)
    services.reading_create(user=editor, metric=metric, data={"date": JAN, "value": Decimal("1")})
    services.reading_create(user=editor, metric=other, data={"date": JAN, "value": Decimal("2")})

    assert MetricReading.objects.count() == 2


def test_a_value_with_too_many_digits_is_a_value_error(editor, metric):
    with pytest.raises(ValidationError) as error:
        services.reading_create(user=editor, metric=metric, data={"date": JAN, "value": Decimal("123456789012345.5")})

    assert "value" in error.value.message_dict


def test_a_reading_dated_after_today_is_refused_and_changes_nothing(product_manager):
    metric = ProductMetricFactory(product=ProductFactory(owner=product_manager))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        services.reading_create(user=product_manager, metric=metric, data={"date": tomorrow, "value": Decimal("1")})

    assert "today or earlier" in refused.value.message_dict["date"][0]
    assert not metric.readings.exists()
