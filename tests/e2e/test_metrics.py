"""Product metrics in the browser: the product manager adds a KPI with a target and two readings (in place, with
HTMX), and sees its trend chart with the dashed target line on the metrics page and on the product page."""

import pytest
from playwright.sync_api import expect

from products.models import ProductMetric
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_the_product_manager_adds_a_kpi_and_two_readings_and_sees_the_chart_on_the_product_page(
    live_server, page, product_manager
):
    ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/atlas/")

    page.get_by_role("navigation", name="Atlas").get_by_role("link", name="Metrics").click()
    page.get_by_role("link", name="New KPI").click()
    page.get_by_label("Name").fill("Weekly active teams")
    page.get_by_label("Unit").fill("teams")
    page.get_by_label("Target").fill("100")
    page.get_by_label("Direction").select_option("higher")
    page.get_by_role("button", name="Add the KPI").click()

    expect(page.get_by_text("KPI “Weekly active teams” added.")).to_be_visible()
    metric = ProductMetric.objects.get(name="Weekly active teams")
    card = page.locator(f"#metric-{metric.pk}")
    page.evaluate("window.sameDocument = true")  # gone if a reading reloaded the page
    for date, value in [("2026-01-01", "80"), ("2026-02-01", "104")]:
        form = card.get_by_role("form", name="Add a reading of Weekly active teams")
        form.get_by_label("Date").fill(date)
        form.get_by_label("Value").fill(value)
        form.get_by_role("button", name="Add").click()
        expect(page.get_by_role("status")).to_contain_text(f"Weekly active teams: {value} teams on")
    assert page.evaluate("window.sameDocument === true"), "the readings were added in place, without a reload"

    chart = card.get_by_role("img", name="Weekly active teams over time")
    expect(chart).to_be_visible()
    expect(card.locator(".chart .point")).to_have_count(2)
    expect(card.locator(".chart .point.off")).to_have_count(1)
    expect(card.locator(".chart .point.on")).to_have_count(1)
    expect(card.get_by_text("On target", exact=True).first).to_be_visible()

    page.get_by_role("navigation", name="Atlas").get_by_role("link", name="Overview").click()
    panel = page.locator("section", has=page.get_by_role("heading", name="Metrics", exact=True))
    overview_chart = panel.get_by_role("img", name="Weekly active teams over time")
    expect(overview_chart).to_be_visible()
    expect(panel.locator(".chart line.target-line")).to_have_count(1)
    expect(panel.locator("text.target-label")).to_have_text("Target 100 teams")
    expect(panel.locator(".chart .point")).to_have_count(2)
    panel.get_by_text("Readings of Weekly active teams as a table").click()  # the text alternative
    expect(panel.get_by_role("cell", name="104")).to_be_visible()
    assert not [text for text in refused if "Content Security Policy" in text], refused
