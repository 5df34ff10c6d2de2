"""A program manager's risk journey in the browser: log a risk (probability 4, impact 5) from the project page, see
it critical and escalated and in its cell of the heat map, add a mitigation action, lower its residual scores, and
see it move on the residual map."""

import pytest
from playwright.sync_api import expect

from risks.models import MitigationAction, Risk
from tests.programs.factories import ProgramFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def cell(page, probability, impact):
    return page.locator(f"td[data-probability='{probability}'][data-impact='{impact}']")


def test_a_program_manager_logs_a_risk_and_sees_it_move_on_the_residual_map(page, live_server, program_manager):
    project = ProjectFactory(program=ProgramFactory(manager=program_manager), name="SSO and SCIM")
    sign_in(page, live_server, "pgm", "pw-pgm")

    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="(log a risk)").click()
    page.get_by_label("Title").fill("Identity provider certification slips")
    page.get_by_label("Category").select_option("vendor")
    page.get_by_label("Probability", exact=True).select_option("4")
    page.get_by_label("Impact", exact=True).select_option("5")
    page.get_by_role("button", name="Log the risk").click()

    expect(page.locator("#inherent-score")).to_contain_text("20 · Critical")
    expect(page.locator("#escalated")).to_contain_text("Escalated")
    risk = Risk.objects.get()
    assert (risk.project_id, risk.score) == (project.pk, 20)

    page.goto(f"{live_server.url}/risks/heatmap/?project={project.pk}")
    expect(cell(page, 4, 5)).to_contain_text("1")
    expect(cell(page, 4, 5)).to_contain_text("Critical")
    cell(page, 4, 5).get_by_role("link").click()
    expect(page.get_by_role("link", name="Identity provider certification slips")).to_be_visible()
    page.get_by_role("link", name="Identity provider certification slips").click()

    page.get_by_role("textbox", name="Action").fill("Book a certification slot")
    page.get_by_label("Due", exact=True).fill("2026-01-15")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("row", name="Book a certification slot")).to_be_visible()
    assert MitigationAction.objects.filter(risk=risk).count() == 1

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Residual probability").select_option("2")
    page.get_by_label("Residual impact").select_option("3")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#residual-score")).to_contain_text("6 · Medium")

    page.goto(f"{live_server.url}/risks/heatmap/?project={project.pk}")
    page.get_by_role("link", name="Residual").click()
    expect(page.locator("table.heatmap")).to_have_attribute("data-residual", "true")
    expect(cell(page, 2, 3)).to_contain_text("1")
    expect(cell(page, 4, 5)).to_have_attribute("data-count", "0")
