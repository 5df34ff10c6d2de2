"""An archived product only reads: nothing under it is added or changed until it is restored."""

import pytest
from django.core.exceptions import PermissionDenied

from portfolio.core.permissions import can
from products import services
from products.models import Feature
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(product_manager):
    product = ProductFactory(owner=product_manager)
    FeatureFactory(product=product, title="Old feature")
    return services.product_archive(user=product_manager, product=product)


def test_nothing_is_added_to_an_archived_product(product_manager, archived):
    with pytest.raises(PermissionDenied):
        services.feature_create(user=product_manager, product=archived, data={"title": "New"})
    with pytest.raises(PermissionDenied):
        services.feedback_create(user=product_manager, product=archived, data={"summary": "Hello"})
    assert not can(product_manager, "products.add_theme", archived)


def test_what_is_under_an_archived_product_is_not_changed(product_manager, archived):
    feature = archived.features.get()
    item = FeedbackFactory(product=archived)

    with pytest.raises(PermissionDenied):
        services.feature_update(user=product_manager, feature=feature, version=feature.version, data={"title": "X"})
    with pytest.raises(PermissionDenied):
        services.feedback_link(user=product_manager, feedback=item, features=[feature])
    assert not can(product_manager, "products.change_theme", ThemeFactory(product=archived))
    assert Feature.objects.get(pk=feature.pk).title == "Old feature"


def test_the_api_refuses_a_change_under_an_archived_product(api_as, product_manager, archived):
    feature = archived.features.get()

    response = api_as(product_manager).patch(
        f"/api/v1/features/{feature.pk}/", {"title": "X", "version": feature.version}, format="json"
    )

    assert response.status_code == 403


def test_restoring_the_product_makes_it_editable_again(product_manager, archived):
    restored = services.product_restore(user=product_manager, product=archived)

    created = services.feature_create(user=product_manager, product=restored, data={"title": "New"})

    assert created.product == restored
    assert can(product_manager, "products.change_product", restored)
