"""Writing a product's market analysis through the services: competitors and insights, who may, and what a
refusal leaves; and the market figures the pages read (threat order, insight groups and their values)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from portfolio.core.permissions import refused_links
from products import selectors, services
from products.models import Competitor, MarketInsight, ProductMember
from tests.core.factories import UserFactory
from tests.products.factories import (
    CompetitorFactory,
    FeatureFactory,
    MarketInsightFactory,
    ProductFactory,
    ProductMemberFactory,
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


def rows(model) -> list[dict]:
    return [model_to_dict(row) for row in model.objects.order_by("pk")]


def links() -> list[tuple[int, int]]:
    through = MarketInsight.features.through.objects.order_by("pk")
    return list(through.values_list("marketinsight_id", "feature_id"))


# --- Competitors --------------------------------------------------------------------------------------


def test_an_editor_lists_edits_and_deletes_a_competitor(product, editor):
    data = {"name": "Zapflow", "website": "https://zapflow.example", "pricing": "€19", "threat_level": "high"}

    competitor = services.competitor_create(user=editor, product=product, data=data)
    services.competitor_update(user=editor, competitor=competitor, data={"threat_level": "low", "strengths": "Many"})

    competitor.refresh_from_db()
    assert (competitor.product, competitor.name, competitor.threat_level, competitor.strengths) == (
        product,
        "Zapflow",
        "low",
        "Many",
    )
    services.competitor_delete(user=editor, competitor=competitor)
    assert not Competitor.objects.exists()


@pytest.mark.parametrize("name", ["Zapflow", "zapflow", "ZAPFLOW"])
def test_a_competitor_listed_twice_whatever_the_case_is_an_error_on_the_name(product, editor, name):
    CompetitorFactory(product=product, name="Zapflow")
    before = rows(Competitor)

    with pytest.raises(ValidationError) as refused:
        services.competitor_create(user=editor, product=product, data={"name": name})

    assert list(refused.value.message_dict) == ["name"]
    assert rows(Competitor) == before


def test_two_products_may_each_list_the_same_competitor(product, editor):
    CompetitorFactory(name="Zapflow")

    competitor = services.competitor_create(user=editor, product=product, data={"name": "Zapflow"})

    assert Competitor.objects.filter(name="Zapflow").count() == 2 and competitor.product == product


def test_renaming_a_competitor_to_a_listed_name_is_an_error_on_the_name(product, editor):
    CompetitorFactory(product=product, name="Zapflow")
    other = CompetitorFactory(product=product, name="Processly")
    before = rows(Competitor)

    with pytest.raises(ValidationError) as refused:
        services.competitor_update(user=editor, competitor=other, data={"name": "ZapFlow"})

    assert list(refused.value.message_dict) == ["name"]
    assert rows(Competitor) == before


@pytest.mark.parametrize(("data", "field"), [({"threat_level": "extreme"}, "threat_level"), ({"name": ""}, "name")])
def test_a_bad_threat_level_or_an_empty_name_is_a_field_error(product, editor, data, field):
    with pytest.raises(ValidationError) as refused:
        services.competitor_create(user=editor, product=product, data={"name": "Zapflow", **data})

    assert field in refused.value.message_dict
    assert not Competitor.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_viewers_outsiders_and_leadership_may_not_write_competitors(request, product, who):
    user = request.getfixturevalue(who)
    competitor = CompetitorFactory(product=product)
    before = rows(Competitor)

    with pytest.raises(PermissionDenied):
        services.competitor_create(user=user, product=product, data={"name": "New"})
    with pytest.raises(PermissionDenied):
        services.competitor_update(user=user, competitor=competitor, data={"name": "Renamed"})
    with pytest.raises(PermissionDenied):
        services.competitor_delete(user=user, competitor=competitor)

    assert rows(Competitor) == before


def test_a_competitor_cannot_be_moved_to_a_product_the_editor_does_not_edit(product, editor):
    competitor = CompetitorFactory(product=product)
    before = rows(Competitor)

    with pytest.raises(ValidationError) as refused:
        services.competitor_update(user=editor, competitor=competitor, data={"product": ProductFactory()})

    assert list(refused.value.message_dict) == ["product"]
    assert rows(Competitor) == before


# --- Insights -----------------------------------------------------------------------------------------


def test_an_editor_records_an_insight_linked_to_features_of_the_product(product, editor):
    sso, scim = FeatureFactory(product=product, title="SSO"), FeatureFactory(product=product, title="SCIM")
    data = {
        "kind": "customer-need",
        "title": "IT requires SSO",
        "segment": "Enterprise",
        "evidence": "14 of 20 deals",
        "estimated_value": Decimal("2100000"),
        "features": [sso, scim],
    }

    insight = services.insight_create(user=editor, product=product, data=data)

    assert (insight.product, insight.kind, insight.estimated_value) == (product, "customer-need", Decimal("2100000"))
    assert set(insight.features.all()) == {sso, scim}


def test_an_insight_linking_another_products_feature_is_refused_and_changes_nothing(product, editor):
    ours, theirs = FeatureFactory(product=product), FeatureFactory(title="Their feature")
    insight = MarketInsightFactory(product=product)
    insight.features.set([ours])
    before = (rows(MarketInsight), links())

    with pytest.raises(ValidationError) as refused:
        services.insight_create(
            user=editor, product=product, data={"kind": "trend", "title": "T", "features": [theirs]}
        )
    assert list(refused.value.message_dict) == ["features"]
    assert "Their feature" in refused.value.message_dict["features"][0]
    for write in (
        lambda: services.insight_update(user=editor, insight=insight, data={"title": "X", "features": [ours, theirs]}),
        lambda: services.insight_link(user=editor, insight=insight, features=[theirs]),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert list(refused.value.message_dict) == ["features"]

    assert (rows(MarketInsight), links()) == before


def test_the_rules_module_refuses_the_cross_product_link_too(product):
    insight = MarketInsightFactory(product=product)
    theirs = FeatureFactory(title="Elsewhere")

    assert list(refused_links(insight, "features", [theirs])) == ["features"]
    assert refused_links(insight, "features", [FeatureFactory(product=product)]) == {}


def test_link_and_unlink_add_and_remove_features_keeping_the_others(product, editor):
    first, second, third = FeatureFactory.create_batch(3, product=product)
    insight = MarketInsightFactory(product=product)
    insight.features.set([first])

    services.insight_link(user=editor, insight=insight, features=[second, third])
    services.insight_unlink(user=editor, insight=insight, features=[first, third])

    assert list(insight.features.all()) == [second]


def test_an_update_without_features_keeps_the_links(product, editor):
    feature = FeatureFactory(product=product)
    insight = MarketInsightFactory(product=product)
    insight.features.set([feature])

    services.insight_update(user=editor, insight=insight, data={"title": "Renamed", "segment": "SMB"})

    insight.refresh_from_db()
    assert (insight.title, insight.segment, list(insight.features.all())) == ("Renamed", "SMB", [feature])


def test_moving_an_insight_to_another_product_keeps_its_links_inside_one_product(product, editor):
    other = ProductFactory(owner=editor)
    insight = MarketInsightFactory(product=product)
    insight.features.set([FeatureFactory(product=product)])
    before = (rows(MarketInsight), links())

    with pytest.raises(ValidationError) as refused:
        services.insight_update(user=editor, insight=insight, data={"product": other})

    assert list(refused.value.message_dict) == ["features"]
    assert (rows(MarketInsight), links()) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"estimated_value": Decimal("-1")}, "estimated_value"),
        ({"kind": "rumour"}, "kind"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_insight_is_a_field_error_and_saves_nothing(product, editor, data, field):
    with pytest.raises(ValidationError) as refused:
        services.insight_create(user=editor, product=product, data={"kind": "trend", "title": "T", **data})

    assert field in refused.value.message_dict
    assert not MarketInsight.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_viewers_and_outsiders_may_not_write_insights(request, product, who):
    user = request.getfixturevalue(who)
    insight = MarketInsightFactory(product=product)
    feature = FeatureFactory(product=product)
    before = (rows(MarketInsight), links())

    for write in (
        lambda: services.insight_create(user=user, product=product, data={"kind": "trend", "title": "T"}),
        lambda: services.insight_update(user=user, insight=insight, data={"title": "X"}),
        lambda: services.insight_link(user=user, insight=insight, features=[feature]),
        lambda: services.insight_unlink(user=user, insight=insight, features=[feature]),
        lambda: services.insight_delete(user=user, insight=insight),
    ):
        with pytest.raises(PermissionDenied):
            write()

    assert (rows(MarketInsight), links()) == before


def test_deleting_an_insight_keeps_its_features(product, editor):
    feature = FeatureFactory(product=product)
    insight = MarketInsightFactory(product=product)
    insight.features.set([feature])

    services.insight_delete(user=editor, insight=insight)

    assert not MarketInsight.objects.exists() and feature.__class__.objects.filter(pk=feature.pk).exists()


# --- The figures the market pages read ------------------------------------------------------------------


def test_competitors_come_most_threatening_first_then_by_name(product):
    for name, level in [("Beta", "low"), ("Alpha", "medium"), ("Delta", "high"), ("Gamma", "high")]:
        CompetitorFactory(product=product, name=name, threat_level=level)

    competitors = selectors.market_competitors(product=product)

    assert [(c.name, c.threat_rank) for c in competitors] == [("Delta", 3), ("Gamma", 3), ("Alpha", 2), ("Beta", 1)]


def test_insights_are_grouped_by_kind_with_their_summed_value(product):
    MarketInsightFactory(product=product, kind="opportunity", title="Small", estimated_value=Decimal("100.50"))
    MarketInsightFactory(product=product, kind="opportunity", title="Big", estimated_value=Decimal("1000"))
    MarketInsightFactory(product=product, kind="opportunity", title="Unknown", estimated_value=None)
    MarketInsightFactory(product=product, kind="threat", title="Unvalued", estimated_value=None)
    MarketInsightFactory(kind="trend", title="Another product's")

    groups = selectors.market_insight_groups(product=product)

    assert [group.kind for group in groups] == ["opportunity", "trend", "threat", "customer-need"]
    opportunities, trends, threats, needs = groups
    # Largest value first, an insight without one last; 1000 + 100.50 = 1100.50 (the unvalued one adds nothing).
    assert [insight.title for insight in opportunities.insights] == ["Big", "Small", "Unknown"]
    assert opportunities.total_value == Decimal("1100.50")
    assert trends.insights == [] and trends.total_value is None
    assert [insight.title for insight in threats.insights] == ["Unvalued"] and threats.total_value is None
    assert needs.insights == []


def test_a_features_insights_are_the_ones_linked_to_it(product):
    feature = FeatureFactory(product=product)
    linked = MarketInsightFactory(product=product, kind="threat", title="Linked")
    linked.features.set([feature])
    MarketInsightFactory(product=product, title="Not linked")

    assert selectors.feature_insights(feature=feature) == [linked]
