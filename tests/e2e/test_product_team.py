"""A product's team in the browser: its manager changes a member's role with the keyboard only, in place."""

import pytest
from playwright.sync_api import expect

from products.models import ProductMember
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory, ProductMemberFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_the_product_manager_changes_a_members_role_with_the_keyboard(live_server, page, product_manager):
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    person = UserFactory(username="vera", first_name="Vera", last_name="Viewer")
    membership = ProductMemberFactory(product=product, user=person, role="viewer", function="design")
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/atlas/members/")

    role = page.get_by_label("Role of Vera Viewer")
    role.focus()
    page.keyboard.press("ArrowUp")  # viewer -> editor, no pointer involved
    expect(role).to_have_value("editor")
    page.keyboard.press("Tab")  # the function
    page.keyboard.press("Tab")  # the Save button
    page.keyboard.press("Enter")

    expect(page.locator("#team")).to_contain_text("saved")
    expect(page.locator(f"#member-{membership.pk}")).to_contain_text("Editor")
    membership.refresh_from_db()
    assert membership.role == ProductMember.Role.EDITOR


def test_a_team_member_sees_the_themes_with_their_colour_but_no_controls(live_server, page, member):
    product = ProductFactory(name="Atlas", slug="atlas")
    ThemeFactory(product=product, name="Speed", colour="#e03131")
    sign_in(page, live_server, "member", "pw-member")
    page.goto(f"{live_server.url}/products/atlas/themes/")

    expect(page.get_by_role("rowheader", name="Speed")).to_be_visible()
    expect(page.get_by_text("#e03131")).to_be_visible()
    expect(page.locator("#content form")).to_have_count(0)
    expect(page.get_by_role("button", name="Up")).to_have_count(0)
