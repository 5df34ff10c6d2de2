"""Writing competitors and market insights through the API: 201/200/204, 400 with field messages, 403 from the
rules; an insight linking another product's feature, a duplicate competitor or a bad threat level is refused and
changes nothing; filters, ordering and fixed query counts of both lists."""

import pytest
from django.forms.models import model_to_dict

from products.models import Competitor, MarketInsight
from tests.api import queries_for, result_ids
from tests.core.factories import UserFactory
from tests.products.factories import (
    CompetitorFactory,
    FeatureFactory,
    MarketInsightFactory,
    ProductFactory,
    ProductMemberFactory,
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


def everything() -> tuple:
    links = list(MarketInsight.features.through.objects.order_by("pk").values_list("marketinsight_id", "feature_id"))
    competitors = [model_to_dict(row) for row in Competitor.objects.order_by("pk")]
    insights = [model_to_dict(row, exclude=["features"]) for row in MarketInsight.objects.order_by("pk")]
    return competitors, insights, links


# --- Competitors --------------------------------------------------------------------------------------


def test_an_editor_creates_edits_and_deletes_a_competitor(api_as, product, editor):
    client = api_as(editor)
    body = {"product": product.pk, "name": "Zapflow", "website": "https://zapflow.example/pricing"}

    created = client.post(f"{API}/competitors/", body | {"threat_level": "high", "pricing": "€19"}, format="json")
    assert created.status_code == 201, created.json()
    competitor = created.json()
    assert (competitor["product"], competitor["name"], competitor["threat_level"]) == (product.pk, "Zapflow", "high")

    changed = client.patch(f"{API}/competitors/{competitor['id']}/", {"threat_level": "low"}, format="json")
    assert changed.status_code == 200 and changed.json()["threat_level"] == "low"
    replaced = client.put(f"{API}/competitors/{competitor['id']}/", {"name": "Zapflow Inc."}, format="json")
    assert replaced.status_code == 200 and replaced.json()["name"] == "Zapflow Inc."

    assert client.delete(f"{API}/competitors/{competitor['id']}/").status_code == 204
    assert not Competitor.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "zapflow"}, "name"),
        ({"name": "New", "threat_level": "extreme"}, "threat_level"),
        ({"name": "New", "website": "not a web address"}, "website"),
        ({"name": "New", "website": "ftp://files.example"}, "website"),
        ({"name": "Nul\x00name"}, "name"),
        ({"name": "New", "positioning": "Nul\x00"}, "positioning"),
        ({"name": 5}, "name"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_competitor_is_a_400_naming_the_field_and_changes_nothing(api_as, product, editor, body, field):
    CompetitorFactory(product=product, name="Zapflow")
    before = everything()

    response = api_as(editor).post(f"{API}/competitors/", {"product": product.pk, **body}, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert everything() == before


def test_renaming_to_a_listed_competitor_is_a_400_on_the_name(api_as, product, editor):
    CompetitorFactory(product=product, name="Zapflow")
    other = CompetitorFactory(product=product, name="Processly")
    before = everything()

    response = api_as(editor).patch(f"{API}/competitors/{other.pk}/", {"name": "ZapFlow"}, format="json")

    assert response.status_code == 400 and "already listed" in response.json()["errors"]["name"][0]
    assert everything() == before


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_viewers_outsiders_and_leadership_get_403_on_competitors(api_as, request, product, who):
    competitor = CompetitorFactory(product=product)
    before = everything()
    client = api_as(request.getfixturevalue(who))

    assert client.post(f"{API}/competitors/", {"product": product.pk, "name": "X"}, format="json").status_code == 403
    assert client.patch(f"{API}/competitors/{competitor.pk}/", {"name": "X"}, format="json").status_code == 403
    assert client.delete(f"{API}/competitors/{competitor.pk}/").status_code == 403
    assert everything() == before


def test_an_editor_of_one_product_cannot_add_a_competitor_to_another(api_as, editor):
    other = ProductFactory()

    response = api_as(editor).post(f"{API}/competitors/", {"product": other.pk, "name": "X"}, format="json")

    assert response.status_code == 403 and not Competitor.objects.exists()


def test_competitors_filter_by_product_threat_and_name_and_sort_by_threat(api_as, product, member):
    low = CompetitorFactory(product=product, name="Lowly", threat_level="low")
    high = CompetitorFactory(product=product, name="Zapflow", threat_level="high")
    medium = CompetitorFactory(product=product, name="Middling", threat_level="medium")
    elsewhere = CompetitorFactory(name="Zapflow", threat_level="high")
    client = api_as(member)

    assert result_ids(client.get(f"{API}/competitors/?product={product.pk}")) == [low.pk, medium.pk, high.pk]
    assert result_ids(client.get(f"{API}/competitors/?threat_level=high")) == sorted([high.pk, elsewhere.pk])
    assert result_ids(client.get(f"{API}/competitors/?q=zap&product={product.pk}")) == [high.pk]
    by_threat = client.get(f"{API}/competitors/?product={product.pk}&ordering=-threat_level")
    assert result_ids(by_threat) == [high.pk, medium.pk, low.pk]
    assert result_ids(client.get(f"{API}/competitors/?product={product.pk}&ordering=-name")) == [
        high.pk,
        medium.pk,
        low.pk,
    ]


# --- Insights -----------------------------------------------------------------------------------------


def test_an_editor_creates_links_edits_and_deletes_an_insight(api_as, product, editor):
    client = api_as(editor)
    sso, scim = FeatureFactory(product=product), FeatureFactory(product=product)
    body = {
        "product": product.pk,
        "kind": "customer-need",
        "title": "IT requires SSO",
        "segment": "Enterprise",
        "estimated_value": "2100000.00",
        "features": [sso.pk],
    }

    created = client.post(f"{API}/insights/", body, format="json")
    assert created.status_code == 201, created.json()
    insight = created.json()
    assert (insight["features"], insight["estimated_value"]) == ([sso.pk], "2100000.00")

    linked = client.patch(f"{API}/insights/{insight['id']}/", {"features": [sso.pk, scim.pk]}, format="json")
    assert linked.status_code == 200 and linked.json()["features"] == sorted([sso.pk, scim.pk])
    renamed = client.patch(f"{API}/insights/{insight['id']}/", {"title": "SSO first"}, format="json")
    assert renamed.json()["title"] == "SSO first" and renamed.json()["features"] == sorted([sso.pk, scim.pk])
    unlinked = client.patch(f"{API}/insights/{insight['id']}/", {"features": []}, format="json")
    assert unlinked.json()["features"] == []

    assert client.delete(f"{API}/insights/{insight['id']}/").status_code == 204
    assert not MarketInsight.objects.exists() and sso.__class__.objects.count() == 2


def test_an_insight_linking_another_products_feature_is_a_400_on_features_and_changes_nothing(api_as, product, editor):
    ours, theirs = FeatureFactory(product=product), FeatureFactory()
    insight = MarketInsightFactory(product=product)
    insight.features.set([ours])
    before = everything()
    client = api_as(editor)

    created = client.post(
        f"{API}/insights/",
        {"product": product.pk, "kind": "trend", "title": "T", "features": [theirs.pk]},
        format="json",
    )
    changed = client.patch(f"{API}/insights/{insight.pk}/", {"features": [ours.pk, theirs.pk]}, format="json")

    for response in (created, changed):
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["features"], response.json()
    assert everything() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"title": ""}, "title"),
        ({"estimated_value": "-1"}, "estimated_value"),
        ({"estimated_value": 5}, "estimated_value"),
        ({"estimated_value": "1e5"}, "estimated_value"),
        ({"evidence": "Nul\x00"}, "evidence"),
        ({"features": "1"}, "features"),
        ({"features": [True]}, "features"),
    ],
)
def test_a_bad_insight_is_a_400_naming_the_field(api_as, product, editor, body, field):
    response = api_as(editor).post(
        f"{API}/insights/", {"product": product.pk, "kind": "trend", "title": "T", **body}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not MarketInsight.objects.exists()


def test_an_unestimated_insight_has_a_null_value(api_as, product, editor):
    body = {"product": product.pk, "kind": "threat", "title": "T", "estimated_value": None}

    response = api_as(editor).post(f"{API}/insights/", body, format="json")

    assert response.status_code == 201 and response.json()["estimated_value"] is None


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_viewers_and_outsiders_get_403_on_insights(api_as, request, product, who):
    insight = MarketInsightFactory(product=product)
    before = everything()
    client = api_as(request.getfixturevalue(who))

    body = {"product": product.pk, "kind": "trend", "title": "X"}
    assert client.post(f"{API}/insights/", body, format="json").status_code == 403
    assert client.patch(f"{API}/insights/{insight.pk}/", {"title": "X"}, format="json").status_code == 403
    assert client.delete(f"{API}/insights/{insight.pk}/").status_code == 403
    assert everything() == before


def test_insights_filter_by_product_kind_feature_and_title_and_sort_by_value(api_as, product, member):
    feature = FeatureFactory(product=product)
    small = MarketInsightFactory(product=product, kind="opportunity", title="Small deal", estimated_value=10)
    big = MarketInsightFactory(product=product, kind="opportunity", title="Big deal", estimated_value=1000)
    trend = MarketInsightFactory(product=product, kind="trend", title="Cloud", estimated_value=None)
    trend.features.set([feature])
    MarketInsightFactory(kind="trend", title="Elsewhere")
    client = api_as(member)

    assert result_ids(client.get(f"{API}/insights/?product={product.pk}&kind=opportunity")) == [big.pk, small.pk]
    assert result_ids(client.get(f"{API}/insights/?feature={feature.pk}")) == [trend.pk]
    assert result_ids(client.get(f"{API}/insights/?q=deal")) == [big.pk, small.pk]
    by_value = client.get(f"{API}/insights/?product={product.pk}&kind=opportunity&ordering=-estimated_value")
    assert result_ids(by_value) == [big.pk, small.pk]


# --- Query counts ---------------------------------------------------------------------------------------


def test_the_competitor_list_takes_the_same_queries_for_5_or_50_rows(api_as, member):
    client = api_as(member)
    CompetitorFactory.create_batch(5)
    five, _ = queries_for(client, f"{API}/competitors/")
    CompetitorFactory.create_batch(45)
    fifty, body = queries_for(client, f"{API}/competitors/?page_size=50")
    assert body["count"] == 50 and len(body["results"]) == 50 and fifty == five


def test_the_insight_list_takes_the_same_queries_for_5_or_50_rows(api_as, member):
    client = api_as(member)

    def make(n):
        for _ in range(n):
            insight = MarketInsightFactory()
            insight.features.set([FeatureFactory(product=insight.product)])

    make(5)
    five, _ = queries_for(client, f"{API}/insights/")
    make(45)
    fifty, body = queries_for(client, f"{API}/insights/?page_size=50")
    assert body["count"] == 50 and len(body["results"]) == 50 and fifty == five
