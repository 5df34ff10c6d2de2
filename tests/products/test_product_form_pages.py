"""The product pages that write: new product, edit, archive, restore and delete (with its confirm page).

Edit controls show only to those who may use them, and a forced request from anyone else gets 403.
"""

import pytest
from django.urls import reverse

from portfolio.core import roles
from products import services
from products.models import Product, ProductMember
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory, ProductMemberFactory

pytestmark = pytest.mark.django_db

LIST = reverse("products:product_list")
CREATE = reverse("products:product_create")


@pytest.fixture
def atlas(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager, lifecycle_stage="growth")


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor", roles=[roles.TEAM_MEMBERS])
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer", roles=[roles.TEAM_MEMBERS])
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.VIEWER)
    return user


def url(name: str, product) -> str:
    return reverse(f"products:{name}", kwargs={"slug": product.slug})


def form_data(**values) -> dict:
    return {"name": "Beacon", "slug": "", "lifecycle_stage": "ideation", "description": "", "vision": "", **values}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- New product -------------------------------------------------------------------------------------


def test_the_list_offers_new_product_to_product_managers_only(client, product_manager, member):
    client.force_login(product_manager)
    assert CREATE in client.get(LIST).content.decode()

    client.force_login(member)
    assert CREATE not in client.get(LIST).content.decode()


def test_a_product_manager_creates_a_product_from_the_page(client, product_manager):
    objective = ObjectiveFactory(title="Grow")
    client.force_login(product_manager)

    form = client.get(CREATE)
    response = client.post(CREATE, form_data(vision="Lights on.", objectives=[objective.pk]))

    assert form.status_code == 200 and 'name="owner"' not in form.content.decode()
    product = Product.objects.get(name="Beacon")
    assert response.status_code == 302 and response["Location"] == url("product_detail", product)
    assert (
        product.owner == product_manager and product.slug == "beacon" and list(product.objectives.all()) == [objective]
    )


def test_an_administrator_may_name_the_owner_of_a_new_product(client, superuser, product_manager):
    client.force_login(superuser)

    form = client.get(CREATE).content.decode()
    assert 'name="owner"' in form and f'<option value="{superuser.pk}" selected>' in form  # themselves by default
    client.post(CREATE, form_data(owner=product_manager.pk))

    assert Product.objects.get(name="Beacon").owner == product_manager


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": "Atlas"}, "name", "Product with this Name already exists."),
        ({"lifecycle_stage": "retired"}, "lifecycle_stage", "Select a valid choice."),
        ({"name": ""}, "name", "This field is required."),
        ({"slug": "atlas"}, "slug", "Product with this Slug already exists."),
        ({"slug": "no spaces"}, "slug", "Enter a valid “slug”"),
        ({"slug": "new"}, "slug", "This address is taken by a page of the application"),
    ],
)
def test_bad_input_shows_form_errors_and_creates_nothing(client, product_manager, atlas, values, field, message):
    client.force_login(product_manager)

    response = client.post(CREATE, form_data(**values))

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert Product.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "leader", "outsider"])
def test_who_may_not_add_products_gets_403_on_the_new_product_page(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert not Product.objects.exists()


# --- Edit --------------------------------------------------------------------------------------------


def test_the_detail_shows_edit_controls_to_editors_only(client, atlas, editor, viewer):
    client.force_login(editor)
    body = client.get(url("product_detail", atlas)).content.decode()
    assert url("product_update", atlas) in body and url("product_archive", atlas) in body
    assert url("product_delete", atlas) not in body  # the owner deletes

    client.force_login(viewer)
    body = client.get(url("product_detail", atlas)).content.decode()
    assert url("product_update", atlas) not in body and url("product_archive", atlas) not in body


def test_the_owner_sees_the_delete_link(client, atlas, product_manager):
    client.force_login(product_manager)

    assert url("product_delete", atlas) in client.get(url("product_detail", atlas)).content.decode()


def test_an_editor_edits_the_product_with_its_version(client, atlas, editor):
    client.force_login(editor)

    form = client.get(url("product_update", atlas))
    response = client.post(
        url("product_update", atlas), form_data(name="Atlas Pro", slug="atlas", vision="Everywhere.", version=1)
    )

    assert form.status_code == 200 and 'name="version" value="1"' in form.content.decode()
    assert 'name="owner"' not in form.content.decode()  # only the owner hands it over
    atlas.refresh_from_db()
    assert response.status_code == 302 and (atlas.name, atlas.vision, atlas.version) == ("Atlas Pro", "Everywhere.", 2)


def test_a_stale_edit_says_someone_else_changed_the_product_shows_it_and_changes_nothing(client, atlas, editor):
    services.product_update(user=editor, product=atlas, version=1, data={"vision": "Theirs."})
    client.force_login(editor)

    response = client.post(
        url("product_update", atlas), form_data(name="Atlas", slug="atlas", vision="Mine.", version=1)
    )

    assert response.status_code == 409
    assert any("Someone else changed this product" in message for message in messages_of(response))
    assert response.context["form"].initial["vision"] == "Theirs."
    assert response.context["form"].initial["version"] == 2
    assert Product.objects.get(pk=atlas.pk).vision == "Theirs."


def test_the_owner_hands_the_product_over_from_the_edit_page(client, atlas, product_manager):
    other = UserFactory(username="other_pm", roles=[roles.PRODUCT_MANAGERS])
    client.force_login(product_manager)

    assert 'name="owner"' in client.get(url("product_update", atlas)).content.decode()
    client.post(url("product_update", atlas), form_data(name="Atlas", slug="atlas", owner=other.pk, version=1))

    assert Product.objects.get(pk=atlas.pk).owner == other


def test_a_bad_edit_shows_form_errors_and_changes_nothing(client, atlas, editor):
    ProductFactory(name="Beacon")
    client.force_login(editor)

    response = client.post(url("product_update", atlas), form_data(name="Beacon", slug="atlas", version=1))

    assert response.status_code == 400 and "name" in response.context["form"].errors
    assert Product.objects.get(pk=atlas.pk).name == "Atlas"


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_who_may_not_edit_gets_403_on_the_edit_page(client, request, atlas, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("product_update", atlas)).status_code == 403
    response = client.post(url("product_update", atlas), form_data(name="Mine", slug="atlas", version=1))
    assert response.status_code == 403 and Product.objects.get(pk=atlas.pk).name == "Atlas"


# --- Archive and restore -----------------------------------------------------------------------------


def test_an_editor_archives_the_product_and_the_list_shows_it_only_when_asked(client, atlas, editor):
    ProductFactory(name="Beacon")
    client.force_login(editor)

    response = client.post(url("product_archive", atlas))

    assert response.status_code == 302
    names = [product.name for product in client.get(LIST).context["page_obj"]]
    with_archived = client.get(LIST, {"archived": "true"})
    assert names == ["Beacon"]
    assert [product.name for product in with_archived.context["page_obj"]] == ["Atlas", "Beacon"]
    assert "Show archived" in with_archived.content.decode() and "Archived</span>" in with_archived.content.decode()


def test_an_archived_product_says_so_and_offers_restore_to_its_editors(client, atlas, editor, viewer):
    services.product_archive(user=editor, product=atlas)

    client.force_login(viewer)
    body = client.get(url("product_detail", atlas)).content.decode()
    assert "This product is archived" in body and url("product_restore", atlas) not in body

    client.force_login(editor)
    body = client.get(url("product_detail", atlas)).content.decode()
    assert "This product is archived" in body and url("product_restore", atlas) in body

    client.post(url("product_restore", atlas))
    assert Product.objects.get(pk=atlas.pk).archived_at is None


@pytest.mark.parametrize("name", ["product_archive", "product_restore"])
def test_archive_and_restore_are_posts_refused_to_viewers(client, atlas, viewer, name):
    client.force_login(viewer)

    assert client.post(url(name, atlas)).status_code == 403
    assert client.get(url(name, atlas)).status_code == 405
    assert Product.objects.get(pk=atlas.pk).version == 1


# --- Delete ------------------------------------------------------------------------------------------


def test_the_owner_deletes_an_empty_product_after_confirming(client, atlas, product_manager):
    client.force_login(product_manager)

    confirm = client.get(url("product_delete", atlas))
    response = client.post(url("product_delete", atlas))

    assert confirm.status_code == 200 and "This cannot be undone" in confirm.content.decode()
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Product.objects.exists()


def test_the_confirm_page_explains_why_a_product_with_features_stays_and_offers_archiving(
    client, atlas, product_manager
):
    FeatureFactory.create_batch(3, product=atlas)
    FeedbackFactory(product=atlas)
    client.force_login(product_manager)

    confirm = client.get(url("product_delete", atlas)).content.decode()
    forced = client.post(url("product_delete", atlas))

    assert "cannot be deleted" in confirm and "Features" in confirm and url("product_archive", atlas) in confirm
    assert forced.status_code == 409 and "Archive it instead" in forced.content.decode()
    assert Product.objects.filter(pk=atlas.pk).exists()


@pytest.mark.parametrize("who", ["editor", "viewer", "member"])
def test_who_is_not_the_owner_gets_403_on_the_delete_page(client, request, atlas, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("product_delete", atlas)).status_code == 403
    assert client.post(url("product_delete", atlas)).status_code == 403
    assert Product.objects.filter(pk=atlas.pk).exists()


# --- Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("params", [{}, {"archived": "true"}], ids=["default", "show archived"])
def test_the_list_reads_a_fixed_number_of_queries_with_archived_products(
    client, product_manager, django_assert_max_num_queries, count, params
):
    owner = UserFactory()
    for number in range(count):
        product = ProductFactory(owner=owner, archived_at="2026-11-01T00:00:00Z" if number % 2 else None)
        FeatureFactory(product=product)
    client.force_login(product_manager)

    # Session, user, the count, the page, the owner choices, the user's roles; the session's save (3).
    with django_assert_max_num_queries(9):
        response = client.get(LIST, params)

    shown = count if params else (count + 1) // 2
    assert response.status_code == 200 and response.context["page_obj"].paginator.count == shown


@pytest.mark.parametrize("count", [5, 50])
def test_the_edit_page_reads_a_fixed_number_of_queries(
    client, atlas, product_manager, django_assert_max_num_queries, count
):
    ObjectiveFactory.create_batch(count)
    atlas.objectives.add(*ObjectiveFactory.create_batch(3))
    UserFactory.create_batch(count)
    client.force_login(product_manager)

    with django_assert_max_num_queries(12):
        response = client.get(url("product_update", atlas))

    assert response.status_code == 200
