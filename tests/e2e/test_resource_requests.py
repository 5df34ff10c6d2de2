"""A product manager requests a designer for a project; the program manager sees who is free in the queue and
approves with a named person; the product manager sees the decision on the product page and on their home page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Allocation, ResourceRequest
from programs.selectors import week_start
from tests.e2e.crawler import Crawl
from tests.products.factories import ProductFactory
from tests.programs.factories import AllocationFactory, ProgramFactory, ProjectFactory, ResourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def setting(product_manager, program_manager):
    today = timezone.localdate()
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    project = ProjectFactory(
        name="Checkout rebuild",
        program=ProgramFactory(name="Payments", manager=program_manager),
        product=product,
        status="active",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=200),
    )
    busy = ResourceFactory(name="Bea Busy", function="design")
    AllocationFactory(
        resource=busy, project=project, percent=80, start_date=today, end_date=today + datetime.timedelta(days=120)
    )
    ResourceFactory(name="Dana Free", function="design")
    return {"product": product, "project": project, "today": today}


def test_a_request_is_filed_approved_with_a_person_and_its_decision_seen_by_the_requester(page, live_server, setting):
    start = week_start(setting["today"]) + datetime.timedelta(weeks=2)  # a Monday
    end = start + datetime.timedelta(weeks=10, days=4)  # a Friday

    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/atlas/")
    page.get_by_role("navigation", name="Atlas").get_by_role("link", name="Resource requests").click()
    expect(page.get_by_role("heading", name="Request people")).to_be_visible()
    page.select_option("#id_project", label="Checkout rebuild (Payments)")
    page.select_option("#id_function", "design")
    page.fill("#id_percent", "50")
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", end.isoformat())
    page.fill("#id_justification", "Two rounds of usability tests on the new checkout.")
    page.get_by_role("button", name="File the request").click()
    expect(page.get_by_text("Request filed for Checkout rebuild.")).to_be_visible()
    expect(page.locator(".table-wrap").get_by_text("Pending")).to_be_visible()
    request = ResourceRequest.objects.get()
    page.context.clear_cookies()

    sign_in(page, live_server, "pgm", "pw-pgm")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    card = page.locator(f"#request-{request.pk}")
    expect(card.get_by_text("Two rounds of usability tests on the new checkout.")).to_be_visible()
    # The capacity impact: who in design is free over the period, the freest first, in words and numbers.
    impact = card.locator("table.capacity-impact tbody tr")
    expect(impact.nth(0)).to_contain_text("Dana Free")
    expect(impact.nth(0)).to_contain_text("100 %")
    expect(impact.nth(1)).to_contain_text("Bea Busy")
    expect(impact.nth(1)).to_contain_text("Over capacity")
    card.get_by_label("Person", exact=True).select_option(label="Dana Free — 100 % free")
    card.get_by_label("Note for the requester").fill("Dana starts on the first day.")
    card.get_by_role("button", name="Approve").click()
    # Swapped in place: the request now shows its decision.
    expect(card.get_by_text("Approved by Marco Rossi")).to_be_visible()
    expect(card.get_by_text("Dana Free", exact=True)).to_be_visible()
    allocation = Allocation.objects.get(resource__name="Dana Free")
    assert (allocation.percent, allocation.start_date, allocation.end_date) == (50, start, end)

    # The heat map shows the new allocation: Dana at 50 % over the weeks of the request.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Capacity").click()
    page.goto(f"{live_server.url}/capacity/?start={start.isoformat()}&end={end.isoformat()}&function=design")
    dana = page.locator("#heat-map tr", has=page.get_by_role("link", name="Dana Free"))
    expect(dana.locator("td").first).to_contain_text("50 %")
    expect(dana.locator("td").last).to_contain_text("50 %")
    page.context.clear_cookies()

    sign_in(page, live_server, "pm", "pw-pm")
    mine = page.locator(f"#my-request-{request.pk}")
    expect(mine).to_contain_text("Approved")
    expect(mine).to_contain_text("Dana Free")
    mine.get_by_role("link", name="Atlas").click()
    row = page.locator(f"#request-{request.pk}")
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("Dana Free")
    expect(row).to_contain_text("Dana starts on the first day.")


def test_the_request_pages_are_sound_for_the_requester_the_decider_and_a_reader(
    page, live_server, setting, product_manager, leader
):
    """The crawler's checks (console, CSP, links, document) over the queue and the product's requests."""
    from programs import services

    services.resource_request_file(
        user=product_manager,
        product=setting["product"],
        project=setting["project"],
        function="design",
        percent=30,
        start_date=setting["today"],
        end_date=setting["today"] + datetime.timedelta(days=30),
        justification="Crawl me.",
    )
    for username in ("pm", "pgm", "leader"):
        sign_in(page, live_server, username, f"pw-{username}")
        crawl = Crawl(page=page, base_url=live_server.url, max_pages=8, per_shape=2)
        crawl.run("/resource-requests/?status=")
        crawl.run("/products/atlas/resource-requests/")
        assert not crawl.problem_lines(), crawl.problem_lines()
        page.context.clear_cookies()
