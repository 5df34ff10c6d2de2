"""The metrics pages of a product: everyone reads the KPIs and their charts, its editors add and change them.

Viewers and outsiders see no edit controls and a forced request gets 403; bad input shows form errors (400) and
changes nothing; the metrics page and the product page take the same number of queries for 5 or 50 KPIs.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from products.models import MetricReading, ProductMetric
from tests.core.factories import UserFactory
from tests.products.factories import (
    FeedbackFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMemberFactory,
    ProductMetricFactory,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def atlas(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager)


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor")
    ProductMemberFactory(product=atlas, user=user, role="editor")
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=atlas, user=user, role="viewer")
    return user


@pytest.fixture
def teams(atlas):
    metric = ProductMetricFactory(product=atlas, name="Weekly active teams", unit="teams", target=Decimal("100"))
    MetricReadingFactory(metric=metric, date=JAN, value=Decimal("80"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 2, 1), value=Decimal("104"))
    return metric


def url(name: str, product=None, pk=None) -> str:
    kwargs = {"slug": (product.slug if product else "atlas")} | ({"pk": pk} if pk is not None else {})
    return reverse(f"products:{name}", kwargs=kwargs)


def everything() -> tuple:
    return (
        [model_to_dict(row) for row in ProductMetric.objects.order_by("pk")],
        [model_to_dict(row) for row in MetricReading.objects.order_by("pk")],
    )


# --- Reading -------------------------------------------------------------------------------------------


def test_the_product_tabs_reach_the_metrics(client, outsider, atlas):
    client.force_login(outsider)

    page = client.get(url("product_detail")).content.decode()

    assert f'href="{url("metric_list")}"' in page


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_everyone_reads_the_kpis_with_their_chart_but_only_editors_get_controls(client, request, atlas, teams, who):
    user = request.getfixturevalue(who)
    if who == "leader":
        ProductMemberFactory(product=atlas, user=user, role="editor")
    client.force_login(user)

    response = client.get(url("metric_list"))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Weekly active teams" in page and 'role="img"' in page and 'class="target-line"' in page
    assert "On target" in page and "104 teams" in page and "+24 teams" in page and "(better)" in page
    assert "Higher is better" in page
    for name in ("metric_create", "metric_update", "reading_create"):
        assert (
            reverse(
                f"products:{name}", kwargs={"slug": "atlas"} | ({} if name == "metric_create" else {"pk": teams.pk})
            )
            not in page
        )


def test_an_editor_sees_the_controls(client, atlas, editor, teams):
    client.force_login(editor)

    page = client.get(url("metric_list")).content.decode()

    assert f'href="{url("metric_create")}"' in page
    assert f'href="{url("metric_update", pk=teams.pk)}"' in page
    assert f'href="{url("metric_delete", pk=teams.pk)}"' in page
    assert f'action="{url("reading_create", pk=teams.pk)}"' in page
    reading = teams.readings.get(date=JAN)
    assert f'href="{url("reading_update", pk=reading.pk)}"' in page


def test_a_product_without_kpis_says_so(client, outsider, atlas):
    client.force_login(outsider)

    assert "No KPIs yet." in client.get(url("metric_list")).content.decode()


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_a_forced_request_from_a_viewer_or_outsider_is_403_and_changes_nothing(client, request, atlas, teams, who):
    client.force_login(request.getfixturevalue(who))
    reading = teams.readings.first()
    before = everything()

    for name, pk, data in [
        ("metric_create", None, {"name": "X", "direction": "higher"}),
        ("metric_update", teams.pk, {"name": "X", "direction": "higher"}),
        ("metric_delete", teams.pk, {}),
        ("reading_create", teams.pk, {"date": "2026-05-01", "value": "1"}),
        ("reading_update", reading.pk, {"date": "2026-05-01", "value": "1"}),
        ("reading_delete", reading.pk, {}),
    ]:
        assert client.get(url(name, pk=pk)).status_code == 403, name
        assert client.post(url(name, pk=pk), data).status_code == 403, name
    assert everything() == before


def test_a_kpi_or_reading_of_another_product_is_not_found_under_this_one(client, atlas, editor):
    foreign = MetricReadingFactory(metric=ProductMetricFactory(product=ProductFactory()))
    client.force_login(editor)

    assert client.get(url("metric_update", pk=foreign.metric.pk)).status_code == 404
    assert (
        client.post(url("reading_create", pk=foreign.metric.pk), {"date": "2026-05-01", "value": "1"}).status_code
        == 404
    )
    assert client.post(url("reading_delete", pk=foreign.pk)).status_code == 404
    assert MetricReading.objects.count() == 1


# --- KPIs ------------------------------------------------------------------------------------------------


def test_an_editor_adds_a_kpi_and_lands_on_it(client, atlas, editor):
    client.force_login(editor)

    response = client.post(
        url("metric_create"), {"name": "Load time", "unit": "s", "target": "1.5", "direction": "lower"}
    )

    metric = ProductMetric.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{url('metric_list')}#metric-{metric.pk}"
    assert (metric.product, metric.name, metric.unit, metric.target, metric.direction) == (
        atlas,
        "Load time",
        "s",
        Decimal("1.50"),
        "lower",
    )
    page = client.get(response["Location"]).content.decode()
    assert "KPI “Load time” added." in page and "No readings yet" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "direction": "higher"}, "name"),
        ({"name": "Weekly active teams", "direction": "higher"}, "name"),  # taken
        ({"name": "X", "direction": "sideways"}, "direction"),
        ({"name": "X", "direction": "higher", "target": "lots"}, "target"),
    ],
)
def test_a_bad_kpi_shows_a_form_error_and_changes_nothing(client, atlas, editor, teams, data, field):
    client.force_login(editor)
    before = everything()

    response = client.post(url("metric_create"), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert everything() == before


def test_an_editor_edits_a_kpi(client, atlas, editor, teams):
    client.force_login(editor)
    form = client.get(url("metric_update", pk=teams.pk))
    assert form.status_code == 200 and 'value="Weekly active teams"' in form.content.decode()

    response = client.post(
        url("metric_update", pk=teams.pk),
        {"name": "Active teams", "unit": "teams", "target": "110", "direction": "higher"},
    )

    assert response.status_code == 302
    teams.refresh_from_db()
    assert (teams.name, teams.target) == ("Active teams", Decimal("110.00"))


def test_an_editor_deletes_a_kpi_after_confirming_with_its_readings(client, atlas, editor, teams):
    client.force_login(editor)

    confirm = client.get(url("metric_delete", pk=teams.pk)).content.decode()
    assert "Delete the KPI “Weekly active teams”?" in confirm and "Its 2 readings will be deleted with it." in confirm

    response = client.post(url("metric_delete", pk=teams.pk))
    assert response.status_code == 302 and response["Location"] == url("metric_list")
    assert not ProductMetric.objects.exists() and not MetricReading.objects.exists()


# --- Readings --------------------------------------------------------------------------------------------


def test_an_editor_adds_a_reading_from_the_metrics_page(client, atlas, editor, teams):
    client.force_login(editor)

    response = client.post(url("reading_create", pk=teams.pk), {"date": "2026-03-01", "value": "99.5"})

    assert response.status_code == 302 and response["Location"].endswith(f"#metric-{teams.pk}")
    assert teams.readings.get(date=datetime.date(2026, 3, 1)).value == Decimal("99.50")
    page = client.get(response["Location"]).content.decode()
    assert "Weekly active teams: 99.5 teams on 1 Mar 2026 recorded." in page
    assert "Off target" in page


def test_a_second_reading_for_the_same_date_shows_the_error_and_changes_nothing(client, atlas, editor, teams):
    client.force_login(editor)
    before = everything()

    response = client.post(url("reading_create", pk=teams.pk), {"date": "2026-01-01", "value": "5"})

    assert response.status_code == 400
    assert response.context["form"].errors["date"] == ["The metric already has a reading for this date."]
    assert everything() == before


def test_a_reading_without_a_date_or_value_shows_the_errors(client, atlas, editor, teams):
    client.force_login(editor)

    response = client.post(url("reading_create", pk=teams.pk), {"date": "", "value": "many"})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"date", "value"}
    assert teams.readings.count() == 2


def test_an_editor_corrects_and_deletes_a_reading(client, atlas, editor, teams):
    reading = teams.readings.get(date=JAN)
    client.force_login(editor)

    assert client.get(url("reading_update", pk=reading.pk)).status_code == 200
    response = client.post(url("reading_update", pk=reading.pk), {"date": "2026-01-02", "value": "81"})
    assert response.status_code == 302
    reading.refresh_from_db()
    assert (reading.date, reading.value) == (datetime.date(2026, 1, 2), Decimal("81.00"))

    confirm = client.get(url("reading_delete", pk=reading.pk)).content.decode()
    assert "The value 81 teams leaves the trend of Weekly active teams." in confirm
    assert client.post(url("reading_delete", pk=reading.pk)).status_code == 302
    assert not MetricReading.objects.filter(pk=reading.pk).exists()


def test_moving_a_reading_onto_another_ones_date_shows_the_error(client, atlas, editor, teams):
    reading = teams.readings.get(date=JAN)
    client.force_login(editor)

    response = client.post(url("reading_update", pk=reading.pk), {"date": "2026-02-01", "value": "81"})

    assert response.status_code == 400 and "date" in response.context["form"].errors
    reading.refresh_from_db()
    assert reading.date == JAN


# --- The product page -------------------------------------------------------------------------------------


def test_the_product_page_shows_each_kpi_chart_with_its_target_and_the_feedback_this_month(
    client, outsider, atlas, teams
):
    now = timezone.now()
    for sentiment in ["negative", "negative", "positive"]:
        FeedbackFactory(product=atlas, sentiment=sentiment, received_at=now)
    FeedbackFactory(product=atlas, sentiment="positive", received_at=now - datetime.timedelta(days=62))
    client.force_login(outsider)

    page = client.get(url("product_detail")).content.decode()

    metrics = page[page.index('id="metrics"') : page.index('id="feedback-month"')]
    assert "Weekly active teams" in metrics and 'class="target-line"' in metrics and "Target 100 teams" in metrics
    assert "On target" in metrics and "<desc" in metrics
    month = page[page.index('id="feedback-month"') :]
    assert '<strong class="figure">3</strong> items received in' in month
    assert "Negative: <strong>2</strong>" in month and "(67%)" in month
    assert "Neutral: <strong>0</strong>" in month and "Positive: <strong>1</strong>" in month
    assert 'class="segment negative"' in month and 'class="segment positive"' in month


def test_a_product_page_without_kpis_or_feedback_this_month_says_so(client, outsider, atlas):
    client.force_login(outsider)

    page = client.get(url("product_detail")).content.decode()

    assert "No KPIs yet." in page and "No feedback received yet this month." in page


# --- Query counts --------------------------------------------------------------------------------------


def _kpis(product, n):
    start = ProductMetric.objects.filter(product=product).count()
    for number in range(start, start + n):
        metric = ProductMetricFactory(product=product, target=None if number % 3 == 0 else Decimal("50"))
        for month in range(1, 4):
            MetricReadingFactory(metric=metric, date=datetime.date(2026, month, 1), value=Decimal(40 + number))


def _readings(product, n):
    metric = ProductMetric.objects.filter(product=product).first() or ProductMetricFactory(product=product)
    start = metric.readings.count()
    for day in range(start, start + n):
        MetricReadingFactory(metric=metric, date=JAN + datetime.timedelta(days=day))


@pytest.mark.parametrize("page", ["metric_list", "product_detail"])
@pytest.mark.parametrize("make", [_kpis, _readings])
def test_the_metrics_and_product_pages_take_the_same_queries_for_5_or_50_rows(client, atlas, editor, page, make):
    client.force_login(editor)
    make(atlas, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url(page)).status_code == 200
    make(atlas, 45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url(page)).status_code == 200

    assert len(fifty) == len(five), [query["sql"] for query in fifty.captured_queries]


def test_an_htmx_reading_answers_with_the_kpis_card_redrawn_and_says_so(client, atlas, editor, teams):
    client.force_login(editor)

    response = client.post(
        url("reading_create", pk=teams.pk), {"date": "2026-03-01", "value": "99.5"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="metric-{teams.pk}"' in page
    assert page.count('class="point ') == 3 + 2  # three readings, and the legend's two shapes
    assert 'hx-swap-oob="true">Weekly active teams: 99.5 teams on 1 Mar 2026 recorded.</p>' in page
    assert teams.readings.count() == 3


def test_an_htmx_reading_for_a_taken_date_shows_the_error_in_the_card_and_changes_nothing(client, atlas, editor, teams):
    client.force_login(editor)
    before = everything()

    response = client.post(
        url("reading_create", pk=teams.pk), {"date": "2026-01-01", "value": "5"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200  # htmx swaps in 2xx answers only: the card shows the error
    assert "The metric already has a reading for this date." in page and 'value="5"' in page
    assert 'hx-swap-oob="true"></p>' in page
    assert everything() == before
