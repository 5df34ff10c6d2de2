"""Writing products: create, edit, archive, restore and delete, through the services and the API alike.

Every refused write (bad input, no permission, a stale version, a delete that would lose data) changes nothing.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from portfolio.core import roles
from portfolio.core.exceptions import Conflict
from products import selectors, services
from products.filters import ProductFilter
from products.models import Product, ProductMember
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import (
    FeatureFactory,
    FeedbackFactory,
    ProductFactory,
    ProductMemberFactory,
    ReleaseFactory,
    ThemeFactory,
)
from tests.programs.factories import ProjectFactory
from tests.reports.factories import ReportSubscriptionFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/products/"


@pytest.fixture
def product(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager, lifecycle_stage="growth")


@pytest.fixture
def editor(product):
    user = UserFactory(username="editor", roles=[roles.TEAM_MEMBERS])
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def viewer(product):
    user = UserFactory(username="viewer", roles=[roles.TEAM_MEMBERS])
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.VIEWER)
    return user


@pytest.fixture
def other_pm():
    return UserFactory(username="other_pm", roles=[roles.PRODUCT_MANAGERS])


def stored(product) -> dict:
    """The product's row as stored, to compare before and after a refused write."""
    row = Product.objects.get(pk=product.pk)
    return {**model_to_dict(row), "version": row.version, "updated_at": row.updated_at}


def listed(**params) -> list[str]:
    """The names the product list (page and API share its FilterSet) shows for ``params``."""
    filterset = ProductFilter(params, queryset=selectors.product_list())
    assert filterset.is_valid(), filterset.errors
    return [product.name for product in filterset.qs]


# --- Creating ----------------------------------------------------------------------------------------


def test_a_product_manager_creates_a_product_and_owns_it(product_manager):
    objective = ObjectiveFactory()

    product = services.product_create(
        user=product_manager,
        data={"name": "Beacon", "lifecycle_stage": "ideation", "vision": "Lights on.", "objectives": [objective]},
    )

    assert product.owner == product_manager and product.version == 1
    assert product.slug == "beacon"
    assert list(product.objectives.all()) == [objective]


def test_the_slug_is_made_unique_and_never_takes_a_page_address(product_manager, product):
    clash = services.product_create(user=product_manager, data={"name": "Atlas!", "lifecycle_stage": "growth"})
    new = services.product_create(user=product_manager, data={"name": "New", "lifecycle_stage": "growth"})
    symbols = services.product_create(user=product_manager, data={"name": "★★★", "lifecycle_stage": "growth"})

    assert clash.slug == "atlas-2"
    assert new.slug == "new-2"
    assert symbols.slug == "product"


def test_a_given_slug_is_kept_and_a_taken_or_reserved_one_is_a_field_error(product_manager, product):
    beacon = services.product_create(
        user=product_manager, data={"name": "Beacon", "slug": "bcn", "lifecycle_stage": "growth"}
    )
    assert beacon.slug == "bcn"

    for slug in ("atlas", "new"):
        with pytest.raises(ValidationError) as refused:
            services.product_create(user=product_manager, data={"name": f"X {slug}", "slug": slug})
        assert "slug" in refused.value.message_dict
    assert Product.objects.count() == 2


def test_a_duplicate_name_or_an_unknown_stage_is_refused_and_creates_nothing(product_manager, product):
    with pytest.raises(ValidationError) as duplicate:
        services.product_create(user=product_manager, data={"name": "Atlas", "lifecycle_stage": "growth"})
    with pytest.raises(ValidationError) as stage:
        services.product_create(user=product_manager, data={"name": "Beacon", "lifecycle_stage": "retired"})

    assert "name" in duplicate.value.message_dict
    assert "lifecycle_stage" in stage.value.message_dict
    assert Product.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "leader", "program_manager", "outsider"])
def test_only_product_managers_create_products(request, who):
    with pytest.raises(PermissionDenied):
        services.product_create(user=request.getfixturevalue(who), data={"name": "Beacon"})
    assert not Product.objects.exists()


def test_a_product_manager_may_not_create_a_product_for_someone_else(product_manager, other_pm):
    with pytest.raises(ValidationError) as refused:
        services.product_create(user=product_manager, data={"name": "Beacon", "owner": other_pm})

    assert "owner" in refused.value.message_dict
    assert not Product.objects.exists()


def test_an_administrator_creates_a_product_for_a_product_manager(superuser, product_manager):
    product = services.product_create(user=superuser, data={"name": "Beacon", "owner": product_manager})

    assert product.owner == product_manager


# --- Editing -----------------------------------------------------------------------------------------


def test_an_editor_edits_the_product_and_its_objectives(editor, product):
    objective = ObjectiveFactory()

    services.product_update(
        user=editor,
        product=product,
        version=1,
        data={"name": "Atlas Pro", "vision": "Everywhere.", "lifecycle_stage": "maturity", "objectives": [objective]},
    )

    product.refresh_from_db()
    assert (product.name, product.vision, product.lifecycle_stage, product.version) == (
        "Atlas Pro",
        "Everywhere.",
        "maturity",
        2,
    )
    assert product.slug == "atlas"  # the address stays when the name changes
    assert list(product.objectives.all()) == [objective]


def test_an_empty_slug_is_made_again_from_the_name(editor, product):
    services.product_update(user=editor, product=product, version=1, data={"name": "Atlas Pro", "slug": ""})

    assert Product.objects.get(pk=product.pk).slug == "atlas-pro"


def test_a_stale_version_is_a_conflict_and_changes_nothing(editor, product):
    services.product_update(user=editor, product=product, version=1, data={"vision": "First."})
    before = stored(product)

    with pytest.raises(Conflict):
        services.product_update(user=editor, product=product, version=1, data={"vision": "Second."})

    assert stored(product) == before


@pytest.mark.parametrize("who", ["viewer", "member", "other_pm", "leader"])
def test_who_does_not_edit_the_product_may_not_change_it(request, product, who):
    user = request.getfixturevalue(who)
    if who == "leader":  # leadership only reads, even as an editor member
        ProductMemberFactory(product=product, user=user, role=ProductMember.Role.EDITOR)
    before = stored(product)

    with pytest.raises(PermissionDenied):
        services.product_update(user=user, product=product, version=1, data={"vision": "Mine."})

    assert stored(product) == before


def test_an_editor_who_is_not_the_owner_may_not_hand_the_product_over(editor, product, other_pm):
    before = stored(product)

    with pytest.raises(ValidationError) as refused:
        services.product_update(user=editor, product=product, version=1, data={"owner": other_pm})

    assert "owner" in refused.value.message_dict
    assert stored(product) == before


def test_the_owner_hands_the_product_over(product_manager, product, other_pm):
    services.product_update(user=product_manager, product=product, version=1, data={"owner": other_pm})

    assert Product.objects.get(pk=product.pk).owner == other_pm


def test_keeping_the_owner_needs_no_hand_over_right(editor, product, product_manager):
    services.product_update(user=editor, product=product, version=1, data={"owner": product_manager, "vision": "V"})

    assert Product.objects.get(pk=product.pk).vision == "V"


# --- Archiving and restoring -----------------------------------------------------------------------------


def test_archiving_hides_the_product_from_the_default_list_and_restoring_brings_it_back(editor, product):
    ProductFactory(name="Beacon")

    archived = services.product_archive(user=editor, product=product)

    assert archived.archived_at is not None and archived.version == 2
    assert listed() == ["Beacon"]
    assert listed(archived="false") == ["Beacon"]
    assert listed(archived="true") == ["Atlas", "Beacon"]
    assert listed(archived="only") == ["Atlas"]

    restored = services.product_restore(user=editor, product=archived)

    assert restored.archived_at is None
    assert listed() == ["Atlas", "Beacon"]
    assert listed(archived="only") == []


def test_archiving_keeps_everything_the_product_holds(editor, product):
    feature = FeatureFactory(product=product)

    services.product_archive(user=editor, product=product)

    assert list(product.features.all()) == [feature]


def test_archiving_twice_or_restoring_a_product_that_is_not_archived_changes_nothing(editor, product):
    services.product_restore(user=editor, product=product)
    assert stored(product)["version"] == 1

    services.product_archive(user=editor, product=product)
    moment = Product.objects.get(pk=product.pk).archived_at
    services.product_archive(user=editor, product=Product.objects.get(pk=product.pk))

    assert Product.objects.get(pk=product.pk).archived_at == moment
    assert stored(product)["version"] == 2


@pytest.mark.parametrize("who", ["viewer", "member", "other_pm"])
def test_who_may_not_change_the_product_may_not_archive_or_restore_it(request, product, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.product_archive(user=user, product=product)

    Product.objects.filter(pk=product.pk).update(archived_at="2026-11-01T00:00:00Z")
    with pytest.raises(PermissionDenied):
        services.product_restore(user=user, product=Product.objects.get(pk=product.pk))
    assert Product.objects.get(pk=product.pk).archived_at is not None


def test_an_unknown_archived_value_is_a_filter_error():
    filterset = ProductFilter({"archived": "maybe"}, queryset=selectors.product_list())

    assert not filterset.is_valid() and "archived" in filterset.errors


# --- Deleting ----------------------------------------------------------------------------------------


def test_the_owner_deletes_a_product_with_only_its_team_themes_and_releases(product_manager, product, editor):
    ThemeFactory(product=product)
    ReleaseFactory(product=product)

    services.product_delete(user=product_manager, product=product)

    assert not Product.objects.filter(pk=product.pk).exists()


@pytest.mark.parametrize(
    ("holding", "what"),
    [
        (lambda product: FeatureFactory(product=product), "1 feature"),
        (lambda product: FeedbackFactory.create_batch(2, product=product), "2 feedback"),
        (lambda product: ProjectFactory(product=product), "1 project"),
        (lambda product: ReportSubscriptionFactory(product=product), "1 report subscription"),
    ],
    ids=["features", "feedback", "projects", "report subscriptions"],
)
def test_a_product_that_holds_anything_is_not_deleted_and_archiving_is_offered(product_manager, product, holding, what):
    holding(product)

    with pytest.raises(ValidationError) as refused:
        services.product_delete(user=product_manager, product=product)

    message = " ".join(refused.value.messages)
    assert what in message and "Archive it instead" in message
    assert Product.objects.filter(pk=product.pk).exists()


@pytest.mark.parametrize("who", ["editor", "other_pm", "viewer"])
def test_only_the_owner_deletes_the_product(request, product, who):
    with pytest.raises(PermissionDenied):
        services.product_delete(user=request.getfixturevalue(who), product=product)
    assert Product.objects.filter(pk=product.pk).exists()


def test_the_delete_blockers_name_what_refers_to_the_product(product):
    FeatureFactory.create_batch(2, product=product)
    ProjectFactory(product=product)
    ThemeFactory(product=product)
    product.objectives.add(ObjectiveFactory())

    assert selectors.product_delete_blockers(product=product) == [("features", 2), ("project", 1)]


# --- The API -----------------------------------------------------------------------------------------


def test_the_api_creates_a_product_owned_by_its_creator(api_as, product_manager):
    objective = ObjectiveFactory()

    response = api_as(product_manager).post(
        API, {"name": "Beacon", "lifecycle_stage": "ideation", "objectives": [objective.pk]}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "beacon" and body["owner"] == product_manager.pk
    assert body["objectives"] == [objective.pk] and body["version"] == 1 and body["archived_at"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Atlas"}, "name"),
        ({"name": "Beacon", "lifecycle_stage": "retired"}, "lifecycle_stage"),
        ({"name": "Beacon", "slug": "not a slug"}, "slug"),
        ({"name": "Beacon", "slug": "new"}, "slug"),
        ({"name": 5}, "name"),
        ({}, "name"),
    ],
)
def test_the_api_refuses_bad_input_with_field_messages_and_creates_nothing(
    api_as, product_manager, product, body, field
):
    response = api_as(product_manager).post(API, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Product.objects.count() == 1


def test_the_api_refuses_a_product_for_someone_else_from_a_product_manager(api_as, product_manager, other_pm):
    response = api_as(product_manager).post(API, {"name": "Beacon", "owner": other_pm.pk}, format="json")

    assert response.status_code == 400 and "owner" in response.json()["errors"]


def test_a_team_member_may_not_create_a_product_through_the_api(api_as, member):
    response = api_as(member).post(API, {"name": "Beacon"}, format="json")

    assert response.status_code == 403 and not Product.objects.exists()


def test_the_api_updates_a_product_with_its_version(api_as, editor, product):
    response = api_as(editor).patch(f"{API}{product.pk}/", {"vision": "Everywhere.", "version": 1}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["vision"] == "Everywhere." and response.json()["version"] == 2


def test_an_api_update_needs_its_version(api_as, editor, product):
    response = api_as(editor).patch(f"{API}{product.pk}/", {"vision": "Everywhere."}, format="json")

    assert response.status_code == 400 and "version" in response.json()["errors"]


def test_a_stale_api_update_is_a_409_with_the_current_product(api_as, editor, product):
    services.product_update(user=editor, product=product, version=1, data={"vision": "First."})
    before = stored(product)

    response = api_as(editor).put(
        f"{API}{product.pk}/", {"name": "Atlas", "vision": "Late.", "version": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and response.json()["current"]["vision"] == "First."
    assert stored(product) == before


def test_an_api_owner_change_by_an_editor_is_a_400_and_changes_nothing(api_as, editor, product, other_pm):
    before = stored(product)

    response = api_as(editor).patch(f"{API}{product.pk}/", {"owner": other_pm.pk, "version": 1}, format="json")

    assert response.status_code == 400 and "owner" in response.json()["errors"]
    assert stored(product) == before


def test_a_viewer_may_not_update_through_the_api(api_as, viewer, product):
    response = api_as(viewer).patch(f"{API}{product.pk}/", {"vision": "Mine.", "version": 1}, format="json")

    assert response.status_code == 403


def test_the_api_archives_and_restores_and_the_list_follows(api_as, editor, product):
    client = api_as(editor)

    archived = client.post(f"{API}{product.pk}/archive/")
    assert archived.status_code == 200 and archived.json()["archived_at"] is not None
    assert [row["name"] for row in client.get(API).json()["results"]] == []
    assert [row["name"] for row in client.get(API, {"archived": "true"}).json()["results"]] == ["Atlas"]
    assert [row["name"] for row in client.get(API, {"archived": "only"}).json()["results"]] == ["Atlas"]
    assert client.get(f"{API}{product.pk}/").status_code == 200  # found by id while archived

    restored = client.post(f"{API}{product.pk}/restore/")
    assert restored.status_code == 200 and restored.json()["archived_at"] is None
    assert [row["name"] for row in client.get(API).json()["results"]] == ["Atlas"]


def test_a_viewer_may_not_archive_through_the_api(api_as, viewer, product):
    response = api_as(viewer).post(f"{API}{product.pk}/archive/")

    assert response.status_code == 403 and Product.objects.get(pk=product.pk).archived_at is None


def test_an_api_delete_of_a_product_with_features_is_a_409_offering_to_archive(api_as, product_manager, product):
    FeatureFactory(product=product)

    response = api_as(product_manager).delete(f"{API}{product.pk}/")

    assert response.status_code == 409
    assert "1 feature" in response.json()["detail"] and "Archive it instead" in response.json()["detail"]
    assert response.json()["current"]["id"] == product.pk
    assert Product.objects.filter(pk=product.pk).exists()


def test_the_owner_deletes_an_empty_product_through_the_api(api_as, product_manager, product):
    response = api_as(product_manager).delete(f"{API}{product.pk}/")

    assert response.status_code == 204 and not Product.objects.exists()


def test_an_editor_may_not_delete_through_the_api(api_as, editor, product):
    response = api_as(editor).delete(f"{API}{product.pk}/")

    assert response.status_code == 403 and Product.objects.exists()


@pytest.mark.parametrize("count", [5, 50])
def test_the_api_list_reads_a_fixed_number_of_queries_with_archived_products_left_out(
    api_as, member, django_assert_max_num_queries, count
):
    owner = UserFactory()
    for number in range(count):
        product = ProductFactory(owner=owner, archived_at="2026-11-01T00:00:00Z" if number % 2 else None)
        ProductMemberFactory(product=product)
        product.objectives.add(ObjectiveFactory())
    client = api_as(member)

    with django_assert_max_num_queries(5):  # count, page, objectives, memberships (+ the user's roles)
        response = client.get(API, {"page_size": 100})

    assert response.json()["count"] == (count + 1) // 2
