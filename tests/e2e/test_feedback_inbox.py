"""The feedback inbox in the browser: a product manager triages new items, links them, makes a feature of one,
and links feedback from a roadmap card, whose demand badge follows without the page being loaded again.

Each step waits for the answer it causes (the row swapped in, the badge's new text), never for a fixed time.
"""

import pytest
from playwright.sync_api import expect

from products.models import Feature, Feedback
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
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
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def inbox(product_manager):
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    maps = FeatureFactory(product=product, title="Offline maps", horizon="now")
    FeatureFactory(product=product, title="Route sharing", horizon="next")
    items = [
        FeedbackFactory(product=product, summary="Maps vanish in the tunnel", company="Swift Freight"),
        FeedbackFactory(product=product, summary="Need maps without signal", company="Globex", importance="important"),
        FeedbackFactory(product=product, summary="Let drivers report road closures", company="Initech"),
    ]
    return {"product": product, "maps": maps, "items": items, "url": "/products/atlas/feedback/"}


def settled(page):
    """Wait until htmx has settled what it swapped in (its triggers are wired once it has)."""
    page.wait_for_function("() => !document.querySelector('.htmx-swapping, .htmx-settling, .htmx-added')")


def link_to(page, row, words: str, title: str):
    """Search the row's product features for ``words``, tick ``title`` and link: wait for the row's answer."""
    settled(page)
    row.get_by_label("Link to a feature").fill(words)
    choice = row.get_by_label(title)
    expect(choice).to_be_visible()
    choice.check()
    with page.expect_response(lambda response: "/link/" in response.url and response.request.method == "POST"):
        row.get_by_role("button", name="Link to the chosen features").click()


def test_a_product_manager_triages_three_new_items_links_two_and_makes_a_feature_of_the_third(
    live_server, page, inbox, console_errors
):
    first, second, third = inbox["items"]
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(live_server.url + inbox["url"])
    views = page.locator("#feedback-views")
    expect(views).to_contain_text("New (3)")

    # The first: linked to "Offline maps" straight away (linking triages it).
    row = page.locator(f"#feedback-{first.pk}")
    link_to(page, row, "offline", "Offline maps")
    row = page.locator(f"#feedback-{first.pk}")
    expect(row).to_contain_text("is linked to “Offline maps”")
    expect(row.get_by_role("link", name="Offline maps")).to_be_visible()
    expect(views).to_contain_text("New (2)")
    expect(page.locator("#feedback-tab-count")).to_have_text("(2 new)")

    # The second: its importance raised to critical first, by keyboard, then linked to the same feature.
    row = page.locator(f"#feedback-{second.pk}")
    settled(page)
    row.get_by_label("Importance").select_option("critical")
    row.get_by_label("Importance").focus()
    with page.expect_response(lambda response: "/triage/" in response.url):
        page.keyboard.press("Tab")  # sentiment
        page.keyboard.press("Tab")  # the Triage button
        page.keyboard.press("Enter")
    row = page.locator(f"#feedback-{second.pk}")
    expect(row).to_contain_text("is triaged")
    expect(row).to_contain_text("Critical")
    # The keyboard user keeps their place: the item redrawn in place holds the focus, not the top of the page.
    settled(page)
    expect(row).to_be_focused()
    link_to(page, row, "maps", "Offline maps")
    expect(page.locator(f"#feedback-{second.pk}")).to_contain_text("is linked to")
    expect(views).to_contain_text("New (1)")

    # The third: a feature made from it, the form filled from its summary.
    page.locator(f"#feedback-{third.pk}").get_by_role("link", name="Create feature from this").click()
    expect(page.get_by_label("Title")).to_have_value("Let drivers report road closures")
    page.get_by_label("Horizon").select_option("next")
    page.get_by_role("button", name="Create feature").click()
    page.wait_for_load_state("networkidle")

    created = Feature.objects.get(title="Let drivers report road closures")
    assert page.url.endswith(f"/products/atlas/features/{created.pk}/")
    expect(page.locator(f"#feature-{created.pk}-demand")).to_contain_text("from 1 linked feedback item")
    assert set(Feedback.objects.values_list("status", flat=True)) == {"linked"}
    maps = Feature.objects.get(pk=inbox["maps"].pk)
    assert (maps.demand_count, maps.demand) == (2, 4)  # nice to have 1 + critical 3
    page.goto(live_server.url + inbox["url"])
    expect(page.locator("#feedback-views")).to_contain_text("New (0)")
    assert console_errors == []


def test_linking_feedback_from_a_roadmap_card_updates_its_demand_without_a_reload(
    live_server, page, inbox, console_errors
):
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(live_server.url + "/products/atlas/roadmap/board/")
    card = page.locator(f"#feature-{inbox['maps'].pk}")
    badge = page.locator(f"#feature-{inbox['maps'].pk}-demand")
    expect(badge).to_have_text("Demand 0 of linked feedback, weighted by importance")
    page.evaluate("window.__stillHere = 'yes'")  # a full page load would lose it

    card.locator(".link-menu summary").click()
    card.get_by_label("Find feedback").fill("signal")
    found = card.get_by_role("button", name="Link “Need maps without signal”")
    expect(found).to_be_visible()
    found.click()

    expect(badge).to_contain_text("Demand 2 · 1 item")
    expect(card).to_contain_text("is linked to “Offline maps”")
    assert page.evaluate("window.__stillHere") == "yes"
    expect(card.locator(".move-menu summary")).to_be_visible()  # the card's Move menu is still there
    maps = Feature.objects.get(pk=inbox["maps"].pk)
    assert (maps.demand_count, maps.demand) == (1, 2)
    assert console_errors == []


def test_linking_and_unlinking_feedback_on_the_feature_page_updates_its_demand_in_place(
    live_server, page, inbox, console_errors
):
    maps = inbox["maps"]
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/atlas/features/{maps.pk}/")
    demand = page.locator(f"#feature-{maps.pk}-demand")
    expect(demand).to_contain_text("from 0 linked feedback items")
    page.evaluate("window.__stillHere = 'yes'")

    page.get_by_label("Search feedback").fill("tunnel")
    page.get_by_role("button", name="Link “Maps vanish in the tunnel”").click()

    expect(demand).to_contain_text("from 1 linked feedback item")
    quotes = page.locator(f"#feature-{maps.pk}-feedback")
    expect(quotes).to_contain_text("Maps vanish in the tunnel")
    settled(page)
    quotes.get_by_role("button", name="Unlink “Maps vanish in the tunnel”").click()
    expect(demand).to_contain_text("from 0 linked feedback items")
    expect(page.locator(f"#feature-{maps.pk}-feedback")).to_contain_text("is no longer linked")
    assert page.evaluate("window.__stillHere") == "yes"
    assert Feature.objects.get(pk=maps.pk).demand_count == 0
    assert console_errors == []
