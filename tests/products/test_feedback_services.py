"""Writing feedback through the services: links stay inside one product, and each feature's stored demand follows.

Demand (DESIGN §3) is the number of linked feedback items that are not archived (``demand_count``) and their sum
weighted by importance: nice to have 1, important 2, critical 3 (``demand``).
"""

import random
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from portfolio.core.permissions import refused_links
from products import selectors, services
from products.models import Feature, Feedback, ProductMember
from tests.core.factories import UserFactory
from tests.products.factories import (
    FeatureFactory,
    FeedbackFactory,
    MarketInsightFactory,
    ProductFactory,
    ProductMemberFactory,
    link_feedback,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager, name="Flow")


@pytest.fixture
def feature(product):
    return FeatureFactory(product=product, title="Offline mode")


@pytest.fixture
def item(product):
    return FeedbackFactory(product=product, summary="We need offline", importance="important")


def demand(feature: Feature) -> tuple[int, int]:
    feature.refresh_from_db()
    return feature.demand, feature.demand_count


# --- Linking and demand ------------------------------------------------------------------------------


def test_linking_feedback_raises_the_features_demand_by_its_weight_and_marks_it_linked(product_manager, item, feature):
    services.feedback_link(user=product_manager, feedback=item, features=[feature])

    assert demand(feature) == (2, 1)
    item.refresh_from_db()
    assert item.status == Feedback.Status.LINKED
    assert list(item.features.all()) == [feature]


def test_linking_the_same_feature_twice_counts_it_once(product_manager, item, feature):
    services.feedback_link(user=product_manager, feedback=item, features=[feature, feature])
    services.feedback_link(user=product_manager, feedback=item, features=[feature])

    assert demand(feature) == (2, 1)


def test_unlinking_the_last_feature_takes_the_demand_back_and_leaves_the_item_triaged(product_manager, item, feature):
    services.feedback_link(user=product_manager, feedback=item, features=[feature])

    services.feedback_unlink(user=product_manager, feedback=item, features=[feature])

    assert demand(feature) == (0, 0)
    item.refresh_from_db()
    assert item.status == Feedback.Status.TRIAGED


def test_triage_reweighs_the_demand_of_every_linked_feature(product_manager, product, item, feature):
    other = FeatureFactory(product=product)
    services.feedback_link(user=product_manager, feedback=item, features=[feature, other])

    services.feedback_triage(user=product_manager, feedback=item, importance="critical", sentiment="negative")

    assert demand(feature) == (3, 1) and demand(other) == (3, 1)
    item.refresh_from_db()
    assert (item.importance, item.sentiment, item.status) == ("critical", "negative", "linked")


def test_triage_without_links_takes_a_new_item_out_of_the_new_ones(product_manager, item):
    services.feedback_triage(user=product_manager, feedback=item, importance="nice-to-have")

    item.refresh_from_db()
    assert (item.status, item.importance) == ("triaged", "nice-to-have")


def test_triage_with_features_replaces_the_links(product_manager, product, item, feature):
    other = FeatureFactory(product=product)
    services.feedback_link(user=product_manager, feedback=item, features=[feature])

    services.feedback_triage(user=product_manager, feedback=item, features=[other])

    assert demand(feature) == (0, 0) and demand(other) == (2, 1)


def test_archived_feedback_stops_counting_and_counts_again_when_restored(product_manager, item, feature):
    services.feedback_link(user=product_manager, feedback=item, features=[feature])

    services.feedback_archive(user=product_manager, feedback=item)
    assert demand(feature) == (0, 0)
    item.refresh_from_db()
    assert item.status == "archived" and list(item.features.all()) == [feature]

    services.feedback_restore(user=product_manager, feedback=item)
    assert demand(feature) == (2, 1)
    item.refresh_from_db()
    assert item.status == "linked"


def test_deleting_feedback_takes_its_demand_from_the_features(product_manager, item, feature):
    services.feedback_link(user=product_manager, feedback=item, features=[feature])

    services.feedback_delete(user=product_manager, feedback=item)

    assert demand(feature) == (0, 0)
    assert not Feedback.objects.filter(pk=item.pk).exists()


def test_feedback_entered_with_features_is_linked_and_counted(product_manager, product, feature):
    created = services.feedback_create(
        user=product_manager,
        product=product,
        data={"summary": "Offline, please", "importance": "critical", "features": [feature]},
    )

    assert created.status == "linked" and created.received_at is not None
    assert demand(feature) == (3, 1)


def test_a_feature_created_from_feedback_starts_with_its_demand(product_manager, item):
    prefill = selectors.feedback_feature_prefill(feedback=item)

    created = services.feedback_create_feature(user=product_manager, feedback=item, data=prefill)

    assert created.title == "We need offline" and "> We need offline" in created.description
    assert (created.demand, created.demand_count) == (2, 1)
    assert list(item.features.all()) == [created]


def test_deleting_a_feature_leaves_feedback_that_asked_only_for_it_triaged(product_manager, product, item, feature):
    other = FeatureFactory(product=product)
    elsewhere = FeedbackFactory(product=product)
    services.feedback_link(user=product_manager, feedback=item, features=[feature])
    services.feedback_link(user=product_manager, feedback=elsewhere, features=[feature, other])

    services.feature_delete(user=product_manager, feature=feature)

    item.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (item.status, elsewhere.status) == ("triaged", "linked")


# --- Refusals change nothing ----------------------------------------------------------------------------


def test_linking_feedback_to_another_products_feature_is_refused_and_changes_nothing(product_manager, item, feature):
    foreign = FeatureFactory(product=ProductFactory(owner=product_manager), title="Elsewhere")

    with pytest.raises(ValidationError) as refused:
        services.feedback_link(user=product_manager, feedback=item, features=[feature, foreign])

    assert "“Elsewhere” is not a feature of Flow" in refused.value.message_dict["features"][0]
    assert demand(feature) == (0, 0) and demand(foreign) == (0, 0)
    item.refresh_from_db()
    assert item.status == "new" and not item.features.exists()


def test_the_rules_module_also_refuses_links_across_products(product, feature):
    foreign = FeatureFactory(title="Elsewhere")
    insight = MarketInsightFactory(product=product)

    assert refused_links(FeedbackFactory(product=product), "features", [feature]) == {}
    assert (
        "“Elsewhere” belongs to another product" in refused_links(insight, "features", [feature, foreign])["features"]
    )


def test_feedback_cannot_move_to_another_product(product_manager, item):
    with pytest.raises(ValidationError) as refused:
        services.feedback_update(user=product_manager, feedback=item, data={"product": ProductFactory()})

    assert "product" in refused.value.message_dict


def test_a_bad_importance_is_a_field_error_and_changes_nothing(product_manager, item, feature):
    services.feedback_link(user=product_manager, feedback=item, features=[feature])

    with pytest.raises(ValidationError) as refused:
        services.feedback_triage(user=product_manager, feedback=item, importance="urgent")

    assert "importance" in refused.value.message_dict
    assert demand(feature) == (2, 1)


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_only_the_products_editors_may_triage_or_link(who, product, item, feature, leader, outsider):
    users = {"outsider": outsider, "leader": leader, "viewer": UserFactory()}
    if who == "viewer":
        ProductMemberFactory(product=product, user=users["viewer"], role=ProductMember.Role.VIEWER)
    if who == "leader":
        ProductMemberFactory(product=product, user=leader, role=ProductMember.Role.EDITOR)

    for write in (
        lambda user: services.feedback_link(user=user, feedback=item, features=[feature]),
        lambda user: services.feedback_triage(user=user, feedback=item, importance="critical"),
        lambda user: services.feedback_create(user=user, product=product, data={"summary": "Hi"}),
        lambda user: services.feedback_delete(user=user, feedback=item),
    ):
        with pytest.raises(PermissionDenied):
            write(users[who])

    assert demand(feature) == (0, 0)
    assert Feedback.objects.filter(product=product).count() == 1


# --- The stored figures never drift from a recount ----------------------------------------------------


def test_stored_demand_never_drifts_from_a_recount_whatever_the_services_do(product_manager, product):
    """Two hundred random writes of every kind; after each one the stored figures equal a recount of the links."""
    rng = random.Random(8)
    features = FeatureFactory.create_batch(6, product=product)
    items = FeedbackFactory.create_batch(8, product=product)
    importances = list(Feedback.Importance.values)
    for _ in range(200):
        item = rng.choice(items)
        action = rng.randrange(7)
        if action == 0:
            services.feedback_link(
                user=product_manager, feedback=item, features=rng.sample(features, rng.randint(1, 3))
            )
        elif action == 1:
            services.feedback_unlink(user=product_manager, feedback=item, features=rng.sample(features, 2))
        elif action == 2:
            services.feedback_triage(user=product_manager, feedback=item, importance=rng.choice(importances))
        elif action == 3:
            services.feedback_archive(user=product_manager, feedback=item)
        elif action == 4:
            services.feedback_restore(user=product_manager, feedback=item)
        elif action == 5:
            chosen = rng.sample(features, rng.randint(0, 3))
            services.feedback_update(user=product_manager, feedback=item, data={"features": chosen})
        else:
            services.feedback_delete(user=product_manager, feedback=item)
            items.remove(item)
            items.append(
                services.feedback_create(
                    user=product_manager,
                    product=product,
                    data={"summary": "Again", "importance": rng.choice(importances), "features": [features[0]]},
                )
            )
        assert not selectors.demand_drift().exists()
    assert Feature.objects.filter(demand__gt=0).exists()  # the walk did link things


def test_recompute_demand_repairs_figures_written_past_the_services(product_manager, item, feature, capsys):
    link_feedback(item, feature)
    Feature.objects.filter(pk=feature.pk).update(demand=9, demand_count=3)

    with pytest.raises(CommandError, match="1 feature"):
        call_command("recompute_demand", "--check")
    call_command("recompute_demand")

    assert demand(feature) == (2, 1)
    assert "Recounted the demand of 1 feature" in capsys.readouterr().out
    call_command("recompute_demand", "--check", "--product", feature.product.slug)


def test_recompute_demand_names_an_unknown_product():
    with pytest.raises(CommandError, match="No product has the slug 'nope'"):
        call_command("recompute_demand", "--product", "nope")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_linking_feedback_to_one_feature_at_once_both_count(product_manager):
    """Each recount runs after the feature row's lock is granted, so neither link is lost from the figures.

    Five rounds of two simultaneous links: without the lock, a round loses a count now and then.
    """
    product = ProductFactory(owner=product_manager)
    errors = []

    def link(barrier: threading.Barrier, item: Feedback, feature: Feature) -> None:
        try:
            barrier.wait(timeout=10)
            services.feedback_link(user=product_manager, feedback=item, features=[feature])
        except (ValidationError, PermissionDenied, DatabaseError) as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    features = FeatureFactory.create_batch(5, product=product)
    for feature in features:
        barrier = threading.Barrier(2)
        items = FeedbackFactory.create_batch(2, product=product, importance="critical")
        threads = [threading.Thread(target=link, args=(barrier, item, feature)) for item in items]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert not errors
    assert [demand(feature) for feature in features] == [(6, 2)] * 5
