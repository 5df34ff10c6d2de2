import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_user_signs_in_in_the_browser_sees_home_and_signs_out(live_server, page, product_manager):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    page.fill("#id_username", "pm")
    page.fill("#id_password", "pw-pm")
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Welcome, Priya")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Home")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_wrong_password_shows_an_error_in_the_browser(live_server, page, product_manager):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "pm")
    page.fill("#id_password", "not-it")
    page.click("button[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("correct username and password")


def test_pages_request_nothing_from_another_host(live_server, page, member):
    hosts = set()
    page.on("request", lambda request: hosts.add(re.sub(r"^\w+://([^/]+).*$", r"\1", request.url)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "member")
    page.fill("#id_password", "pw-member")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert hosts == {live_server.url.split("://", 1)[1]}
