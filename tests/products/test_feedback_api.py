"""Feedback through the API: entered, linked with ``PATCH features``, searched and deleted; demand follows.

A refused write is a 400 with field messages (or 403 from the rules) and changes nothing.
"""

import pytest
from django.forms.models import model_to_dict

from products.models import Feature, Feedback
from tests.api import queries_for
from tests.core.factories import UserFactory
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory, ProductMemberFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/feedback/"


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager, name="Flow")


@pytest.fixture
def feature(product):
    return FeatureFactory(product=product, title="Offline mode")


def rows() -> list[dict]:
    return [model_to_dict(row) for row in Feedback.objects.order_by("pk")]


def feature_demand(client, feature: Feature) -> tuple[int, int]:
    body = client.get(f"/api/v1/features/{feature.pk}/").json()
    return body["demand"], body["demand_count"]


def test_a_product_manager_enters_feedback_and_it_lands_in_the_inbox(api_as, product_manager, product):
    response = api_as(product_manager).post(
        API,
        {"product": product.pk, "summary": "Sync is slow", "company": "Acme", "sentiment": "negative"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["summary"], body["status"], body["features"]) == ("Sync is slow", "new", [])
    assert body["received_at"]


def test_patching_features_links_feedback_and_the_features_demand_goes_up(api_as, product_manager, product, feature):
    client = api_as(product_manager)
    item = FeedbackFactory(product=product, importance="critical")

    response = client.patch(f"{API}{item.pk}/", {"features": [feature.pk]}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["features"], response.json()["status"]) == ([feature.pk], "linked")
    assert feature_demand(client, feature) == (3, 1)

    client.patch(f"{API}{item.pk}/", {"importance": "important"}, format="json")
    assert feature_demand(client, feature) == (2, 1)
    client.patch(f"{API}{item.pk}/", {"features": []}, format="json")
    assert feature_demand(client, feature) == (0, 0)
    assert Feedback.objects.get(pk=item.pk).status == "triaged"


def test_linking_to_another_products_feature_is_a_400_that_changes_nothing(api_as, product_manager, product, feature):
    item = FeedbackFactory(product=product)
    foreign = FeatureFactory(product=ProductFactory(owner=product_manager), title="Elsewhere")
    before = rows()

    response = api_as(product_manager).patch(f"{API}{item.pk}/", {"features": [feature.pk, foreign.pk]}, format="json")

    assert response.status_code == 400
    assert "“Elsewhere” is not a feature of Flow" in response.json()["errors"]["features"][0]
    assert rows() == before
    assert Feature.objects.filter(demand__gt=0).count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"importance": "urgent"}, "importance"),
        ({"sentiment": 3}, "sentiment"),
        ({"features": [999999]}, "features"),
        ({"email": "not an address"}, "email"),
        ({"summary": ""}, "summary"),
        ({"received_at": "yesterday"}, "received_at"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(api_as, product_manager, product, body, field):
    item = FeedbackFactory(product=product)
    before = rows()

    response = api_as(product_manager).patch(f"{API}{item.pk}/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert rows() == before


def test_a_viewer_of_the_product_may_read_but_not_link(api_as, product, feature):
    viewer = UserFactory()
    ProductMemberFactory(product=product, user=viewer, role="viewer")
    item = FeedbackFactory(product=product)
    client = api_as(viewer)

    assert client.get(f"{API}{item.pk}/").status_code == 200
    assert client.patch(f"{API}{item.pk}/", {"features": [feature.pk]}, format="json").status_code == 403
    assert client.post(API, {"product": product.pk, "summary": "Hi"}, format="json").status_code == 403
    assert client.delete(f"{API}{item.pk}/").status_code == 403
    assert feature_demand(client, feature) == (0, 0)


def test_deleting_linked_feedback_takes_its_demand_away(api_as, product_manager, product, feature):
    client = api_as(product_manager)
    item = FeedbackFactory(product=product, importance="important")
    client.patch(f"{API}{item.pk}/", {"features": [feature.pk]}, format="json")

    assert client.delete(f"{API}{item.pk}/").status_code == 204
    assert feature_demand(client, feature) == (0, 0)


def test_the_list_filters_by_company_and_searches_summary_body_and_company(api_as, product_manager, product):
    FeedbackFactory(product=product, summary="Export to PDF", company="Globex")
    FeedbackFactory(product=product, summary="Dark mode", body="Our designers export a lot", company="Initech")
    FeedbackFactory(product=product, summary="Faster sync", company="Exportify Ltd")
    FeedbackFactory(product=product, summary="Nothing to see", company="Acme")
    client = api_as(product_manager)

    found = client.get(f"{API}?q=export&ordering=summary").json()
    assert [item["summary"] for item in found["results"]] == ["Dark mode", "Export to PDF", "Faster sync"]
    by_company = client.get(f"{API}?company=globex").json()
    assert [item["summary"] for item in by_company["results"]] == ["Export to PDF"]


def test_features_order_by_their_stored_demand(api_as, product_manager, product):
    client = api_as(product_manager)
    quiet, wanted = FeatureFactory(product=product, title="Quiet"), FeatureFactory(product=product, title="Wanted")
    for importance in ("critical", "nice-to-have"):
        item = FeedbackFactory(product=product, importance=importance)
        client.patch(f"{API}{item.pk}/", {"features": [wanted.pk]}, format="json")

    body = client.get(f"/api/v1/features/?product={product.pk}&ordering=-demand").json()

    assert [(f["title"], f["demand"], f["demand_count"]) for f in body["results"]] == [
        ("Wanted", 4, 2),
        ("Quiet", 0, 0),
    ]
    assert quiet.pk != wanted.pk


def test_the_feedback_list_runs_the_same_queries_for_5_and_50_items(api_as, product_manager, product, feature):
    client = api_as(product_manager)

    def add(count: int) -> None:
        for item in FeedbackFactory.create_batch(count, product=product):
            client.patch(f"{API}{item.pk}/", {"features": [feature.pk]}, format="json")

    add(5)
    few, _ = queries_for(client, f"{API}?page_size=200&q=feedback")
    add(45)
    many, body = queries_for(client, f"{API}?page_size=200&q=feedback")

    assert body["count"] == 50
    assert many == few
