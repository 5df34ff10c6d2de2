"""Importing feedback from a CSV file in the browser: a bad line is named and nothing imported; fixed, it imports."""

import pytest
from playwright.sync_api import expect

from products.models import Feedback
from tests.products.factories import FeatureFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "summary,company,sentiment,importance,features\n"
ROWS = "Slow sync,Fabrikam,negative,critical,Sync engine\nDark mode,Contoso,positive,Nice to have,\n"


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


# A file with errors is answered 400 (as every invalid form is), which the browser reports in its console.
EXPECTED_400 = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


@pytest.fixture
def console_errors(page):
    """Script errors and anything the Content-Security-Policy refused (not the form's expected 400)."""
    errors = []

    def on_console(message):
        if message.type == "error" and message.text != EXPECTED_400:
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def choose(page, content: str) -> None:
    page.get_by_label("CSV file", exact=True).set_input_files(
        {"name": "feedback.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state("networkidle")


def test_a_bad_line_is_named_and_nothing_imported_then_the_fixed_file_imports(
    page, live_server, product_manager, console_errors
):
    product = ProductFactory(name="Flow", slug="flow", owner=product_manager)
    feature = FeatureFactory(product=product, title="Sync engine")
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/flow/")
    page.get_by_role("link", name="Import feedback").click()
    expect(page.get_by_role("heading", name="The columns")).to_be_visible()

    choose(page, HEADER + ROWS + "Furious,Tailspin,angry,important,\n")

    errors = page.get_by_role("alert").filter(has_text="Nothing was imported")
    expect(errors).to_contain_text("Line 4, sentiment: “angry” is not one of negative, neutral, positive.")
    assert not Feedback.objects.exists()

    choose(page, HEADER + ROWS + "Furious,Tailspin,negative,important,\n")

    expect(page.get_by_role("heading", name="3 items ready to import from feedback.csv")).to_be_visible()
    expect(page.get_by_role("row", name="Furious")).to_contain_text("Negative")
    assert not Feedback.objects.exists()
    page.get_by_role("button", name="Import 3 items").click()
    page.wait_for_load_state("networkidle")

    expect(page.get_by_role("heading", name="3 feedback items imported from feedback.csv")).to_be_visible()
    for summary in ("Slow sync", "Dark mode", "Furious"):
        expect(page.get_by_role("row", name=summary)).to_be_visible()
    assert sorted(Feedback.objects.filter(product=product).values_list("summary", flat=True)) == [
        "Dark mode",
        "Furious",
        "Slow sync",
    ]
    feature.refresh_from_db()
    assert feature.demand_count == 1
    assert console_errors == []
