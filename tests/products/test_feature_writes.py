"""Writing features: create, edit, move and delete, through the API and the services alike.

Every refused write (bad input, no permission, a stale version) changes nothing; a move writes the moved
feature only.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.forms.models import model_to_dict
from rest_framework.test import APIClient

from portfolio.core.exceptions import Conflict
from products import services
from products.models import Feature, ProductMember
from tests.api import queries_for
from tests.core.factories import ObjectiveFactory
from tests.products.factories import (
    FeatureFactory,
    ProductFactory,
    ProductMemberFactory,
    ReleaseFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/features/"


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager)


@pytest.fixture
def editor(product, django_user_model):
    user = django_user_model.objects.create_user(username="editor", email="editor@example.com")
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def viewer(product, django_user_model):
    user = django_user_model.objects.create_user(username="viewer", email="viewer@example.com")
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.VIEWER)
    return user


@pytest.fixture
def feature(product):
    return FeatureFactory(
        product=product,
        release=ReleaseFactory(product=product),
        theme=ThemeFactory(product=product),
        horizon="now",
        position=1000,
    )


@pytest.fixture
def other_product():
    return ProductFactory()


def stored(feature) -> dict:
    """The feature's row as stored, to compare before and after a refused write."""
    row = Feature.objects.get(pk=feature.pk)
    return {**model_to_dict(row), "version": row.version, "updated_at": row.updated_at}


def detail(feature) -> str:
    return f"{API}{feature.pk}/"


def move_url(feature) -> str:
    return f"{API}{feature.pk}/move/"


# --- creating ----------------------------------------------------------------------------------------


def test_an_editor_creates_a_feature_with_its_objectives(api_as, editor, product):
    objectives = ObjectiveFactory.create_batch(2)
    body = {
        "product": product.pk,
        "title": "Offline mode",
        "reach": 500,
        "impact": "2.00",
        "confidence": "0.80",
        "effort": "4",
        "objectives": [objective.pk for objective in objectives],
    }

    response = api_as(editor).post(API, body, format="json")

    assert response.status_code == 201, response.json()
    created = Feature.objects.get(pk=response.json()["id"])
    assert created.product == product and created.title == "Offline mode" and created.version == 1
    assert set(created.objectives.all()) == set(objectives)
    assert response.json()["rice_score"] == "200.00"


def test_a_viewer_cannot_create_a_feature(api_as, viewer, product):
    response = api_as(viewer).post(API, {"product": product.pk, "title": "Nope"}, format="json")

    assert response.status_code == 403
    assert not Feature.objects.exists()


def test_an_outsider_cannot_create_a_feature(api_as, outsider, product):
    response = api_as(outsider).post(API, {"product": product.pk, "title": "Nope"}, format="json")

    assert response.status_code == 403
    assert not Feature.objects.exists()


def test_anonymous_cannot_create_a_feature(api_client, product):
    response = api_client.post(API, {"product": product.pk, "title": "Nope"}, format="json")

    assert response.status_code == 401


def test_the_service_refuses_a_viewer_the_creation(viewer, product):
    with pytest.raises(PermissionDenied):
        services.feature_create(user=viewer, product=product, data={"title": "Nope"})
    assert not Feature.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"effort": "0"}, "effort"),
        ({"confidence": "0.30"}, "confidence"),
        ({"start_date": "2026-03-01", "end_date": "2026-02-01"}, "end_date"),
        ({"horizon": "someday"}, "horizon"),
        ({"title": "   "}, "title"),
    ],
)
def test_a_bad_new_feature_is_a_400_naming_the_field_and_creates_nothing(api_as, editor, product, change, field):
    body = {"product": product.pk, "title": "Offline mode", **change}

    response = api_as(editor).post(API, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Feature.objects.exists()


@pytest.mark.parametrize("parent", ["release", "theme"])
def test_a_new_feature_in_another_products_release_or_theme_is_a_400(api_as, editor, product, other_product, parent):
    other = (ReleaseFactory if parent == "release" else ThemeFactory)(product=other_product)

    response = api_as(editor).post(API, {"product": product.pk, "title": "X", parent: other.pk}, format="json")

    assert response.status_code == 400
    assert parent in response.json()["errors"]
    assert not Feature.objects.exists()


# --- editing -----------------------------------------------------------------------------------------


def test_an_editor_updates_a_feature_and_its_version_goes_up(api_as, editor, feature):
    objective = ObjectiveFactory()

    response = api_as(editor).patch(
        detail(feature), {"title": "Renamed", "objectives": [objective.pk], "version": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    feature.refresh_from_db()
    assert feature.title == "Renamed" and feature.version == 2
    assert list(feature.objectives.all()) == [objective]
    assert response.json()["version"] == 2


def test_a_put_replaces_the_editable_fields(api_as, editor, feature):
    body = {"title": "Whole", "reach": 10, "impact": "3.00", "confidence": "1.00", "effort": "0.5", "version": 1}

    response = api_as(editor).put(detail(feature), body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["rice_score"] == "60.00"


def test_an_update_without_a_version_is_a_400(api_as, editor, feature):
    before = stored(feature)

    response = api_as(editor).patch(detail(feature), {"title": "Renamed"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()["errors"]
    assert stored(feature) == before


def test_a_stale_update_is_a_409_with_the_current_feature_and_changes_nothing(api_as, editor, feature):
    services.feature_update(user=editor, feature=feature, version=1, data={"title": "Someone else's"})
    before = stored(feature)

    response = api_as(editor).patch(detail(feature), {"title": "Mine", "version": 1}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["current"]["title"] == "Someone else's" and body["current"]["version"] == 2
    assert stored(feature) == before


def test_effort_zero_and_confidence_off_the_scale_say_what_they_take(api_as, editor, feature):
    body = {"effort": "0", "confidence": "0.3", "version": 1}

    errors = api_as(editor).patch(detail(feature), body, format="json").json()["errors"]

    assert "above zero" in errors["effort"][0]
    assert errors["confidence"] == ["Confidence must be one of 0.5, 0.8 or 1.0."]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"effort": "0"}, "effort"),
        ({"confidence": "0.3"}, "confidence"),
        ({"start_date": "2026-03-01", "end_date": "2026-02-01"}, "end_date"),
        ({"horizon": "someday"}, "horizon"),
    ],
)
def test_a_bad_update_is_a_400_naming_the_field_and_changes_nothing(api_as, editor, feature, change, field):
    before = stored(feature)

    response = api_as(editor).patch(detail(feature), {**change, "version": 1}, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert stored(feature) == before


@pytest.mark.parametrize("user", ["viewer", "outsider", "leader", "member"])
def test_who_does_not_edit_the_product_cannot_update_its_feature(api_as, request, feature, user):
    before = stored(feature)

    response = api_as(request.getfixturevalue(user)).patch(detail(feature), {"title": "X", "version": 1}, format="json")

    assert response.status_code == 403
    assert stored(feature) == before


def test_the_service_checks_the_version_of_an_update(editor, feature):
    with pytest.raises(Conflict) as conflict:
        services.feature_update(user=editor, feature=feature, version=7, data={"title": "X"})
    assert conflict.value.extra["current_version"] == 1


# --- moving ------------------------------------------------------------------------------------------


def test_an_editor_moves_a_feature_to_another_lane_release_and_quarter(api_as, editor, feature, product):
    release, theme = ReleaseFactory(product=product), ThemeFactory(product=product)
    body = {
        "horizon": "next",
        "release": release.pk,
        "theme": theme.pk,
        "start_date": "2027-01-01",
        "end_date": "2027-03-31",
        "position": 1500,
        "version": 1,
    }

    response = api_as(editor).post(move_url(feature), body, format="json")

    assert response.status_code == 200, response.json()
    feature.refresh_from_db()
    assert (feature.horizon, feature.release, feature.theme, feature.position) == ("next", release, theme, 1500)
    assert (feature.start_date, feature.end_date) == (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
    assert feature.version == 2 and response.json()["version"] == 2


def test_a_move_leaves_what_it_does_not_name_as_it_was(api_as, editor, feature):
    release, theme = feature.release, feature.theme

    response = api_as(editor).post(move_url(feature), {"position": 10, "version": 1}, format="json")

    assert response.status_code == 200
    feature.refresh_from_db()
    assert (feature.position, feature.release, feature.theme, feature.horizon) == (10, release, theme, "now")


def test_a_move_writes_the_moved_feature_only(api_as, editor, feature, product):
    lane = [FeatureFactory(product=product, theme=feature.theme, horizon="now", position=p) for p in (0, 2000, 3000)]
    before = {neighbour.pk: stored(neighbour) for neighbour in lane}

    response = api_as(editor).post(move_url(feature), {"position": 2500, "version": 1}, format="json")

    assert response.status_code == 200
    assert {neighbour.pk: stored(neighbour) for neighbour in lane} == before
    assert stored(feature)["version"] == 2


@pytest.mark.parametrize("parent", ["release", "theme"])
def test_a_move_to_another_products_release_or_theme_is_a_400_and_changes_nothing(
    api_as, editor, feature, other_product, parent
):
    other = (ReleaseFactory if parent == "release" else ThemeFactory)(product=other_product)
    before = stored(feature)

    response = api_as(editor).post(move_url(feature), {parent: other.pk, "version": 1}, format="json")

    assert response.status_code == 400
    assert parent in response.json()["errors"]
    assert stored(feature) == before


def test_a_move_ending_before_it_starts_is_a_400(api_as, editor, feature):
    before = stored(feature)
    body = {"start_date": "2027-03-01", "end_date": "2027-01-01", "version": 1}

    response = api_as(editor).post(move_url(feature), body, format="json")

    assert response.status_code == 400
    assert "end_date" in response.json()["errors"]
    assert stored(feature) == before


def test_a_move_to_an_unknown_horizon_is_a_400(api_as, editor, feature):
    before = stored(feature)

    response = api_as(editor).post(move_url(feature), {"horizon": "someday", "version": 1}, format="json")

    assert response.status_code == 400
    assert "horizon" in response.json()["errors"]
    assert stored(feature) == before


@pytest.mark.parametrize("user", ["viewer", "outsider"])
def test_a_viewer_or_outsider_cannot_move_a_feature(api_as, request, feature, user):
    before = stored(feature)

    response = api_as(request.getfixturevalue(user)).post(
        move_url(feature), {"horizon": "later", "version": 1}, format="json"
    )

    assert response.status_code == 403
    assert stored(feature) == before


def test_a_stale_move_is_a_409_with_where_the_feature_is_now(api_as, editor, feature):
    services.feature_move(user=editor, feature=feature, version=1, horizon="later", position=5)
    before = stored(feature)

    response = api_as(editor).post(move_url(feature), {"horizon": "next", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["current"]["horizon"] == "later"
    assert response.json()["current"]["position"] == 5
    assert stored(feature) == before


def test_the_service_refuses_a_move_into_a_release_the_user_may_not_add_to(editor, feature, other_product):
    with pytest.raises(ValidationError) as error:
        services.feature_move(user=editor, feature=feature, version=1, release=ReleaseFactory(product=other_product))
    assert "release" in error.value.message_dict


def test_the_service_refuses_a_viewer_the_move(viewer, feature):
    with pytest.raises(PermissionDenied):
        services.feature_move(user=viewer, feature=feature, version=1, horizon="later")


# --- deleting ----------------------------------------------------------------------------------------


def test_an_editor_deletes_a_feature(api_as, editor, feature):
    response = api_as(editor).delete(detail(feature))

    assert response.status_code == 204
    assert not Feature.objects.filter(pk=feature.pk).exists()


@pytest.mark.parametrize("user", ["viewer", "outsider", "leader"])
def test_who_does_not_edit_the_product_cannot_delete_its_feature(api_as, request, feature, user):
    response = api_as(request.getfixturevalue(user)).delete(detail(feature))

    assert response.status_code == 403
    assert Feature.objects.filter(pk=feature.pk).exists()


# --- reads stay as they were -------------------------------------------------------------------------


def test_the_feature_list_takes_the_same_queries_after_writes(api_as, editor, product):
    def write_some(count):
        for number in range(count):
            services.feature_create(user=editor, product=product, data={"title": f"F{number}", "effort": Decimal("1")})

    write_some(5)
    few, _ = queries_for(api_as(editor), f"{API}?page_size=200")
    write_some(45)
    many, body = queries_for(api_as(editor), f"{API}?page_size=200")

    assert body["count"] == 50
    assert many == few


# --- two clients at once (PostgreSQL: rows are locked while they are compared) ----------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clients_moving_the_same_feature_with_the_same_version_one_wins_one_gets_409(product_manager):
    product = ProductFactory(owner=product_manager)
    feature = FeatureFactory(product=product, horizon="now", position=1000)
    barrier = threading.Barrier(2)
    answers = {}

    def move(horizon: str) -> None:
        client = APIClient()
        client.force_authenticate(product_manager)
        try:
            barrier.wait(timeout=10)
            response = client.post(move_url(feature), {"horizon": horizon, "version": 1}, format="json")
            answers[horizon] = (response.status_code, response.json())
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=move, args=(horizon,)) for horizon in ("next", "later")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(status for status, _ in answers.values()) == [200, 409], answers
    winner = next(horizon for horizon, (status, _) in answers.items() if status == 200)
    loser = next(body for status, body in answers.values() if status == 409)
    feature.refresh_from_db()
    assert feature.horizon == winner and feature.version == 2
    assert loser["current"]["horizon"] == winner and loser["current_version"] == 2
    assert feature.history.count() == 2  # created, and the one move: nothing written twice, nothing lost


def test_a_new_feature_without_a_position_goes_a_step_after_the_last_of_its_horizon(product, editor, feature):
    later = FeatureFactory(product=product, horizon="now", position=3000)
    FeatureFactory(product=product, horizon="later", position=9000)  # another lane: not counted

    created = services.feature_create(user=editor, product=product, data={"title": "Dark mode", "horizon": "now"})

    assert created.position == later.position + 1024
    first = services.feature_create(user=editor, product=ProductFactory(owner=editor), data={"title": "First"})
    assert first.position == 1024  # the first of an empty lane: a step from zero, room before it
