"""The market pages of a product: competitors, insights by kind, the comparison table and the feature page's panel.

Everyone reads them; the product's editors see the controls and write through the forms; viewers and outsiders
see no controls and get 403 on the write pages; bad input shows form errors (400) and changes nothing; each
page takes the same number of queries for 5 or 50 rows.
"""

import re

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products.models import Competitor, MarketInsight
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
def atlas(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager, vision="Maps for every team.")


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor")
    ProductMemberFactory(product=atlas, user=user, role="editor")
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=atlas, user=user, role="viewer")
    return user


def url(name: str, product, pk=None) -> str:
    kwargs = {"slug": product.slug} | ({"pk": pk} if pk is not None else {})
    return reverse(f"products:{name}", kwargs=kwargs)


def everything() -> tuple:
    links = list(MarketInsight.features.through.objects.order_by("pk").values_list("marketinsight_id", "feature_id"))
    competitors = [model_to_dict(row) for row in Competitor.objects.order_by("pk")]
    insights = [model_to_dict(row, exclude=["features"]) for row in MarketInsight.objects.order_by("pk")]
    return competitors, insights, links


def content(response) -> str:
    return response.content.decode().split('id="content"')[1]


# --- Reading ----------------------------------------------------------------------------------------


def test_the_product_tabs_reach_the_market(client, outsider, atlas):
    client.force_login(outsider)

    page = client.get(url("product_detail", atlas)).content.decode()

    assert f'href="{url("market", atlas)}"' in page


def test_the_market_shows_competitors_with_threat_in_words_and_insights_by_kind(client, outsider, atlas):
    CompetitorFactory(product=atlas, name="Zapflow", threat_level="high", positioning="Self-serve", pricing="€19")
    feature = FeatureFactory(product=atlas, title="Offline maps")
    insight = MarketInsightFactory(
        product=atlas, kind="customer-need", title="Offline is a must", segment="Field", estimated_value=1500000
    )
    insight.features.set([feature])
    client.force_login(outsider)

    page = content(client.get(url("market", atlas)))

    assert "Zapflow" in page and "Self-serve" in page and "€19" in page
    assert 'class="badge threat-high">High threat<' in page
    assert 'id="insights-customer-need"' in page and "Offline is a must" in page and "Field" in page
    assert "€1,500,000 estimated" in page
    assert f'href="{url("feature_detail", atlas, feature.pk)}">Offline maps</a>' in page


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_viewers_outsiders_and_leadership_read_the_market_without_controls(client, request, atlas, who):
    user = request.getfixturevalue(who)
    if who == "leader":
        ProductMemberFactory(product=atlas, user=user, role="editor")
    competitor = CompetitorFactory(product=atlas)
    insight = MarketInsightFactory(product=atlas)
    client.force_login(user)

    page = content(client.get(url("market", atlas)))

    assert competitor.name in page and insight.title in page
    for name, pk in [
        ("competitor_create", None),
        ("competitor_update", competitor.pk),
        ("competitor_delete", competitor.pk),
        ("insight_create", None),
        ("insight_update", insight.pk),
        ("insight_delete", insight.pk),
    ]:
        assert url(name, atlas, pk) not in page


def test_an_editor_sees_the_controls(client, atlas, editor):
    competitor = CompetitorFactory(product=atlas)
    insight = MarketInsightFactory(product=atlas)
    client.force_login(editor)

    page = content(client.get(url("market", atlas)))

    assert url("competitor_create", atlas) in page and url("competitor_update", atlas, competitor.pk) in page
    assert url("insight_create", atlas) in page and url("insight_delete", atlas, insight.pk) in page


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_the_write_pages_are_403_for_viewers_and_outsiders_and_change_nothing(client, request, atlas, who):
    client.force_login(request.getfixturevalue(who))
    competitor = CompetitorFactory(product=atlas, name="Zapflow")
    insight = MarketInsightFactory(product=atlas)
    before = everything()
    targets = [
        (url("competitor_create", atlas), {"name": "New", "threat_level": "low"}),
        (url("competitor_update", atlas, competitor.pk), {"name": "Renamed", "threat_level": "low"}),
        (url("competitor_delete", atlas, competitor.pk), {}),
        (url("insight_create", atlas), {"kind": "trend", "title": "New"}),
        (url("insight_update", atlas, insight.pk), {"kind": "trend", "title": "Renamed"}),
        (url("insight_delete", atlas, insight.pk), {}),
    ]

    for target, data in targets:
        assert client.get(target).status_code == 403, target
        assert client.post(target, data).status_code == 403, target

    assert everything() == before


def test_a_competitor_of_another_product_is_not_found_under_this_one(client, atlas, editor):
    elsewhere = CompetitorFactory()
    insight = MarketInsightFactory()
    client.force_login(editor)

    assert client.get(url("competitor_update", atlas, elsewhere.pk)).status_code == 404
    assert client.post(url("insight_delete", atlas, insight.pk)).status_code == 404
    assert Competitor.objects.filter(pk=elsewhere.pk).exists()


# --- Competitors ----------------------------------------------------------------------------------------


def test_an_editor_adds_a_competitor_and_finds_it_on_the_market(client, atlas, editor):
    client.force_login(editor)
    data = {"name": "Zapflow", "website": "zapflow.example", "threat_level": "high", "pricing": "€19 per user"}

    response = client.post(url("competitor_create", atlas), data, follow=True)

    competitor = Competitor.objects.get()
    assert (competitor.product, competitor.website) == (atlas, "https://zapflow.example")
    page = response.content.decode()
    assert "Competitor “Zapflow” added." in page and "€19 per user" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "zapflow", "threat_level": "low"}, "name"),
        ({"name": "New", "threat_level": "extreme"}, "threat_level"),
        ({"name": "", "threat_level": "low"}, "name"),
        ({"name": "New", "threat_level": "low", "website": "not a url"}, "website"),
    ],
)
def test_a_bad_competitor_shows_a_form_error_with_400_and_changes_nothing(client, atlas, editor, data, field):
    CompetitorFactory(product=atlas, name="Zapflow")
    client.force_login(editor)
    before = everything()

    response = client.post(url("competitor_create", atlas), data)

    assert response.status_code == 400 and response.context["form"].errors[field]
    assert everything() == before


def test_an_editor_edits_a_competitor(client, atlas, editor):
    competitor = CompetitorFactory(product=atlas, name="Zapflow", threat_level="low")
    client.force_login(editor)

    form = client.get(url("competitor_update", atlas, competitor.pk))
    assert form.status_code == 200 and 'value="Zapflow"' in form.content.decode()
    response = client.post(url("competitor_update", atlas, competitor.pk), {"name": "Zapflow", "threat_level": "high"})

    assert response.status_code == 302
    competitor.refresh_from_db()
    assert competitor.threat_level == "high"


def test_renaming_a_competitor_to_a_listed_name_shows_the_error(client, atlas, editor):
    CompetitorFactory(product=atlas, name="Zapflow")
    other = CompetitorFactory(product=atlas, name="Processly")
    client.force_login(editor)
    before = everything()

    response = client.post(url("competitor_update", atlas, other.pk), {"name": "ZAPFLOW", "threat_level": "low"})

    assert response.status_code == 400 and "already listed" in response.content.decode()
    assert "Edit the competitor “Processly”" in response.content.decode()
    assert everything() == before


def test_deleting_a_competitor_asks_first(client, atlas, editor):
    competitor = CompetitorFactory(product=atlas, name="Zapflow")
    client.force_login(editor)

    confirm = client.get(url("competitor_delete", atlas, competitor.pk))
    assert confirm.status_code == 200 and "Delete the competitor “Zapflow”?" in confirm.content.decode()
    assert Competitor.objects.exists()

    assert client.post(url("competitor_delete", atlas, competitor.pk)).status_code == 302
    assert not Competitor.objects.exists()


# --- Insights -------------------------------------------------------------------------------------------


def test_the_insight_form_offers_only_the_products_features(client, atlas, editor):
    ours = FeatureFactory(product=atlas, title="Offline maps")
    theirs = FeatureFactory(title="Somebody else's")
    client.force_login(editor)

    page = client.get(url("insight_create", atlas) + "?kind=threat").content.decode()

    assert f'value="{ours.pk}"' in page and "Offline maps" in page
    assert f'value="{theirs.pk}"' not in page and "Somebody else" not in page
    assert '<option value="threat" selected>' in page


def test_an_editor_adds_an_insight_linked_to_a_feature(client, atlas, editor):
    feature = FeatureFactory(product=atlas, title="Offline maps")
    client.force_login(editor)
    data = {"kind": "opportunity", "title": "Paper to digital", "estimated_value": "250000", "features": [feature.pk]}

    response = client.post(url("insight_create", atlas), data, follow=True)

    insight = MarketInsight.objects.get()
    assert (insight.product, list(insight.features.all())) == (atlas, [feature])
    assert "Paper to digital" in response.content.decode()


def test_an_insight_posted_with_another_products_feature_is_a_400_and_changes_nothing(client, atlas, editor):
    theirs = FeatureFactory()
    insight = MarketInsightFactory(product=atlas)
    client.force_login(editor)
    before = everything()

    created = client.post(url("insight_create", atlas), {"kind": "trend", "title": "T", "features": [theirs.pk]})
    edited = client.post(
        url("insight_update", atlas, insight.pk), {"kind": "trend", "title": "T", "features": [theirs.pk]}
    )

    for response in (created, edited):
        assert response.status_code == 400 and response.context["form"].errors["features"]
    assert everything() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "rumour", "title": "T"}, "kind"),
        ({"kind": "trend", "title": ""}, "title"),
        ({"kind": "trend", "title": "T", "estimated_value": "-5"}, "estimated_value"),
        ({"kind": "trend", "title": "T", "features": ["x"]}, "features"),
        ({"kind": "trend", "title": "T", "features": [str(2**70)]}, "features"),
    ],
)
def test_a_bad_insight_shows_a_form_error_with_400(client, atlas, editor, data, field):
    client.force_login(editor)

    response = client.post(url("insight_create", atlas), data)

    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not MarketInsight.objects.exists()


def test_an_editor_relinks_an_insight_and_deletes_it_after_confirming(client, atlas, editor):
    first, second = FeatureFactory(product=atlas, title="First"), FeatureFactory(product=atlas, title="Second")
    insight = MarketInsightFactory(product=atlas, kind="trend", title="Cloud")
    insight.features.set([first])
    client.force_login(editor)

    form = client.get(url("insight_update", atlas, insight.pk)).content.decode()
    assert re.search(rf'value="{first.pk}"[^>]* checked', form) and not re.search(
        rf'value="{second.pk}"[^>]* checked', form
    )
    data = {"kind": "trend", "title": "Cloud", "features": [second.pk]}
    assert client.post(url("insight_update", atlas, insight.pk), data).status_code == 302
    assert list(insight.features.all()) == [second]

    confirm = client.get(url("insight_delete", atlas, insight.pk)).content.decode()
    assert "1 feature it is linked to will stay" in confirm
    client.post(url("insight_delete", atlas, insight.pk))
    assert not MarketInsight.objects.exists() and second.__class__.objects.count() == 2


# --- Comparison -----------------------------------------------------------------------------------------


def test_the_comparison_puts_the_product_first_then_every_competitor(client, outsider, atlas):
    CompetitorFactory(product=atlas, name="Zapflow", strengths="Templates", weaknesses="Approvals", threat_level="high")
    CompetitorFactory(product=atlas, name="Processly", website="https://processly.example", threat_level="low")
    client.force_login(outsider)

    page = content(client.get(url("market_compare", atlas)))

    header = page.split("<thead>")[1].split("</thead>")[0]
    assert header.index("Atlas") < header.index("Zapflow") < header.index("Processly")
    for row in ("Positioning", "Strengths", "Weaknesses", "Pricing", "Threat level", "Website"):
        assert f'<th scope="row">{row}</th>' in page
    assert "Maps for every team." in page and "Templates" in page and "Approvals" in page
    assert "High threat" in page and "Low threat" in page and "https://processly.example" in page
    assert "data-print" in page


def test_the_comparison_shows_only_the_competitors_chosen(client, outsider, atlas):
    zapflow = CompetitorFactory(product=atlas, name="Zapflow")
    CompetitorFactory(product=atlas, name="Processly")
    client.force_login(outsider)

    page = content(client.get(url("market_compare", atlas), {"competitor": [zapflow.pk]}))

    header = page.split("<thead>")[1].split("</thead>")[0]
    assert "Zapflow" in header and "Processly" not in header
    assert f'value="{zapflow.pk}" checked' in page


def test_choosing_another_products_competitor_is_a_400_showing_all(client, outsider, atlas):
    CompetitorFactory(product=atlas, name="Zapflow")
    elsewhere = CompetitorFactory(name="Elsewhere")
    client.force_login(outsider)

    response = client.get(url("market_compare", atlas), {"competitor": [elsewhere.pk]})

    header = content(response).split("<thead>")[1].split("</thead>")[0]
    assert response.status_code == 400 and "Zapflow" in header and "Elsewhere" not in header


# --- The feature page -----------------------------------------------------------------------------------


def test_the_feature_page_lists_the_insights_linked_to_it(client, outsider, atlas):
    feature = FeatureFactory(product=atlas)
    insight = MarketInsightFactory(product=atlas, kind="threat", title="Cheap rivals", estimated_value=None)
    insight.features.set([feature])
    MarketInsightFactory(product=atlas, title="Unrelated")
    client.force_login(outsider)

    page = content(client.get(url("feature_detail", atlas, feature.pk)))

    panel = page.split('id="market-insights"')[1].split("</section>")[0]
    assert "Cheap rivals" in panel and "Threat" in panel and "Unrelated" not in panel


# --- Query counts ---------------------------------------------------------------------------------------


def _market_rows(product, n):
    feature = FeatureFactory(product=product)
    for _ in range(n):
        CompetitorFactory(product=product, threat_level="high")
        MarketInsightFactory(product=product, kind="trend").features.set([feature, FeatureFactory(product=product)])


def _insight_links(product, n, feature):
    for _ in range(n):
        MarketInsightFactory(product=product).features.set([feature])


@pytest.mark.parametrize("page", ["market", "market_compare"])
def test_the_market_pages_take_the_same_queries_for_5_or_50_rows(client, atlas, editor, page):
    client.force_login(editor)
    _market_rows(atlas, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url(page, atlas)).status_code == 200
    _market_rows(atlas, 45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url(page, atlas)).status_code == 200

    assert len(fifty) == len(five), [query["sql"] for query in fifty.captured_queries]


def test_the_feature_page_takes_the_same_queries_for_5_or_50_linked_insights(client, atlas, editor):
    feature = FeatureFactory(product=atlas)
    client.force_login(editor)
    _insight_links(atlas, 5, feature)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url("feature_detail", atlas, feature.pk)).status_code == 200
    _insight_links(atlas, 45, feature)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url("feature_detail", atlas, feature.pk)).status_code == 200

    assert len(fifty) == len(five)
