"""The roadmap editor in the browser: drag a card to the next quarter, the same by keyboard, a conflict, a reader.

Each move waits for the network answer of the move (and the roadmap's refresh after it), never for a fixed time.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from products.models import Feature, ProductMember
from products.selectors import Quarter
from tests.products.factories import FeatureFactory, ProductFactory, ProductMemberFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def this_quarter():
    return Quarter.of(timezone.localdate())


@pytest.fixture
def roadmap(product_manager, this_quarter):
    """A product with one theme and a feature in this quarter (the timeline's second column)."""
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    theme = ThemeFactory(product=product, name="Payments")
    start = this_quarter.start + datetime.timedelta(days=9)
    end = start + datetime.timedelta(days=30)
    feature = FeatureFactory(product=product, theme=theme, title="Offline maps", start_date=start, end_date=end)
    FeatureFactory(product=product, theme=theme, title="Route sharing", position=2048, start_date=start, end_date=start)
    card = f"#feature-{feature.pk}"
    return {"product": product, "theme": theme, "feature": feature, "card": card, "url": "/products/atlas/roadmap/"}


def is_move(response) -> bool:
    return response.request.method == "POST" and "/move/" in response.url


def is_refresh(response) -> bool:
    """The roadmap fetched again after a move (htmx, so it says ``HX-Request``)."""
    request = response.request
    return request.method == "GET" and "/roadmap/" in response.url and request.headers.get("hx-request") == "true"


@pytest.fixture
def console_errors(page):
    """Errors in the browser's console: a script error, or anything the Content-Security-Policy refused."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def drag_to_next_quarter(page, title: str):
    """Drag the card by its handle one column to the right, in its lane; return the move's response."""
    card = page.locator(".rm-card", has_text=title).first
    handle = card.locator(".drag-handle")
    heads = page.locator("#roadmap .rm-head .col-head")
    handle_box = handle.bounding_box()
    column_width = heads.nth(1).bounding_box()["width"]
    x, y = handle_box["x"] + handle_box["width"] / 2, handle_box["y"] + handle_box["height"] / 2
    with page.expect_response(is_move) as move, page.expect_response(is_refresh):
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(x + column_width * step / 10, y + 2, steps=2)
        page.mouse.up()
    return move.value


def test_a_product_manager_drags_a_feature_to_the_next_quarter_and_it_stays(
    live_server, page, roadmap, this_quarter, console_errors
):
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(live_server.url + roadmap["url"])
    card = page.locator(roadmap["card"])
    expect(card).to_have_class(re.compile(r"\bcol-s2\b"))

    response = drag_to_next_quarter(page, "Offline maps")

    assert response.status == 200
    expect(page.locator("#roadmap-status")).to_contain_text("Moved Offline maps")
    page.reload()
    expect(page.locator(roadmap["card"])).to_have_class(re.compile(r"\bcol-s3\b"))
    feature = Feature.objects.get(pk=roadmap["feature"].pk)
    assert Quarter.of(feature.start_date) == this_quarter.shifted(1)
    assert (feature.end_date - feature.start_date).days == 30  # the duration is kept
    assert Feature.objects.get(title="Route sharing").version == 1  # nobody else's row was written
    assert console_errors == []


def test_the_same_move_with_the_keyboard_only(live_server, page, roadmap, this_quarter, console_errors):
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(live_server.url + roadmap["url"])
    card = page.locator(roadmap["card"])

    card.locator(".move-menu summary").focus()
    page.keyboard.press("Enter")  # opens the menu
    page.keyboard.press("Tab")  # horizon
    page.keyboard.press("Tab")  # quarter
    quarter = card.locator("select[name=quarter]")
    expect(quarter).to_be_focused()
    for _ in range(3):  # Keep dates, previous quarter, this quarter, next quarter
        page.keyboard.press("ArrowDown")
    expect(quarter).to_have_value(this_quarter.shifted(1).key)
    page.keyboard.press("Tab")  # release
    page.keyboard.press("Tab")  # theme
    page.keyboard.press("Tab")  # the Move button
    with page.expect_response(is_move) as move, page.expect_response(is_refresh):
        page.keyboard.press("Enter")

    assert move.value.status == 204
    expect(page.locator("#roadmap-status")).to_contain_text("Moved Offline maps")
    expect(page.locator(roadmap["card"] + " .move-menu summary")).to_be_focused()
    page.reload()
    expect(page.locator(roadmap["card"])).to_have_class(re.compile(r"\bcol-s3\b"))
    assert Quarter.of(Feature.objects.get(pk=roadmap["feature"].pk).start_date) == this_quarter.shifted(1)
    assert console_errors == []


def test_two_people_move_the_same_feature_and_the_second_sees_the_conflict_and_where_it_is(
    live_server, browser, roadmap, this_quarter
):
    first, second = browser.new_context(), browser.new_context()
    try:
        pages = [first.new_page(), second.new_page()]
        for page in pages:
            sign_in(page, live_server, "pm", "pw-pm")
            page.goto(live_server.url + roadmap["url"])

        assert drag_to_next_quarter(pages[0], "Offline maps").status == 200
        response = drag_to_next_quarter(pages[1], "Offline maps")

        assert response.status == 409
        status = pages[1].locator("#roadmap-status")
        expect(status).to_contain_text("Someone else changed Offline maps — it is now in Later, Payments")
        expect(status).to_contain_text(this_quarter.shifted(1).label)
        # The card is shown where the first move put it (one quarter on), not where the second one dropped it.
        expect(pages[1].locator(roadmap["card"])).to_have_class(re.compile(r"\bcol-s3\b"))
        feature = Feature.objects.get(pk=roadmap["feature"].pk)
        assert (Quarter.of(feature.start_date), feature.version) == (this_quarter.shifted(1), 2)
    finally:
        first.close()
        second.close()


def test_a_team_member_sees_no_drag_handles(live_server, page, roadmap, member, console_errors):
    ProductMemberFactory(product=roadmap["product"], user=member, role=ProductMember.Role.VIEWER)
    sign_in(page, live_server, "member", "pw-member")

    for address in (roadmap["url"], roadmap["url"] + "board/"):
        page.goto(live_server.url + address)
        expect(page.locator(".rm-card", has_text="Offline maps")).to_be_visible()
        expect(page.locator(".drag-handle")).to_have_count(0)
        expect(page.locator(".move-menu")).to_have_count(0)
        expect(page.locator("#roadmap[data-editable]")).to_have_count(0)
    assert console_errors == []


def test_on_the_board_a_card_dragged_from_now_to_next_is_saved_in_place(live_server, page, roadmap, console_errors):
    Feature.objects.filter(pk=roadmap["feature"].pk).update(horizon="now")
    FeatureFactory(product=roadmap["product"], horizon="next", position=1024, title="First next")
    FeatureFactory(product=roadmap["product"], horizon="next", position=3072, title="Last next")
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(live_server.url + roadmap["url"] + "board/")

    handle = page.locator(roadmap["card"] + " .drag-handle").bounding_box()
    target = page.locator(".rm-card", has_text="Last next").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    with page.expect_response(is_move) as move, page.expect_response(is_refresh):
        page.mouse.move(x, y)
        page.mouse.down()
        # Onto the upper half of "Last next": the card goes between the two features of "next".
        to_x, to_y = target["x"] + target["width"] / 2, target["y"] + target["height"] / 4
        for step in range(1, 11):
            page.mouse.move(x + (to_x - x) * step / 10, y + (to_y - y) * step / 10, steps=2)
        page.mouse.up()

    assert move.value.status == 200
    page.reload()
    column = page.locator("[data-horizon=next] .rm-card h3")
    expect(column).to_have_text(["First next", "Offline maps", "Last next"])
    feature = Feature.objects.get(pk=roadmap["feature"].pk)
    assert (feature.horizon, feature.position) == ("next", 2048)
    assert console_errors == []
