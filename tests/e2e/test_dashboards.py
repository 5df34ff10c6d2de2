"""Leadership's journey in the browser: from the home page to the organisation overview, which names the portfolio
in trouble and why; every chart has a title and a text alternative; a red project leads to its page and its risks."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.programs.factories import MilestoneFactory, PortfolioFactory, ProgramFactory, ProjectFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_leader_finds_the_portfolio_in_trouble_and_reaches_a_red_projects_risks(page, live_server, leader):
    today = datetime.date.today()
    core = ProgramFactory(name="Enterprise readiness", portfolio=PortfolioFactory(name="Core platform"))
    ProgramFactory(name="Growth bets", portfolio=PortfolioFactory(name="Growth"))
    red = ProjectFactory(
        name="SSO and SCIM",
        program=core,
        start_date=today - datetime.timedelta(days=90),
        end_date=today + datetime.timedelta(days=90),
    )
    MilestoneFactory(project=red, name="Pilot live", is_key=True, due_date=today - datetime.timedelta(days=30))
    RiskFactory(project=red, title="Identity provider certification slips", probability=4, impact=5)
    sign_in(page, live_server, "leader", "pw-leader")

    expect(page.locator("#overview")).to_contain_text("Organisation overview")
    page.get_by_role("link", name="Open the organisation overview").click()

    expect(page.get_by_role("heading", name="Organisation overview", level=1)).to_be_visible()
    row = page.locator("tr", has=page.get_by_role("link", name="Core platform"))
    expect(row).to_contain_text("In trouble")
    expect(row).to_contain_text("1 red project")
    expect(row).to_contain_text("1 escalated risk")
    expect(page.locator("tr", has=page.get_by_role("link", name="Growth", exact=True))).to_contain_text("On track")
    charts = page.locator("svg.chart")
    assert charts.count() >= 2
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.locator("title").first.text_content().strip()
        assert chart.locator("desc").first.text_content().strip()
        labelled = chart.get_attribute("aria-labelledby").split()
        assert len(labelled) == 2
    expect(page.locator("table.dash-table")).to_have_count(1)

    page.locator("#red-projects").locator("..").get_by_role("link", name="SSO and SCIM").click()
    expect(page.get_by_role("heading", name="SSO and SCIM", level=1)).to_be_visible()
    page.get_by_role("link", name="(register)").click()
    expect(page.get_by_role("link", name="Identity provider certification slips")).to_be_visible()


def test_the_portfolio_dashboard_draws_its_timeline_heat_map_and_utilisation(page, live_server, leader):
    today = datetime.date.today()
    program = ProgramFactory(name="Enterprise readiness", portfolio=PortfolioFactory(name="Core platform"))
    ProjectFactory(
        name="SSO and SCIM",
        program=program,
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
    )
    sign_in(page, live_server, "leader", "pw-leader")

    page.goto(f"{live_server.url}/portfolios/{program.portfolio_id}/")
    page.locator("#content").get_by_role("link", name="Dashboard", exact=True).click()

    for title in ("Project timeline", "Risk heat map", "Utilisation by function per month"):
        expect(page.locator("svg.chart title", has_text=title)).to_have_count(1)
    expect(page.locator("#projects").locator("..")).to_contain_text("SSO and SCIM")
