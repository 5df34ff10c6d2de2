"""The pages of a product's team, themes and releases: everyone reads them, its editors change them.

Viewers and outsiders see no edit controls and a forced POST gets 403; bad input shows form errors and changes
nothing; each list takes the same number of queries for 5 or 50 rows.
"""

import datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products.models import ProductMember, Release, Theme
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
def atlas(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager)


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor", first_name="Eddie", last_name="Editor")
    ProductMemberFactory(product=atlas, user=user, role="editor", function="engineering")
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer", first_name="Vera", last_name="Viewer")
    ProductMemberFactory(product=atlas, user=user, role="viewer", function="design")
    return user


def url(name: str, product, pk=None) -> str:
    kwargs = {"slug": product.slug} | ({"pk": pk} if pk is not None else {})
    return reverse(f"products:{name}", kwargs=kwargs)


def rows(model) -> list[dict]:
    return [model_to_dict(row) for row in model.objects.order_by("pk")]


def everything() -> tuple:
    return rows(ProductMember), rows(Theme), rows(Release)


# --- Reading, and the controls --------------------------------------------------------------------


def test_the_product_tabs_reach_members_themes_and_releases(client, outsider, atlas):
    client.force_login(outsider)

    page = client.get(reverse("products:product_detail", kwargs={"slug": "atlas"})).content.decode()

    for name in ("productmember_list", "theme_list", "release_list"):
        assert f'href="{url(name, atlas)}"' in page


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_viewers_outsiders_and_leadership_read_the_lists_without_edit_controls(client, request, atlas, editor, who):
    user = request.getfixturevalue(who)
    if who == "leader":
        ProductMemberFactory(product=atlas, user=user, role="editor")
    theme = ThemeFactory(product=atlas, name="Speed", colour="#ff0000")
    release = ReleaseFactory(product=atlas, name="1.0")
    client.force_login(user)

    team = client.get(url("productmember_list", atlas)).content.decode()
    themes = client.get(url("theme_list", atlas)).content.decode()
    releases = client.get(url("release_list", atlas)).content.decode()

    assert "Eddie Editor" in team and "Speed" in themes and "#ff0000" in themes and "1.0" in releases
    for page in (team, themes, releases):
        assert "<form" not in page.split('id="content"')[1]
    assert url("theme_update", atlas, theme.pk) not in themes
    assert url("release_delete", atlas, release.pk) not in releases


def test_an_editor_sees_the_controls(client, atlas, editor, viewer):
    theme = ThemeFactory(product=atlas)
    release = ReleaseFactory(product=atlas)
    client.force_login(editor)

    team = client.get(url("productmember_list", atlas)).content.decode()
    themes = client.get(url("theme_list", atlas)).content.decode()
    releases = client.get(url("release_list", atlas)).content.decode()

    membership = atlas.memberships.get(user=viewer)
    assert url("productmember_update", atlas, membership.pk) in team and "Add a member" in team
    assert url("theme_move", atlas, theme.pk) in themes and "Add a theme" in themes
    assert url("release_status", atlas, release.pk) in releases and "Add a release" in releases


def test_the_owner_is_shown_as_owner_and_cannot_be_removed(client, atlas, product_manager, editor):
    owner_row = ProductMemberFactory(product=atlas, user=product_manager, role="editor", function="product")
    client.force_login(editor)

    page = client.get(url("productmember_list", atlas)).content.decode()

    assert "Owner" in page
    assert url("productmember_delete", atlas, owner_row.pk) not in page
    response = client.post(url("productmember_delete", atlas, owner_row.pk))
    assert response.status_code == 200 and "cannot leave its team" in response.content.decode()
    assert ProductMember.objects.filter(pk=owner_row.pk).exists()


# --- Forced POSTs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_a_forced_post_from_a_viewer_or_outsider_is_403_and_changes_nothing(client, request, atlas, editor, who):
    client.force_login(request.getfixturevalue(who))
    membership = atlas.memberships.get(user=editor)
    theme = ThemeFactory(product=atlas, name="Speed")
    release = ReleaseFactory(product=atlas, name="1.0")
    before = everything()
    posts = [
        (url("productmember_list", atlas), {"user": UserFactory().pk, "role": "editor"}),
        (url("productmember_update", atlas, membership.pk), {"role": "viewer"}),
        (url("productmember_delete", atlas, membership.pk), {}),
        (url("theme_list", atlas), {"name": "New", "colour": "#000000"}),
        (url("theme_update", atlas, theme.pk), {"name": "Renamed", "colour": "#000000"}),
        (url("theme_move", atlas, theme.pk), {"direction": "down"}),
        (url("theme_delete", atlas, theme.pk), {}),
        (url("release_list", atlas), {"name": "2.0", "target_date": "2027-01-01", "status": "planned"}),
        (
            url("release_update", atlas, release.pk),
            {"name": "X", "target_date": "2027-01-01", "status": "planned", "version": 1},
        ),
        (url("release_status", atlas, release.pk), {"status": "cancelled", "version": 1}),
        (url("release_delete", atlas, release.pk), {}),
    ]

    for target, data in posts:
        assert client.post(target, data).status_code == 403, target

    assert everything() == before


def test_a_theme_of_another_product_is_not_found_under_this_one(client, atlas, editor):
    foreign = ThemeFactory(product=ProductFactory(), name="Elsewhere")
    client.force_login(editor)

    assert client.get(url("theme_update", atlas, foreign.pk)).status_code == 404
    assert client.post(url("theme_delete", atlas, foreign.pk)).status_code == 404
    assert Theme.objects.filter(pk=foreign.pk).exists()


# --- Members --------------------------------------------------------------------------------------


def test_an_editor_adds_a_member_from_the_picker(client, atlas, editor):
    person = UserFactory(first_name="Ada", last_name="Lovelace", function="marketing")
    client.force_login(editor)

    response = client.post(url("productmember_list", atlas), {"user": person.pk, "role": "viewer", "function": ""})

    assert response.status_code == 302
    membership = atlas.memberships.get(user=person)
    assert (membership.role, membership.function) == ("viewer", "marketing")
    assert "Ada Lovelace" in client.get(url("productmember_list", atlas)).content.decode()


def test_a_person_already_on_the_team_is_not_offered_and_not_added_twice(client, atlas, editor, viewer):
    client.force_login(editor)
    before = everything()

    page = client.get(url("productmember_list", atlas))
    response = client.post(url("productmember_list", atlas), {"user": viewer.pk, "role": "editor"})

    assert viewer not in page.context["form"].fields["user"].queryset
    assert response.status_code == 200 and response.context["form"].errors["user"]
    assert everything() == before


def test_an_htmx_change_of_role_and_function_answers_with_the_team(client, atlas, editor, viewer):
    membership = atlas.memberships.get(user=viewer)
    client.force_login(editor)

    response = client.post(
        url("productmember_update", atlas, membership.pk),
        {"role": "editor", "function": "sales"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "products/partials/_team.html"
    assert "Sales" in response.content.decode() and "saved" in response.content.decode()
    membership.refresh_from_db()
    assert (membership.role, membership.function) == ("editor", "sales")


def test_demoting_the_owner_inline_shows_the_error_and_changes_nothing(client, atlas, product_manager, editor):
    owner_row = ProductMemberFactory(product=atlas, user=product_manager, role="editor")
    client.force_login(editor)

    response = client.post(url("productmember_update", atlas, owner_row.pk), {"role": "viewer"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200 and "always edits it" in response.content.decode()
    owner_row.refresh_from_db()
    assert owner_row.role == "editor"


def test_an_editor_removes_a_member_after_confirming(client, atlas, editor, viewer):
    membership = atlas.memberships.get(user=viewer)
    client.force_login(editor)

    confirm = client.get(url("productmember_delete", atlas, membership.pk))
    response = client.post(url("productmember_delete", atlas, membership.pk))

    assert confirm.status_code == 200 and "Remove" in confirm.content.decode()
    assert response.status_code == 302
    assert not atlas.memberships.filter(user=viewer).exists()


# --- Themes ---------------------------------------------------------------------------------------


def test_an_editor_adds_a_theme_shown_with_its_colour_and_name(client, atlas, editor):
    client.force_login(editor)

    response = client.post(url("theme_list", atlas), {"name": "Trust", "colour": "#12ab34"}, follow=True)

    page = response.content.decode()
    assert 'fill="#12ab34"' in page and "Trust" in page and "<code>#12ab34</code>" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": "Speed", "colour": "#000000"}, "name"), ({"name": "New", "colour": "red"}, "colour")],
)
def test_a_duplicate_name_or_a_bad_colour_shows_a_form_error_and_changes_nothing(client, atlas, editor, data, field):
    ThemeFactory(product=atlas, name="Speed")
    client.force_login(editor)
    before = everything()

    response = client.post(url("theme_list", atlas), data)

    assert response.status_code == 200 and response.context["form"].errors[field]
    assert everything() == before


def test_an_editor_renames_a_theme(client, atlas, editor):
    theme = ThemeFactory(product=atlas, name="Speed")
    client.force_login(editor)

    assert client.get(url("theme_update", atlas, theme.pk)).status_code == 200
    response = client.post(url("theme_update", atlas, theme.pk), {"name": "Faster", "colour": "#010203"})

    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.colour) == ("Faster", "#010203")


def test_the_move_buttons_reorder_the_themes(client, atlas, editor):
    ThemeFactory(product=atlas, name="A", position=0)
    second = ThemeFactory(product=atlas, name="B", position=1)
    client.force_login(editor)

    response = client.post(url("theme_move", atlas, second.pk), {"direction": "up"})

    assert response.status_code == 302
    names = [theme.name for theme in client.get(url("theme_list", atlas)).context["themes"]]
    assert names == ["B", "A"]


def test_deleting_a_theme_says_its_features_go_to_no_theme(client, atlas, editor):
    theme = ThemeFactory(product=atlas, name="Speed")
    feature = FeatureFactory(product=atlas, theme=theme)
    FeatureFactory(product=atlas, theme=theme)
    client.force_login(editor)

    confirm = client.get(url("theme_delete", atlas, theme.pk)).content.decode()
    client.post(url("theme_delete", atlas, theme.pk))

    assert "2 features of this theme will stay on the roadmap, in no theme" in confirm
    feature.refresh_from_db()
    assert feature.theme is None and not Theme.objects.filter(pk=theme.pk).exists()


# --- Releases -------------------------------------------------------------------------------------


def test_an_editor_adds_a_release(client, atlas, editor):
    client.force_login(editor)

    data = {"name": "2.0", "target_date": "2027-03-01", "status": "planned"}
    response = client.post(url("release_list", atlas), data, follow=True)

    assert "2.0" in response.content.decode()
    assert Release.objects.get(product=atlas, name="2.0").target_date == datetime.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "1.0"}, "name"),
        ({"status": "planned", "released_on": "2026-01-01"}, "released_on"),  # dated but not released
        ({"target_date": ""}, "target_date"),
    ],
)
def test_a_bad_release_shows_a_form_error_and_changes_nothing(client, atlas, editor, data, field):
    ReleaseFactory(product=atlas, name="1.0")
    client.force_login(editor)
    before = everything()

    response = client.post(
        url("release_list", atlas), {"name": "2.0", "target_date": "2027-03-01", "status": "planned", **data}
    )

    assert response.status_code == 200 and response.context["form"].errors[field]
    assert everything() == before


def test_the_status_buttons_move_a_release_along_its_flow(client, atlas, editor):
    release = ReleaseFactory(product=atlas, status="in-progress")
    client.force_login(editor)

    client.post(url("release_status", atlas, release.pk), {"status": "released", "version": 1})

    release.refresh_from_db()
    assert release.status == "released" and release.released_on is not None and release.version == 2
    page = client.get(url("release_list", atlas)).content.decode()
    assert "Reopen" in page and "Released" in page


def test_a_stale_status_change_says_someone_else_changed_the_release(client, atlas, editor):
    release = ReleaseFactory(product=atlas, status="planned", version=3)
    client.force_login(editor)

    response = client.post(url("release_status", atlas, release.pk), {"status": "cancelled", "version": 2}, follow=True)

    assert "changed by someone else" in response.content.decode()
    release.refresh_from_db()
    assert (release.status, release.version) == ("planned", 3)


def test_a_stale_edit_shows_a_form_error_and_changes_nothing(client, atlas, editor):
    release = ReleaseFactory(product=atlas, name="1.0", version=2)
    client.force_login(editor)
    data = {"name": "Mine", "target_date": "2027-01-01", "status": "planned", "version": 1}

    response = client.post(url("release_update", atlas, release.pk), data)

    assert response.status_code == 200 and "changed by someone else" in response.content.decode()
    release.refresh_from_db()
    assert (release.name, release.version) == ("1.0", 2)


def test_deleting_a_release_says_its_features_become_unscheduled(client, atlas, editor):
    release = ReleaseFactory(product=atlas, name="1.0")
    feature = FeatureFactory(product=atlas, release=release)
    client.force_login(editor)

    confirm = client.get(url("release_delete", atlas, release.pk)).content.decode()
    client.post(url("release_delete", atlas, release.pk))

    assert "1 feature of this release will stay on the roadmap, unscheduled" in confirm
    feature.refresh_from_db()
    assert feature.release is None


# --- Query counts ---------------------------------------------------------------------------------


def _member_rows(product, n):
    for _ in range(n):
        ProductMemberFactory(product=product, role="viewer", user=UserFactory(function="sales"))


def _theme_rows(product, n):
    for _ in range(n):
        FeatureFactory(product=product, theme=ThemeFactory(product=product))


def _release_rows(product, n):
    for _ in range(n):
        FeatureFactory(product=product, release=ReleaseFactory(product=product, status="in-progress"))


@pytest.mark.parametrize(
    ("page", "make"),
    [("productmember_list", _member_rows), ("theme_list", _theme_rows), ("release_list", _release_rows)],
)
def test_each_list_page_takes_the_same_queries_for_5_or_50_rows(client, atlas, editor, page, make):
    client.force_login(editor)
    make(atlas, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url(page, atlas)).status_code == 200
    make(atlas, 45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url(page, atlas)).status_code == 200

    assert len(fifty) == len(five), [query["sql"] for query in fifty.captured_queries]
