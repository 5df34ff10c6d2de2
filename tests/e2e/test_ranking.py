"""The ranking in the browser: a program manager opens the Core Platform portfolio's ranking, sees where the
budget runs out, and switches to WSJF (the line moves)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.core.factories import ObjectiveFactory
from tests.programs.factories import PortfolioFactory, ProgramFactory, ProjectFactory, ProjectObjectiveFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_program_manager_sees_the_cut_line_and_switches_to_wsjf(page, live_server, program_manager):
    portfolio = PortfolioFactory(name="Core Platform", owner=program_manager, budget=Decimal("200000"))
    program = ProgramFactory(portfolio=portfolio, name="Reliability", manager=program_manager)
    # Strategic score: Failover 5 × 3 = 15, Residency 0. WSJF: Failover (3 + 1 + 1) / 9 = 0.56, Residency 12.
    failover = ProjectFactory(program=program, name="Failover", budget=Decimal("150000"), job_size=9, business_value=3)
    ProjectObjectiveFactory(project=failover, objective=ObjectiveFactory(weight=5), contribution=3)
    ProjectFactory(
        program=program,
        name="Residency",
        budget=Decimal("100000"),
        business_value=8,
        time_criticality=8,
        risk_reduction=8,
        job_size=2,
    )
    sign_in(page, live_server, "pgm", "pw-pgm")

    page.goto(f"{live_server.url}/portfolios/{portfolio.pk}/ranking/")

    expect(page.get_by_role("heading", name="Ranking of Core Platform")).to_be_visible()
    rows = page.locator("table.ranking tbody tr")
    expect(rows.nth(0)).to_contain_text("Failover")
    expect(rows.nth(1)).to_contain_text("Budget of €200,000 runs out here")
    expect(rows.nth(2)).to_contain_text("Residency")
    expect(rows.nth(2)).to_contain_text("Below the line")

    page.get_by_role("link", name="By WSJF").click()

    expect(page.get_by_text("By WSJF", exact=True)).to_have_attribute("aria-current", "true")
    expect(rows.nth(0)).to_contain_text("Residency")
    expect(rows.nth(1)).to_contain_text("runs out here")
    expect(rows.nth(2)).to_contain_text("Failover")
