"""The admin writes competitors and insights through the market services, with the same refusals as the pages."""

from unittest import mock

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from products import services
from products.models import Competitor, MarketInsight
from tests.admin_forms import admin_form_data
from tests.products.factories import (
    CompetitorFactory,
    FeatureFactory,
    MarketInsightFactory,
    ProductFactory,
    ProductMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(product_manager):
    product_manager.is_staff = True
    product_manager.save()
    return ProductFactory(owner=product_manager)


def change_url(obj) -> str:
    return reverse(f"admin:products_{obj._meta.model_name}_change", args=[obj.pk])


def test_an_admin_edit_of_a_competitor_goes_through_the_service(client, product, product_manager):
    competitor = CompetitorFactory(product=product, name="Zapflow", threat_level="low")
    client.force_login(product_manager)
    data = admin_form_data(client.get(change_url(competitor)), threat_level="high")

    with mock.patch("products.admin.services.competitor_update", wraps=services.competitor_update) as update:
        response = client.post(change_url(competitor), data)

    assert response.status_code == 302 and update.call_count == 1
    competitor.refresh_from_db()
    assert competitor.threat_level == "high"


def test_an_admin_add_of_a_duplicate_competitor_is_a_form_error(client, product, product_manager):
    CompetitorFactory(product=product, name="Zapflow")
    client.force_login(product_manager)
    url = reverse("admin:products_competitor_add")
    data = admin_form_data(client.get(url), product=str(product.pk), name="ZAPFLOW", threat_level="low")

    response = client.post(url, data)

    assert response.status_code == 200 and "already listed" in response.content.decode()
    assert Competitor.objects.count() == 1


def test_an_admin_add_of_a_competitor_goes_through_the_service(client, product, product_manager):
    client.force_login(product_manager)
    url = reverse("admin:products_competitor_add")
    data = admin_form_data(client.get(url), product=str(product.pk), name="Processly", threat_level="medium")

    with mock.patch("products.admin.services.competitor_create", wraps=services.competitor_create) as create:
        response = client.post(url, data)

    assert response.status_code == 302 and create.call_count == 1
    assert Competitor.objects.get().name == "Processly"


def test_an_admin_insight_linking_another_products_feature_is_refused_and_changes_nothing(
    client, product, product_manager
):
    ours, theirs = FeatureFactory(product=product), FeatureFactory()
    insight = MarketInsightFactory(product=product)
    insight.features.set([ours])
    client.force_login(product_manager)
    before = model_to_dict(MarketInsight.objects.get())
    data = admin_form_data(client.get(change_url(insight)), title="Renamed", features=[str(ours.pk), str(theirs.pk)])

    response = client.post(change_url(insight), data)

    assert response.status_code == 200 and "Links stay inside one product" in response.content.decode()
    assert model_to_dict(MarketInsight.objects.get()) == before


def test_an_admin_insight_edit_relinks_through_the_service(client, product, product_manager):
    first, second = FeatureFactory(product=product), FeatureFactory(product=product)
    insight = MarketInsightFactory(product=product)
    insight.features.set([first])
    client.force_login(product_manager)
    data = admin_form_data(client.get(change_url(insight)), features=[str(second.pk)])

    with mock.patch("products.admin.services.insight_update", wraps=services.insight_update) as update:
        response = client.post(change_url(insight), data)

    assert response.status_code == 302 and update.call_count == 1
    assert list(insight.features.all()) == [second]


def test_an_admin_delete_goes_through_the_service(client, product, product_manager):
    competitor = CompetitorFactory(product=product)
    insight = MarketInsightFactory(product=product)
    client.force_login(product_manager)

    with mock.patch("products.admin.services.insight_delete", wraps=services.insight_delete) as delete:
        client.post(reverse("admin:products_marketinsight_delete", args=[insight.pk]), {"post": "yes"})
    client.post(reverse("admin:products_competitor_delete", args=[competitor.pk]), {"post": "yes"})

    assert delete.call_count == 1
    assert not MarketInsight.objects.exists() and not Competitor.objects.exists()


def test_an_editor_member_cannot_move_a_competitor_to_a_product_they_do_not_edit(client, product):
    editor = ProductMemberFactory(product=product, role="editor", user__is_staff=True).user
    competitor = CompetitorFactory(product=product)
    other = ProductFactory()
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(competitor)), product=str(other.pk))

    response = client.post(change_url(competitor), data)

    assert response.status_code == 200
    competitor.refresh_from_db()
    assert competitor.product == product
