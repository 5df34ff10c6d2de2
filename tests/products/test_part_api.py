"""Writing a product's members, themes and releases through the API: 201/200/204, 400 with field messages,
403 from the rules, 409 for a stale release; a refused write changes nothing."""

import pytest
from django.forms.models import model_to_dict

from products.models import ProductMember, Release, Theme
from tests.api import queries_for
from tests.core.factories import UserFactory
from tests.products.factories import (
    FeatureFactory,
    ProductFactory,
    ProductMemberFactory,
    ReleaseFactory,
    ThemeFactory,
)

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


def rows(model) -> list[dict]:
    return [model_to_dict(row) for row in model.objects.order_by("pk")]


# --- Members ----------------------------------------------------------------------------------------


def test_an_editor_adds_changes_and_removes_a_member(api_as, product, editor):
    client = api_as(editor)
    person = UserFactory(function="marketing", first_name="Ada", last_name="Lovelace")

    created = client.post(f"{API}/product-members/", {"product": product.pk, "user": person.pk}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["user"], body["name"], body["role"], body["function"]) == (
        person.pk,
        "Ada Lovelace",
        "viewer",
        "marketing",
    )

    changed = client.patch(f"{API}/product-members/{body['id']}/", {"role": "editor"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "editor"

    assert client.delete(f"{API}/product-members/{body['id']}/").status_code == 204
    assert not product.memberships.filter(user=person).exists()


def test_members_filter_on_product_user_and_role(api_as, product, editor, viewer, member):
    ProductMemberFactory(role="viewer")
    client = api_as(member)

    def users(query):
        return [row["user"] for row in client.get(f"{API}/product-members/?{query}").json()["results"]]

    assert sorted(users(f"product={product.pk}")) == sorted([editor.pk, viewer.pk])
    assert users(f"product={product.pk}&role=viewer") == [viewer.pk]
    assert users(f"user={editor.pk}") == [editor.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"product": None}, "product"),
        ({"product": "x", "user": 1}, "product"),
        ({"role": "owner"}, "role"),
        ({"function": "juggling"}, "function"),
    ],
)
def test_a_bad_member_body_is_a_400_naming_the_field(api_as, product, editor, body, field):
    body = {"product": product.pk, "user": UserFactory().pk, **body}
    before = rows(ProductMember)

    response = api_as(editor).post(f"{API}/product-members/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert rows(ProductMember) == before


def test_a_duplicate_member_is_a_400_on_the_user(api_as, product, editor, viewer):
    response = api_as(editor).post(f"{API}/product-members/", {"product": product.pk, "user": viewer.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"user": ["This person is already a member of the product."]}


def test_a_viewer_gets_403_and_changes_nothing(api_as, product, viewer):
    client = api_as(viewer)
    membership = product.memberships.get(user=viewer)
    before = rows(ProductMember)

    assert (
        client.post(
            f"{API}/product-members/", {"product": product.pk, "user": UserFactory().pk}, format="json"
        ).status_code
        == 403
    )
    assert client.patch(f"{API}/product-members/{membership.pk}/", {"role": "editor"}, format="json").status_code == 403
    assert client.delete(f"{API}/product-members/{membership.pk}/").status_code == 403
    assert rows(ProductMember) == before


def test_an_editor_of_another_product_gets_403_on_this_ones_members(api_as, product, viewer):
    stranger = UserFactory()
    ProductMemberFactory(user=stranger, role="editor")  # an editor elsewhere
    membership = product.memberships.get(user=viewer)

    response = api_as(stranger).patch(f"{API}/product-members/{membership.pk}/", {"role": "editor"}, format="json")

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_removing_the_owner_is_a_403_that_says_why(api_as, product, product_manager, editor):
    membership = ProductMemberFactory(product=product, user=product_manager, role="editor")

    response = api_as(editor).delete(f"{API}/product-members/{membership.pk}/")

    assert response.status_code == 403
    assert "owner cannot leave its team" in response.json()["detail"]
    assert ProductMember.objects.filter(pk=membership.pk).exists()


def test_the_members_list_takes_the_same_queries_for_5_or_50_rows(api_as, member):
    client = api_as(member)
    ProductMemberFactory.create_batch(5)
    five, _ = queries_for(client, f"{API}/product-members/")
    ProductMemberFactory.create_batch(45)
    fifty, body = queries_for(client, f"{API}/product-members/")
    assert body["count"] == 50 and fifty == five


# --- Themes -----------------------------------------------------------------------------------------


def test_an_editor_creates_renames_and_deletes_a_theme(api_as, product, editor):
    client = api_as(editor)

    created = client.post(
        f"{API}/themes/", {"product": product.pk, "name": "Speed", "colour": "#aa0011"}, format="json"
    )
    assert created.status_code == 201, created.json()
    theme = created.json()
    assert (theme["name"], theme["colour"], theme["position"]) == ("Speed", "#aa0011", 0)

    renamed = client.put(f"{API}/themes/{theme['id']}/", {"name": "Faster", "position": 2}, format="json")
    assert renamed.status_code == 200 and (renamed.json()["name"], renamed.json()["position"]) == ("Faster", 2)

    feature = FeatureFactory(product=product, theme_id=theme["id"])
    assert client.delete(f"{API}/themes/{theme['id']}/").status_code == 204
    feature.refresh_from_db()
    assert feature.theme_id is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Speed"}, "name"),
        ({"name": "New", "colour": "blue"}, "colour"),
        ({"name": ""}, "name"),
        ({"name": 5}, "name"),
        ({"name": "New", "position": -1}, "position"),
    ],
)
def test_a_bad_theme_is_a_400_naming_the_field_and_changes_nothing(api_as, product, editor, body, field):
    ThemeFactory(product=product, name="Speed")
    before = rows(Theme)

    response = api_as(editor).post(f"{API}/themes/", {"product": product.pk, **body}, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert rows(Theme) == before


def test_a_viewer_and_an_outsider_get_403_on_themes(api_as, product, viewer, outsider):
    theme = ThemeFactory(product=product, name="Speed")
    before = rows(Theme)

    for user in (viewer, outsider):
        client = api_as(user)
        assert client.post(f"{API}/themes/", {"product": product.pk, "name": "X"}, format="json").status_code == 403
        assert client.patch(f"{API}/themes/{theme.pk}/", {"name": "X"}, format="json").status_code == 403
        assert client.delete(f"{API}/themes/{theme.pk}/").status_code == 403
    assert rows(Theme) == before


def test_a_form_encoded_body_is_refused(api_client, editor, product):
    api_client.force_authenticate(editor)

    body = f"product={product.pk}&name=X"
    response = api_client.post(f"{API}/themes/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415


# --- Releases ---------------------------------------------------------------------------------------


def test_an_editor_plans_edits_and_deletes_a_release(api_as, product, editor):
    client = api_as(editor)

    created = client.post(
        f"{API}/releases/", {"product": product.pk, "name": "2.0", "target_date": "2027-03-01"}, format="json"
    )
    assert created.status_code == 201, created.json()
    release = created.json()
    assert (release["status"], release["released_on"], release["version"]) == ("planned", None, 1)

    shipped = client.patch(
        f"{API}/releases/{release['id']}/",
        {"status": "released", "released_on": "2027-02-27", "version": 1},
        format="json",
    )
    assert shipped.status_code == 200, shipped.json()
    assert (shipped.json()["released_on"], shipped.json()["version"]) == ("2027-02-27", 2)

    assert client.delete(f"{API}/releases/{release['id']}/").status_code == 204
    assert not Release.objects.filter(pk=release["id"]).exists()


def test_a_stale_release_version_is_a_409_with_the_current_release(api_as, product, editor):
    release = ReleaseFactory(product=product, name="1.0")
    client = api_as(editor)
    assert (
        client.patch(f"{API}/releases/{release.pk}/", {"name": "1.1", "version": 1}, format="json").status_code == 200
    )

    response = client.patch(f"{API}/releases/{release.pk}/", {"name": "Mine", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert response.json()["current"]["name"] == "1.1"
    release.refresh_from_db()
    assert (release.name, release.version) == ("1.1", 2)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "1.0"}, "name"),
        ({"target_date": "soon"}, "target_date"),
        ({"status": "shipped"}, "status"),
        ({"released_on": "2026-01-01"}, "released_on"),  # dated but not released
    ],
)
def test_a_bad_release_is_a_400_naming_the_field_and_changes_nothing(api_as, product, editor, body, field):
    ReleaseFactory(product=product, name="1.0")
    before = rows(Release)

    response = api_as(editor).post(
        f"{API}/releases/", {"product": product.pk, "name": "2.0", "target_date": "2027-03-01", **body}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert rows(Release) == before


def test_an_update_without_a_version_is_a_400(api_as, product, editor):
    release = ReleaseFactory(product=product)

    response = api_as(editor).patch(f"{API}/releases/{release.pk}/", {"name": "X"}, format="json")

    assert response.status_code == 400 and "version" in response.json()["errors"]


def test_a_release_cannot_be_created_in_a_product_the_user_does_not_edit(api_as, editor):
    other = ProductFactory()
    before = rows(Release)

    response = api_as(editor).post(
        f"{API}/releases/", {"product": other.pk, "name": "2.0", "target_date": "2027-03-01"}, format="json"
    )

    assert response.status_code == 403
    assert rows(Release) == before
