"""Every page the app serves runs under its Content-Security-Policy without a single violation.

Chromium reports a refused inline script, style or handler as a console error, so "no console error"
on a page is "nothing on it needed more than the policy allows".
"""

import re

import pytest
from playwright.sync_api import expect

from tests.core.factories import KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_login_lockout_home_password_and_api_docs_run_without_a_policy_violation(
    live_server, page, console_errors, member, settings
):
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    settings.AXES_FAILURE_LIMIT = 1
    sign_in(page, live_server, "nobody", "guess")
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-in attempts. Try again in 15 minutes.")
    # Chromium logs the page's status itself as an error; that one is expected.
    assert [error for error in console_errors if "status of 429" not in error] == []
    console_errors.clear()
    sign_in(page, live_server, "member", "pw-member")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    page.goto(f"{live_server.url}/accounts/password/")
    page.fill("#id_old_password", "pw-member")
    page.fill("#id_new_password1", "a-new-Pass-2026")
    page.fill("#id_new_password2", "a-new-Pass-2026")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

    page.goto(f"{live_server.url}/api/docs/")
    # Rendered by the init script, which is a separate request (?script) the policy allows.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Portfolio API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    page.wait_for_load_state("networkidle")

    assert console_errors == []


def test_admin_pages_run_without_a_policy_violation(live_server, page, console_errors, superuser, product_manager):
    objective = ObjectiveFactory(owner=product_manager, parent=ObjectiveFactory())
    KeyResultFactory(objective=objective)
    admin = f"{live_server.url}/admin"
    # One failed sign-in, so the lockout list has a row; the admin's own login page.
    page.goto(f"{admin}/login/")
    page.fill("#id_username", "pm")
    page.fill("#id_password", "not-it")
    page.click("input[type=submit]")
    expect(page.locator(".errornote")).to_be_visible()
    sign_in(page, live_server, "root", "pw-root")

    pages = {
        "index": f"{admin}/",
        "user list": f"{admin}/core/user/",
        # filter_horizontal: SelectFilter2 builds its widgets in the browser.
        "user form": f"{admin}/core/user/{product_manager.pk}/change/",
        # Autocomplete (select2) and an inline formset.
        "objective form": f"{admin}/core/strategicobjective/{objective.pk}/change/",
        "objective history": f"{admin}/core/strategicobjective/{objective.pk}/history/",
        "user add form": f"{admin}/core/user/add/",
        "objective delete": f"{admin}/core/strategicobjective/{objective.pk}/delete/",
        "lockouts": f"{admin}/axes/accessattempt/",
        "report list (date hierarchy)": f"{admin}/reports/stakeholderreport/",
    }
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        page.wait_for_load_state("networkidle")
        if name == "objective form":
            page.locator(".select2-selection").first.click()  # the dropdown is built on opening
            expect(page.locator(".select2-results")).to_be_visible()
            page.keyboard.press("Escape")
            page.locator(".add-row a").first.click()  # a new inline row
        if name == "lockouts":
            expect(page.locator("#result_list")).to_contain_text("pm")

    assert console_errors == []
