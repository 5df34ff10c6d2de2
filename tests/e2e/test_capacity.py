"""A program manager reads the heat map, filters it by a function, sees an over-allocated week, opens the person
and allocates someone on a project's People tab; the capacity pages pass the crawler's checks."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Allocation
from programs.selectors import week_start
from tests.e2e.crawler import Crawl
from tests.programs.factories import AllocationFactory, ProgramFactory, ProjectFactory, ResourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def plan(program_manager):
    monday = week_start(timezone.localdate())
    program = ProgramFactory(manager=program_manager, name="Growth")
    launch = ProjectFactory(
        program=program,
        name="Launch",
        start_date=monday - datetime.timedelta(weeks=4),
        end_date=monday + datetime.timedelta(weeks=20),
    )
    pilot = ProjectFactory(program=program, name="Pilot", start_date=launch.start_date, end_date=launch.end_date)
    ada = ResourceFactory(name="Ada Lovelace", function="design")
    ResourceFactory(name="Grace Hopper", function="design")
    ResourceFactory(name="Linus Torvalds", function="engineering")
    friday = monday + datetime.timedelta(days=4)
    AllocationFactory(resource=ada, project=launch, percent=70, start_date=monday, end_date=friday)
    AllocationFactory(resource=ada, project=pilot, percent=50, start_date=monday, end_date=friday)
    return {"launch": launch, "monday": monday}


def test_a_program_manager_finds_an_over_allocated_designer_and_allocates_someone_free(page, live_server, plan):
    sign_in(page, live_server, "pgm", "pw-pgm")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Capacity").click()
    expect(page.get_by_role("heading", name="Capacity")).to_be_visible()

    # Filter by a function (htmx swaps the grid in place; the address follows).
    page.select_option("#id_function", "design")
    page.get_by_role("button", name="Show").click()
    grid = page.locator("#heat-map")
    expect(grid.get_by_role("link", name="Linus Torvalds")).to_have_count(0)
    expect(grid.get_by_role("link", name="Grace Hopper")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/capacity/?start=&end=&function=design")
    over = grid.locator("td.heat-5").first
    expect(over).to_contain_text("120 %")
    expect(over).to_contain_text("20 % over")
    expect(over).to_have_attribute(
        "title", f"Ada Lovelace, week of {plan['monday']:%d %b %Y}: 120 % of capacity, 20 % over"
    )
    expect(grid.get_by_role("rowheader", name="Design: people over 100 %")).to_be_visible()

    # The person: their allocations and the coming weeks.
    grid.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    page.get_by_role("link", name="Launch").click()

    # The project's People tab: allocate Grace, who is free.
    expect(page.get_by_role("heading", name="Launch · People")).to_be_visible()
    grace = page.locator("#id_resource option", has_text="Grace Hopper")
    expect(grace).to_contain_text("100 % free")
    page.select_option("#id_resource", label=grace.inner_text())
    page.fill("#id_percent", "40")
    page.get_by_role("button", name="Allocate").click()

    expect(page.get_by_text("Grace Hopper was allocated to Launch.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Grace Hopper")).to_be_visible()
    allocation = Allocation.objects.get(resource__name="Grace Hopper")
    assert (allocation.project, allocation.percent) == (plan["launch"], 40)


def test_the_capacity_pages_are_sound_for_a_program_manager_and_a_reader(page, live_server, plan, leader):
    """The crawler's checks (console, CSP, links, document) over the heat map, people and People tab."""
    for username in ("pgm", "leader"):
        sign_in(page, live_server, username, f"pw-{username}")
        for start in ("/capacity/", f"/projects/{plan['launch'].pk}/people/"):
            crawl = Crawl(page=page, base_url=live_server.url, max_pages=10, per_shape=2)
            crawl.run(start)
            assert not crawl.problem_lines(), crawl.problem_lines()
        page.context.clear_cookies()
