"""A feature's change history (``selectors.feature_history``) and its status flow (``services.feature_status_change``).

The expected entries are worked out by hand from the saves each test makes.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from portfolio.core.exceptions import Conflict
from products import selectors, services
from products.models import Feature, ProductMember
from tests.core.factories import UserFactory
from tests.products.factories import FeatureFactory, ProductFactory, ProductMemberFactory, ReleaseFactory, ThemeFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager)


@pytest.fixture
def editor(product):
    user = UserFactory(username="editor", first_name="Eddie", last_name="Ng")
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def lanes(product):
    return ThemeFactory(product=product, name="Navigation"), ThemeFactory(product=product, name="Payments")


@pytest.fixture
def feature(product, product_manager, lanes):
    with time_machine.travel(MONDAY, tick=False):
        return services.feature_create(
            user=product_manager,
            product=product,
            data={
                "title": "Offline maps",
                "horizon": "later",
                "theme": lanes[0],
                "reach": 1000,
                "impact": Decimal("1.00"),
                "confidence": Decimal("0.80"),
                "effort": Decimal("2.00"),
            },
        )


def at(days: int, hours: int = 0) -> datetime.datetime:
    return MONDAY + datetime.timedelta(days=days, hours=hours)


def test_a_new_feature_has_one_entry_its_creation_by_whom_and_when(feature, product_manager):
    assert selectors.feature_history(feature=feature) == [
        {"when": MONDAY, "who": product_manager, "action": "created the feature", "changes": []}
    ]


def test_a_move_reports_who_when_and_each_moved_field_from_and_to(feature, editor, lanes):
    release = ReleaseFactory(product=feature.product, name="Spring")
    with time_machine.travel(at(1), tick=False):
        services.feature_move(
            user=editor,
            feature=feature,
            version=feature.version,
            horizon="now",
            theme=lanes[1],
            release=release,
            start_date=datetime.date(2027, 1, 4),
        )

    latest = selectors.feature_history(feature=feature)[0]

    assert latest == {
        "when": at(1),
        "who": editor,
        "action": "moved",
        "changes": [
            {"field": "horizon", "old": "Later", "new": "Now"},
            {"field": "release", "old": "", "new": "Spring"},
            {"field": "theme", "old": "Navigation", "new": "Payments"},
            {"field": "start date", "old": "", "new": "4 Jan 2027"},
        ],
    }


def test_a_re_score_reports_the_inputs_and_the_rice_score_before_and_after(feature, product_manager):
    with time_machine.travel(at(2), tick=False):
        services.feature_update(
            user=product_manager,
            feature=feature,
            version=feature.version,
            data={"reach": 1500, "impact": Decimal("2.00")},
        )

    latest = selectors.feature_history(feature=feature)[0]

    # Before: 1000 × 1 × 0.8 / 2 = 400.00; after: 1500 × 2 × 0.8 / 2 = 1200.00.
    assert latest["action"] == "re-scored" and latest["when"] == at(2) and latest["who"] == product_manager
    assert latest["changes"] == [
        {"field": "reach", "old": "1000", "new": "1500"},
        {"field": "impact", "old": "1 — medium", "new": "2 — high"},
        {"field": "RICE score", "old": "400.00", "new": "1200.00"},
    ]


def test_a_rename_an_owner_change_and_a_status_step_read_as_names_and_labels(feature, product_manager, editor):
    with time_machine.travel(at(3), tick=False):
        services.feature_update(
            user=product_manager,
            feature=feature,
            version=feature.version,
            data={"title": "Offline maps for drivers", "owner": editor},
        )
    with time_machine.travel(at(4), tick=False):
        services.feature_status_change(user=editor, feature=feature, version=feature.version, status="planned")

    history = selectors.feature_history(feature=feature)

    assert [(entry["when"], entry["who"], entry["action"]) for entry in history] == [
        (at(4), editor, "changed the status"),
        (at(3), product_manager, "changed details"),
        (MONDAY, product_manager, "created the feature"),
    ]
    assert history[0]["changes"] == [{"field": "status", "old": "Idea", "new": "Planned"}]
    assert history[1]["changes"] == [
        {"field": "title", "old": "Offline maps", "new": "Offline maps for drivers"},
        {"field": "owner", "old": "", "new": "Eddie Ng"},
    ]


def test_one_save_that_moves_and_re_scores_says_both(feature, product_manager, lanes):
    services.feature_update(
        user=product_manager, feature=feature, version=feature.version, data={"theme": lanes[1], "effort": Decimal("4")}
    )

    latest = selectors.feature_history(feature=feature)[0]

    assert latest["action"] == "moved, re-scored"
    assert latest["changes"][-1] == {"field": "RICE score", "old": "400.00", "new": "200.00"}


def test_a_deleted_theme_is_named_by_its_old_id(feature, product_manager, lanes):
    services.feature_update(user=product_manager, feature=feature, version=feature.version, data={"theme": lanes[1]})
    gone = lanes[0].pk
    lanes[0].delete()

    changes = selectors.feature_history(feature=feature)[0]["changes"]

    assert changes == [{"field": "theme", "old": f"(deleted, #{gone})", "new": "Payments"}]


def test_the_history_is_limited_to_the_latest_entries(feature, product_manager):
    for reach in range(1, 8):
        feature = services.feature_update(
            user=product_manager, feature=feature, version=feature.version, data={"reach": reach}
        )

    history = selectors.feature_history(feature=feature, limit=3)

    assert [entry["changes"][0]["new"] for entry in history] == ["7", "6", "5"]
    assert history[-1]["changes"][0]["old"] == "4"  # the oldest shown still says what it changed from


@pytest.mark.parametrize("count", [5, 50])
def test_the_history_reads_a_fixed_number_of_queries(feature, product_manager, lanes, django_assert_num_queries, count):
    owners = UserFactory.create_batch(3)
    releases = ReleaseFactory.create_batch(3, product=feature.product)
    for number in range(count):
        feature = services.feature_update(
            user=product_manager,
            feature=feature,
            version=feature.version,
            data={"owner": owners[number % 3], "release": releases[number % 3], "theme": lanes[number % 2]},
        )

    # The history rows (with who saved them), then the releases, themes and people they name.
    with django_assert_num_queries(4):
        history = selectors.feature_history(feature=feature)
    assert len(history) == min(count + 1, 50)


# --- The status flow ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        ("idea", {"planned", "parked"}),
        ("planned", {"in-progress", "parked"}),
        ("in-progress", {"shipped", "parked"}),
        ("shipped", {"parked"}),
        ("parked", {"idea", "planned"}),
    ],
)
def test_the_status_flow_allows_the_next_steps_and_refuses_the_others(product, product_manager, start, allowed):
    for status in Feature.Status.values:
        feature = FeatureFactory(product=product, status=start)
        if status in allowed:
            services.feature_status_change(user=product_manager, feature=feature, version=1, status=status)
            feature.refresh_from_db()
            assert feature.status == status
        else:
            with pytest.raises(ValidationError) as refused:
                services.feature_status_change(user=product_manager, feature=feature, version=1, status=status)
            assert "status" in refused.value.error_dict
            feature.refresh_from_db()
            assert (feature.status, feature.version) == (start, 1)


def test_a_status_step_needs_the_right_to_change_the_feature_and_a_current_version(product, product_manager):
    feature = FeatureFactory(product=product)

    with pytest.raises(PermissionDenied):
        services.feature_status_change(user=UserFactory(), feature=feature, version=1, status="planned")
    with pytest.raises(Conflict):
        services.feature_status_change(user=product_manager, feature=feature, version=7, status="planned")
    feature.refresh_from_db()
    assert (feature.status, feature.version) == ("idea", 1)


def test_the_edit_still_sets_any_status_so_a_mistake_is_put_right_in_one_edit(product, product_manager):
    feature = FeatureFactory(product=product, status="shipped")

    services.feature_update(user=product_manager, feature=feature, version=1, data={"status": "in-progress"})

    feature.refresh_from_db()
    assert feature.status == "in-progress"
