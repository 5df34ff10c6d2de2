"""The product list and product detail pages: everyone signed in reads them, with fixed query counts."""

import datetime

import pytest
from django.urls import reverse

from products.models import Feature, Feedback, ProductMember
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import (
    FeatureFactory,
    FeedbackFactory,
    ProductFactory,
    ProductMemberFactory,
    ReleaseFactory,
    link_feedback,
)

pytestmark = pytest.mark.django_db

LIST = reverse("products:product_list")


def detail_url(product) -> str:
    return reverse("products:product_detail", kwargs={"slug": product.slug})


@pytest.fixture
def atlas(product_manager):
    return ProductFactory(
        name="Atlas",
        slug="atlas",
        owner=product_manager,
        lifecycle_stage="growth",
        description="Route planning for fleets.",
        vision="Every delivery on time.",
    )


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor")
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.EDITOR, function="engineering")
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.VIEWER, function="design")
    return user


def names(response) -> list[str]:
    return [product.name for product in response.context["page_obj"]]


# --- Who reads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "viewer", "outsider"])
def test_everyone_signed_in_reads_the_list_and_the_detail(client, request, atlas, who):
    client.force_login(request.getfixturevalue(who))

    listing = client.get(LIST)
    detail = client.get(detail_url(atlas))

    assert listing.status_code == 200 and names(listing) == ["Atlas"]
    assert detail.status_code == 200 and detail.context["product"] == atlas
    assert "Every delivery on time." in detail.content.decode()


@pytest.mark.parametrize("url", [LIST, "/products/atlas/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, atlas, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_slug_is_not_found(client, outsider):
    client.force_login(outsider)

    assert client.get("/products/no-such-product/").status_code == 404


def test_navigation_links_to_the_product_list(client, outsider):
    client.force_login(outsider)

    assert f'href="{LIST}"' in client.get("/").content.decode()


def test_home_links_my_products_to_their_pages(client, product_manager, atlas):
    client.force_login(product_manager)

    assert f'href="{detail_url(atlas)}"' in client.get("/").content.decode()


# --- The list ----------------------------------------------------------------------------------


def test_list_shows_owner_stage_and_feature_count(client, outsider, atlas):
    FeatureFactory.create_batch(3, product=atlas)
    client.force_login(outsider)

    response = client.get(LIST)

    assert response.context["page_obj"][0].feature_count == 3
    body = response.content.decode()
    assert "Priya Shah" in body and "Growth" in body and detail_url(atlas) in body


def test_list_filters_by_lifecycle_stage(client, outsider, atlas):
    ProductFactory(name="Beacon", lifecycle_stage="sunset")
    client.force_login(outsider)

    assert names(client.get(LIST, {"lifecycle_stage": "sunset"})) == ["Beacon"]
    assert names(client.get(LIST, {"lifecycle_stage": ""})) == ["Atlas", "Beacon"]


def test_list_filters_by_owner(client, outsider, atlas, member):
    ProductFactory(name="Beacon", owner=member)
    client.force_login(outsider)

    response = client.get(LIST, {"owner": member.pk})

    assert names(response) == ["Beacon"]
    # The owner filter offers the owners of products, by name, and keeps the choice.
    assert [owner.username for owner in response.context["owners"]] == ["member", "pm"]
    assert f'<option value="{member.pk}" selected>' in response.content.decode()


def test_list_searches_names_and_descriptions(client, outsider, atlas):
    ProductFactory(name="Beacon", description="Alerts for drivers.")
    ProductFactory(name="Compass")
    client.force_login(outsider)

    assert names(client.get(LIST, {"q": "beacon"})) == ["Beacon"]
    assert names(client.get(LIST, {"q": "fleets"})) == ["Atlas"]
    assert names(client.get(LIST, {"q": "nothing like it"})) == []


def test_filters_combine(client, outsider, atlas, member):
    ProductFactory(name="Beacon", owner=member, lifecycle_stage="growth")
    ProductFactory(name="Compass", owner=member, lifecycle_stage="sunset")
    client.force_login(outsider)

    assert names(client.get(LIST, {"owner": member.pk, "lifecycle_stage": "growth"})) == ["Beacon"]


@pytest.mark.parametrize(
    ("params", "field"), [({"owner": "abc"}, "Owner: Enter an id"), ({"lifecycle_stage": "gone"}, "Lifecycle stage: ")]
)
def test_a_filter_that_cannot_be_read_is_a_400_with_its_error_and_no_products(client, outsider, atlas, params, field):
    client.force_login(outsider)

    response = client.get(LIST, params)

    assert response.status_code == 400
    assert names(response) == []
    body = response.content.decode()
    assert 'class="errorlist filter-errors"' in body and f"<li>{field}" in body


def test_list_is_paginated_and_pages_keep_the_filters(client, outsider):
    for number in range(30):
        ProductFactory(name=f"Product {number:02}", lifecycle_stage="growth")
    client.force_login(outsider)

    first = client.get(LIST, {"lifecycle_stage": "growth"})
    second = client.get(LIST, {"lifecycle_stage": "growth", "page": 2})

    assert len(first.context["page_obj"]) == 25 and len(second.context["page_obj"]) == 5
    assert "?lifecycle_stage=growth&amp;page=2" in first.content.decode()
    assert names(second)[0] == "Product 25"


@pytest.mark.parametrize("count", [5, 50])
def test_list_reads_a_fixed_number_of_queries(client, outsider, django_assert_max_num_queries, count):
    owner = UserFactory()
    for _ in range(count):
        product = ProductFactory(owner=owner)
        FeatureFactory.create_batch(2, product=product)
        ProductMemberFactory(product=product)
    client.force_login(outsider)

    # Session, user, the owner filter's id, the count, the page, the owner choices, the user's roles (may they add
    # a product?); the session's save (3).
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"q": "Product", "lifecycle_stage": "growth", "owner": owner.pk})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(count, 25)


# --- The detail --------------------------------------------------------------------------------


def test_detail_shows_vision_stage_owner_and_objectives(client, outsider, atlas):
    atlas.objectives.add(ObjectiveFactory(title="Grow the fleet segment", status="at-risk"))
    client.force_login(outsider)

    body = client.get(detail_url(atlas)).content.decode()

    assert "<h1>Atlas</h1>" in body
    assert "Every delivery on time." in body and "Route planning for fleets." in body
    assert "Growth" in body and "Owned by Priya Shah" in body
    assert "Grow the fleet segment" in body and "At risk" in body


def test_detail_groups_the_team_by_function(client, outsider, atlas, editor, viewer):
    ProductMemberFactory(product=atlas, user=UserFactory(username="sam"), function="", role="viewer")
    client.force_login(outsider)

    team = client.get(detail_url(atlas)).context["team"]

    assert [(function, [m.user.username for m in members]) for function, members in team] == [
        ("Engineering", ["editor"]),
        ("Design", ["viewer"]),
        ("No function given", ["sam"]),
    ]


def test_detail_lists_releases_with_target_date_and_status(client, outsider, atlas):
    ReleaseFactory(product=atlas, name="Spring", target_date=datetime.date(2027, 3, 1), status="planned")
    ReleaseFactory(product=atlas, name="Winter", target_date=datetime.date(2026, 12, 1), status="in-progress")
    client.force_login(outsider)

    response = client.get(detail_url(atlas))

    assert [release.name for release in response.context["releases"]] == ["Winter", "Spring"]
    body = response.content.decode()
    assert "1 Dec 2026" in body and "In progress" in body and "Planned" in body


def test_detail_shows_features_by_status_and_the_most_requested(client, outsider, atlas):
    FeatureFactory.create_batch(2, product=atlas, status=Feature.Status.SHIPPED)
    wanted = FeatureFactory(product=atlas, title="Offline maps", status=Feature.Status.PLANNED)
    link_feedback(FeedbackFactory(product=atlas, importance=Feedback.Importance.CRITICAL), wanted)
    client.force_login(outsider)

    response = client.get(detail_url(atlas))

    counts = {label: count for _, label, count in response.context["status_counts"]}
    assert counts == {"Idea": 0, "Planned": 1, "In progress": 0, "Shipped": 2, "Parked": 0}
    assert [feature.title for feature in response.context["top_features"]] == ["Offline maps"]
    assert "Offline maps" in response.content.decode()


def test_detail_of_an_empty_product_says_so(client, outsider):
    product = ProductFactory(name="Blank")
    client.force_login(outsider)

    body = client.get(detail_url(product)).content.decode()

    assert "No team members yet." in body and "No releases planned yet." in body
    assert "No feedback is linked to any feature yet." in body


@pytest.mark.parametrize("count", [5, 50])
def test_detail_reads_a_fixed_number_of_queries(client, outsider, atlas, django_assert_max_num_queries, count):
    atlas.objectives.add(*ObjectiveFactory.create_batch(3))
    feedback = FeedbackFactory(product=atlas)
    for number in range(count):
        link_feedback(feedback, FeatureFactory(product=atlas, status=Feature.Status.values[number % 5]))
        ProductMemberFactory(product=atlas, function=["engineering", "design", "sales", ""][number % 4])
        ReleaseFactory(product=atlas, target_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number))
    client.force_login(outsider)

    # Session, user, product, objectives, team, status counts, top-demand features, releases, the user's membership
    # (may they edit, may they add features?); the session's save (3).
    with django_assert_max_num_queries(12):
        response = client.get(detail_url(atlas))
    assert response.status_code == 200
    assert len(response.context["top_features"]) == 5
