import pytest
from django.contrib import admin
from django.urls import reverse

from products.models import Feature, Product
from tests.admin_forms import admin_form_data
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import (
    CompetitorFactory,
    FeatureFactory,
    FeedbackFactory,
    MarketInsightFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMemberFactory,
    ProductMetricFactory,
    ReleaseFactory,
    ThemeFactory,
    link_feedback,
)

pytestmark = pytest.mark.django_db


def _feature():
    product = ProductFactory()
    feature = FeatureFactory(
        product=product, release=ReleaseFactory(product=product), theme=ThemeFactory(product=product)
    )
    feature.objectives.add(ObjectiveFactory())
    link_feedback(FeedbackFactory(product=product), feature)
    return feature


def _feedback():
    feedback = FeedbackFactory()
    link_feedback(feedback, FeatureFactory(product=feedback.product))
    return feedback


def _insight():
    insight = MarketInsightFactory()
    insight.features.add(FeatureFactory(product=insight.product))
    return insight


def _product():
    product = ProductFactory()
    ProductMemberFactory(product=product)
    ThemeFactory(product=product)
    return product


def _metric():
    metric = ProductMetricFactory()
    MetricReadingFactory.create_batch(2, metric=metric)
    return metric


OBJECTS = {
    "product": _product,
    "productmember": ProductMemberFactory,
    "theme": ThemeFactory,
    "release": ReleaseFactory,
    "feature": _feature,
    "feedback": _feedback,
    "competitor": CompetitorFactory,
    "marketinsight": _insight,
    "productmetric": _metric,
    "metricreading": MetricReadingFactory,
}


def test_every_products_model_is_registered():
    registered = {model._meta.model_name for model in admin.site._registry if model._meta.app_label == "products"}
    assert registered == set(OBJECTS)


@pytest.mark.parametrize("model_name", OBJECTS)
def test_superuser_opens_changelist_search_add_and_change_form(client, superuser, model_name):
    obj = OBJECTS[model_name]()
    client.force_login(superuser)

    changelist = reverse(f"admin:products_{model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "x"}).status_code == 200
    assert client.get(reverse(f"admin:products_{model_name}_add")).status_code == 200
    change = client.get(reverse(f"admin:products_{model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


@pytest.mark.parametrize("model_name", ["product", "release", "feature"])
def test_superuser_opens_the_history_of_versioned_objects(client, superuser, model_name):
    obj = OBJECTS[model_name]()
    client.force_login(superuser)
    assert client.get(reverse(f"admin:products_{model_name}_history", args=[obj.pk])).status_code == 200


def test_the_feature_changelist_issues_the_same_number_of_queries_for_5_or_55_features(
    client, superuser, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(superuser)
    url = reverse("admin:products_feature_changelist")
    for _ in range(5):
        _feature()
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    for _ in range(50):
        _feature()
    with django_assert_max_num_queries(len(five)):
        assert client.get(url).status_code == 200


def _change_page_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # warm the caches (content types, session) first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_metric_change_page_costs_the_same_queries_for_2_or_12_readings(client, superuser):
    few, many = ProductMetricFactory(), ProductMetricFactory()
    MetricReadingFactory.create_batch(2, metric=few)
    MetricReadingFactory.create_batch(12, metric=many)
    client.force_login(superuser)

    counts = [
        _change_page_queries(client, reverse("admin:products_productmetric_change", args=[metric.pk]))
        for metric in (few, many)
    ]

    assert counts[0] == counts[1]


def test_the_product_change_page_costs_the_same_queries_for_2_or_12_members(client, superuser):
    few, many = ProductFactory(), ProductFactory()
    ProductMemberFactory.create_batch(2, product=few)
    ProductMemberFactory.create_batch(12, product=many)
    client.force_login(superuser)

    counts = [
        _change_page_queries(client, reverse("admin:products_product_change", args=[product.pk]))
        for product in (few, many)
    ]

    assert counts[0] == counts[1]


def _change_data(feature: Feature, **overrides) -> dict:
    data = {
        "product": feature.product_id,
        "title": feature.title,
        "description": "",
        "status": feature.status,
        "horizon": feature.horizon,
        "release": "",
        "theme": "",
        "start_date": "",
        "end_date": "",
        "position": feature.position,
        "owner": "",
        "objectives": "",
        "reach": feature.reach,
        "impact": str(feature.impact),
        "confidence": str(feature.confidence),
        "effort": str(feature.effort),
        "opened_version": feature.version,
    }
    data.update(overrides)
    return data


def test_a_change_in_the_admin_bumps_the_version_and_is_recorded_in_history(client, superuser):
    feature = FeatureFactory()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:products_feature_change", args=[feature.pk]), _change_data(feature, title="Renamed")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    feature.refresh_from_db()
    assert (feature.title, feature.version) == ("Renamed", 2)
    assert feature.history.first().history_user == superuser


def test_a_stale_admin_form_is_refused_and_nothing_is_overwritten(client, superuser):
    feature = FeatureFactory(title="Original")
    stale = _change_data(feature, title="From a stale form")
    Feature.objects.filter(pk=feature.pk).update(title="Changed meanwhile", version=2)
    client.force_login(superuser)

    response = client.post(reverse("admin:products_feature_change", args=[feature.pk]), stale)

    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["adminform"].form.non_field_errors())
    feature.refresh_from_db()
    assert (feature.title, feature.version) == ("Changed meanwhile", 2)


def test_reverting_to_an_old_version_from_history_is_a_new_version(client, superuser):
    feature = FeatureFactory(title="First title")
    client.force_login(superuser)
    client.post(reverse("admin:products_feature_change", args=[feature.pk]), _change_data(feature, title="Second"))
    first = feature.history.earliest()

    revert_url = reverse("admin:products_feature_simple_history", args=[feature.pk, first.history_id])
    form = client.get(revert_url).context["adminform"].form
    response = client.post(revert_url, _change_data(feature, opened_version=form["opened_version"].initial))

    assert response.status_code == 302, response.context["adminform"].form.errors
    feature.refresh_from_db()
    assert (feature.title, feature.version) == ("First title", 3)


def test_a_product_is_added_in_the_admin_with_its_members_and_themes(client, superuser):
    owner, member = UserFactory(), UserFactory()
    client.force_login(superuser)
    inline_data = {}
    for prefix in ("memberships", "themes"):
        inline_data |= {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }

    response = client.post(
        reverse("admin:products_product_add"),
        {
            "name": "Atlas",
            "slug": "atlas",
            "owner": owner.pk,
            "lifecycle_stage": Product.Stage.GROWTH,
            **inline_data,
            "memberships-0-user": member.pk,
            "memberships-0-role": "editor",
            "themes-0-name": "Onboarding",
            "themes-0-colour": "#4c6ef5",
            "themes-0-position": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get(slug="atlas")
    assert product.version == 1
    assert [m.user for m in product.memberships.all()] == [member]
    assert [t.name for t in product.themes.all()] == ["Onboarding"]


# -----------------------------------------------------------------------------
# Staff who are not superusers follow the permission rules
# -----------------------------------------------------------------------------
@pytest.fixture
def staff_editor(db):
    """A staff user who edits product "A" only."""
    user = UserFactory(is_staff=True)
    ProductMemberFactory(product=ProductFactory(name="A"), user=user)
    return user


def test_a_staff_editor_changes_a_feature_of_their_product(client, staff_editor):
    feature = FeatureFactory(product=Product.objects.get(name="A"))
    client.force_login(staff_editor)
    url = reverse("admin:products_feature_change", args=[feature.pk])

    assert client.get(reverse("admin:products_feature_changelist")).status_code == 200
    assert client.get(url).status_code == 200
    response = client.post(url, _change_data(feature, title="Edited by the editor"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    feature.refresh_from_db()
    assert feature.title == "Edited by the editor"


def test_a_staff_editor_cannot_move_a_feature_into_another_product(client, staff_editor):
    feature = FeatureFactory(product=Product.objects.get(name="A"))
    elsewhere = ProductFactory(name="B")
    client.force_login(staff_editor)

    response = client.post(
        reverse("admin:products_feature_change", args=[feature.pk]), _change_data(feature, product=elsewhere.pk)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["product"]
    feature.refresh_from_db()
    assert feature.product.name == "A"


def test_a_staff_editor_reads_but_cannot_change_another_products_feature(client, staff_editor):
    feature = FeatureFactory(product=ProductFactory(name="B"), title="Untouched")
    client.force_login(staff_editor)
    url = reverse("admin:products_feature_change", args=[feature.pk])

    assert client.get(url).status_code == 200  # read-only view: every signed-in user reads
    assert client.post(url, _change_data(feature, title="Hijacked")).status_code == 403
    feature.refresh_from_db()
    assert feature.title == "Untouched"


def test_an_editor_member_sees_the_owner_but_cannot_make_themselves_owner_in_the_admin(client):
    owner = UserFactory(username="owner")
    editor = UserFactory(username="staff-editor", is_staff=True)
    product = ProductFactory(owner=owner)
    ProductMemberFactory(product=product, user=editor, role="editor")
    client.force_login(editor)
    url = reverse("admin:products_product_change", args=[product.pk])
    page = client.get(url)
    assert "owner" not in page.context["adminform"].form.fields

    client.post(url, admin_form_data(page, owner=str(editor.pk), name="Renamed"))
    product.refresh_from_db()
    assert product.owner == owner
    assert client.post(reverse("admin:products_product_delete", args=[product.pk]), {"post": "yes"}).status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


def test_the_owner_hands_a_product_over_in_the_admin(client):
    owner = UserFactory(username="owner", is_staff=True)
    successor = UserFactory(username="successor")
    product = ProductFactory(owner=owner)
    client.force_login(owner)
    url = reverse("admin:products_product_change", args=[product.pk])
    page = client.get(url)
    response = client.post(url, admin_form_data(page, owner=str(successor.pk)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.owner == successor


def test_the_admin_refuses_to_delete_a_product_with_features_and_offers_archiving(client, superuser):
    feature = _feature()
    client.force_login(superuser)
    url = reverse("admin:products_product_delete", args=[feature.product.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert "archive the product instead" in response.content.decode()
    assert Feature.objects.filter(pk=feature.pk).exists()
