"""Writing a product's members, themes and releases through the services: who may, and what a refusal leaves."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from portfolio.core.exceptions import Conflict
from products import services
from products.models import DATE_NEEDS_RELEASED, Feature, ProductMember, Release, Theme
from tests.core.factories import UserFactory
from tests.products.factories import (
    FeatureFactory,
    ProductFactory,
    ProductMemberFactory,
    ReleaseFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


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
def newcomer():
    return UserFactory(username="newcomer", function="design")


def rows(model) -> list[dict]:
    return [model_to_dict(row) for row in model.objects.order_by("pk")]


# --- Members ----------------------------------------------------------------------------------------


def test_an_editor_adds_a_member_in_their_own_function_as_a_viewer(product, editor, newcomer):
    membership = services.product_member_add(user=editor, product=product, member=newcomer)

    assert (membership.role, membership.function) == ("viewer", "design")
    assert product.memberships.filter(user=newcomer).exists()


def test_a_member_is_added_with_the_role_and_function_given(product, product_manager, newcomer):
    membership = services.product_member_add(
        user=product_manager, product=product, member=newcomer, role="editor", function="support"
    )

    assert (membership.role, membership.function) == ("editor", "support")


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_viewers_outsiders_and_leadership_may_not_add_members(request, product, newcomer, who):
    user = request.getfixturevalue(who)
    if who == "leader":  # leadership only reads, even as an editor member
        ProductMemberFactory(product=product, user=user, role="editor")
    before = rows(ProductMember)

    with pytest.raises(PermissionDenied):
        services.product_member_add(user=user, product=product, member=newcomer)

    assert rows(ProductMember) == before


def test_a_person_already_on_the_team_is_not_added_twice(product, editor, viewer):
    before = rows(ProductMember)

    with pytest.raises(ValidationError) as refused:
        services.product_member_add(user=editor, product=product, member=viewer)

    assert refused.value.message_dict == {"user": ["This person is already a member of the product."]}
    assert rows(ProductMember) == before


def test_an_editor_of_one_product_may_not_add_members_to_another(editor, newcomer):
    other = ProductFactory()

    with pytest.raises(PermissionDenied):
        services.product_member_add(user=editor, product=other, member=newcomer)

    assert not other.memberships.exists()


def test_an_editor_of_one_product_may_not_change_a_member_of_another(editor):
    foreign = ProductMemberFactory(role="viewer")

    with pytest.raises(PermissionDenied):
        services.product_member_update(user=editor, membership=foreign, data={"role": "editor"})

    foreign.refresh_from_db()
    assert foreign.role == "viewer"


def test_an_editor_changes_a_members_role_and_function(product, editor, viewer):
    membership = product.memberships.get(user=viewer)

    services.product_member_update(user=editor, membership=membership, data={"role": "editor", "function": "sales"})

    membership.refresh_from_db()
    assert (membership.role, membership.function) == ("editor", "sales")


def test_the_owner_joins_the_team_as_an_editor_and_is_never_demoted(product, product_manager):
    membership = services.product_member_add(user=product_manager, product=product, member=product_manager)
    assert membership.role == "editor"

    with pytest.raises(ValidationError) as refused:
        services.product_member_update(user=product_manager, membership=membership, data={"role": "viewer"})

    assert refused.value.message_dict == {"role": [services.OWNER_STAYS_EDITOR]}
    membership.refresh_from_db()
    assert membership.role == "editor"


def test_the_owner_cannot_be_added_as_a_viewer(product, editor, product_manager):
    with pytest.raises(ValidationError):
        services.product_member_add(user=editor, product=product, member=product_manager, role="viewer")

    assert not product.memberships.filter(user=product_manager).exists()


def test_the_owner_cannot_be_removed_from_the_team(product, product_manager, editor):
    membership = ProductMemberFactory(product=product, user=product_manager, role="editor")

    with pytest.raises(ValidationError) as refused:
        services.product_member_remove(user=editor, membership=membership)

    assert refused.value.message_dict == {"user": [services.OWNER_STAYS_MEMBER]}
    assert ProductMember.objects.filter(pk=membership.pk).exists()


def test_an_editor_removes_a_member_and_a_viewer_may_not(product, editor, viewer):
    membership = product.memberships.get(user=editor)
    with pytest.raises(PermissionDenied):
        services.product_member_remove(user=viewer, membership=membership)

    services.product_member_remove(user=editor, membership=product.memberships.get(user=viewer))

    assert list(product.memberships.values_list("user__username", flat=True)) == ["editor"]


def test_a_bad_function_changes_nothing(product, editor, viewer):
    membership = product.memberships.get(user=viewer)
    before = rows(ProductMember)

    with pytest.raises(ValidationError) as refused:
        services.product_member_update(user=editor, membership=membership, data={"function": "juggling"})

    assert "function" in refused.value.message_dict
    assert rows(ProductMember) == before


# --- Themes -----------------------------------------------------------------------------------------


def test_a_new_theme_goes_after_the_last_one(product, editor):
    ThemeFactory(product=product, name="Speed", position=4)

    theme = services.theme_create(user=editor, product=product, data={"name": "Trust", "colour": "#112233"})

    assert (theme.position, theme.colour) == (5, "#112233")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "Speed"}, "name"),  # a duplicate name
        ({"name": "Trust", "colour": "red"}, "colour"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_theme_is_refused_and_changes_nothing(product, editor, data, field):
    ThemeFactory(product=product, name="Speed")
    before = rows(Theme)

    with pytest.raises(ValidationError) as refused:
        services.theme_create(user=editor, product=product, data=data)

    assert field in refused.value.message_dict
    assert rows(Theme) == before


def test_the_same_theme_name_is_fine_in_another_product(product, editor):
    ThemeFactory(name="Speed")

    assert services.theme_create(user=editor, product=product, data={"name": "Speed"}).name == "Speed"


def test_an_editor_renames_and_recolours_a_theme(product, editor):
    theme = ThemeFactory(product=product, name="Speed")

    services.theme_update(user=editor, theme=theme, data={"name": "Faster", "colour": "#abcdef"})

    theme.refresh_from_db()
    assert (theme.name, theme.colour) == ("Faster", "#abcdef")


def test_a_viewer_may_not_rename_a_theme(product, viewer):
    theme = ThemeFactory(product=product, name="Speed")

    with pytest.raises(PermissionDenied):
        services.theme_update(user=viewer, theme=theme, data={"name": "Faster"})

    theme.refresh_from_db()
    assert theme.name == "Speed"


def test_moving_a_theme_swaps_it_with_its_neighbour(product, editor):
    first, second, third = (ThemeFactory(product=product, name=name, position=0) for name in "ABC")

    services.theme_move(user=editor, theme=third, direction="up")
    services.theme_move(user=editor, theme=first, direction="up")  # already first: stays

    order = list(Theme.objects.filter(product=product).order_by("position").values_list("name", flat=True))
    assert order == ["A", "C", "B"]


def test_a_viewer_may_not_reorder_themes(product, viewer):
    ThemeFactory(product=product, name="A", position=0)
    theme = ThemeFactory(product=product, name="B", position=1)

    with pytest.raises(PermissionDenied):
        services.theme_move(user=viewer, theme=theme, direction="up")

    theme.refresh_from_db()
    assert theme.position == 1


def test_deleting_a_theme_leaves_its_features_in_no_theme(product, editor):
    theme = ThemeFactory(product=product)
    feature = FeatureFactory(product=product, theme=theme)

    assert services.theme_delete(user=editor, theme=theme) == 1

    feature.refresh_from_db()
    assert feature.theme is None and Feature.objects.filter(pk=feature.pk).exists()


# --- Releases ---------------------------------------------------------------------------------------


def release_data(**extra) -> dict:
    return {"name": "2.0", "target_date": datetime.date(2027, 3, 1), **extra}


def test_an_editor_plans_a_release(product, editor):
    release = services.release_create(user=editor, product=product, data=release_data())

    assert (release.status, release.released_on, release.version) == ("planned", None, 1)


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC))
def test_a_release_marked_released_without_a_date_is_dated_today(product, editor):
    release = ReleaseFactory(product=product, status="in-progress")

    services.release_update(user=editor, release=release, version=1, data={"status": "released"})

    release.refresh_from_db()
    assert (release.status, release.released_on, release.version) == ("released", datetime.date(2026, 12, 1), 2)


def test_a_reopened_release_loses_its_release_date(product, editor):
    release = ReleaseFactory(product=product, status="released", released_on=datetime.date(2026, 11, 2))

    services.release_update(user=editor, release=release, version=1, data={"status": "in-progress"})

    release.refresh_from_db()
    assert (release.status, release.released_on) == ("in-progress", None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (release_data(status="planned", released_on=datetime.date(2026, 1, 1)), "released_on"),
        (release_data(name="1.0"), "name"),  # a duplicate name
        (release_data(status="shipped"), "status"),
    ],
)
def test_a_bad_release_is_refused_and_changes_nothing(product, editor, data, field):
    ReleaseFactory(product=product, name="1.0")
    before = rows(Release)

    with pytest.raises(ValidationError) as refused:
        services.release_create(user=editor, product=product, data=data)

    assert field in refused.value.message_dict
    assert rows(Release) == before


def test_a_release_dated_while_not_released_is_refused_and_changes_nothing(product, editor):
    release = ReleaseFactory(product=product, status="planned")

    with pytest.raises(ValidationError) as refused:
        services.release_update(
            user=editor, release=release, version=1, data={"released_on": datetime.date(2026, 1, 1)}
        )

    assert refused.value.message_dict == {"released_on": [DATE_NEEDS_RELEASED]}
    release.refresh_from_db()
    assert (release.released_on, release.version) == (None, 1)


def test_a_stale_release_version_is_a_conflict_and_changes_nothing(product, editor):
    release = ReleaseFactory(product=product, name="1.0")
    services.release_update(user=editor, release=release, version=1, data={"name": "1.1"})

    with pytest.raises(Conflict):
        services.release_update(user=editor, release=Release.objects.get(pk=release.pk), version=1, data={"name": "X"})

    release.refresh_from_db()
    assert (release.name, release.version) == ("1.1", 2)


@pytest.mark.parametrize("who", ["viewer", "outsider", "member"])
def test_only_editors_plan_change_and_delete_releases(request, product, who):
    user = request.getfixturevalue(who)
    release = ReleaseFactory(product=product)
    before = rows(Release)

    with pytest.raises(PermissionDenied):
        services.release_create(user=user, product=product, data=release_data())
    with pytest.raises(PermissionDenied):
        services.release_update(user=user, release=release, version=1, data={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.release_delete(user=user, release=release)

    assert rows(Release) == before


def test_deleting_a_release_leaves_its_features_unscheduled(product, editor):
    release = ReleaseFactory(product=product)
    features = FeatureFactory.create_batch(2, product=product, release=release)

    assert services.release_delete(user=editor, release=release) == 2

    assert all(Feature.objects.get(pk=feature.pk).release_id is None for feature in features)
