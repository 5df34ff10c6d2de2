"""The market analysis in the browser: the product manager lists a competitor and finds it in the comparison
table, then records an insight linked to a feature and finds it on the feature's page."""

import pytest
from playwright.sync_api import expect

from products.models import Competitor, MarketInsight
from tests.products.factories import CompetitorFactory, FeatureFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def console_errors(page):
    """Errors in the browser's console: a script error, or anything the Content-Security-Policy refused."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def test_the_product_manager_adds_a_competitor_and_compares_it(live_server, page, product_manager, console_errors):
    ProductFactory(name="Atlas", slug="atlas", owner=product_manager, vision="Maps for every field team.")
    CompetitorFactory(product__slug="other", name="Not ours")
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/atlas/")

    page.get_by_role("link", name="Market", exact=True).click()
    page.get_by_role("link", name="Add a competitor").click()
    page.get_by_label("Name").fill("Zapflow")
    page.get_by_label("Website").fill("zapflow.example")
    page.get_by_label("Strengths").fill("Huge template library")
    page.get_by_label("Pricing").fill("€19 per user per month")
    page.get_by_label("Threat level").select_option("high")
    page.get_by_role("button", name="Add the competitor").click()

    expect(page.locator(".messages")).to_contain_text("Competitor “Zapflow” added.")
    expect(page.get_by_role("row", name="Zapflow")).to_contain_text("High threat")
    page.get_by_role("link", name="Compare side by side").click()

    table = page.get_by_role("table", name="Atlas compared with 1 competitor")
    expect(table.get_by_role("columnheader")).to_have_text(["Atlas (ours)", "Zapflow"])
    expect(table.get_by_role("row", name="Strengths")).to_contain_text("Huge template library")
    expect(table.get_by_role("row", name="Threat level")).to_contain_text("High threat")
    expect(table).not_to_contain_text("Not ours")
    assert Competitor.objects.get(product__slug="atlas").website == "https://zapflow.example"
    assert console_errors == []


def test_the_product_manager_links_an_insight_to_a_feature_and_sees_it_there(
    live_server, page, product_manager, console_errors
):
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    feature = FeatureFactory(product=product, title="Offline maps")
    FeatureFactory(product=product, title="Route sharing")
    FeatureFactory(title="Another product's feature")
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/atlas/market/")

    page.get_by_role("link", name="Add an insight").click()
    expect(page.get_by_label("Another product's feature")).to_have_count(0)
    page.get_by_label("Kind").select_option("customer-need")
    page.get_by_label("Title").fill("Offline work is non-negotiable")
    page.get_by_label("Segment").fill("Mid-market")
    page.get_by_label("Estimated value (€)").fill("1100000")
    page.get_by_label("Offline maps").check()
    page.get_by_role("button", name="Add the insight").click()

    needs = page.locator("#insights-customer-need")
    expect(needs).to_contain_text("Offline work is non-negotiable")
    expect(needs).to_contain_text("€1,100,000 estimated")
    needs.get_by_role("link", name="Offline maps").click()

    expect(page).to_have_url(f"{live_server.url}/products/atlas/features/{feature.pk}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Market insights"))
    expect(panel).to_contain_text("Offline work is non-negotiable")
    expect(panel).to_contain_text("Customer need")
    assert list(MarketInsight.objects.get().features.all()) == [feature]
    assert console_errors == []
