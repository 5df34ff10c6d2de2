"""The feature form in the browser: the RICE score follows the inputs as one types, and saving shows the feature."""

import re

import pytest
from playwright.sync_api import expect

from products.models import Feature
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_rice_score_changes_as_the_product_manager_types_and_the_saved_feature_shows_it(
    live_server, page, product_manager
):
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "pm")

    page.goto(f"{live_server.url}/products/atlas/")
    page.get_by_role("link", name="New feature").click()
    expect(page.get_by_role("heading", name="New feature")).to_be_visible()
    score = page.locator("output#rice-score")
    # Defaults: reach 0 × impact 1 × confidence 0.8 / effort 1.
    expect(score).to_have_text("0.00")

    page.get_by_label("Title").fill("Offline maps")
    page.get_by_label("Reach").fill("1200")
    expect(score).to_have_text("960.00")  # 1200 × 1 × 0.8 / 1
    page.get_by_label("Impact").select_option(label="2 — high")
    page.get_by_label("Effort").fill("3")
    expect(score).to_have_text("640.00")  # 1200 × 2 × 0.8 / 3
    page.get_by_label("Effort").fill("0.7")
    expect(score).to_have_text("2742.86")  # 1920 / 0.7 = 2742.857…, rounded half up
    page.get_by_label("Effort").fill("0")
    expect(score).to_have_text("—")  # no score for no effort
    page.get_by_label("Effort").fill("3")
    expect(score).to_have_attribute("aria-live", "polite")

    page.get_by_role("button", name="Create feature").click()

    expect(page).to_have_url(re.compile(r"/products/atlas/features/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Offline maps")
    expect(page.locator(".score")).to_have_text("640.00")
    feature = Feature.objects.get(product=product)
    assert feature.rice_score == 640 and feature.history.get().history_user == product_manager
    assert errors == []


def test_a_status_step_is_made_with_the_keyboard_alone(live_server, page, product_manager):
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    feature = Feature.objects.create(product=product, title="Offline maps")
    sign_in(page, live_server, "pm")
    page.goto(f"{live_server.url}/products/atlas/features/{feature.pk}/")

    button = page.get_by_role("button", name="Mark as planned")
    button.focus()
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("is now planned")
    expect(page.locator('[aria-current="step"]')).to_contain_text("Planned")
