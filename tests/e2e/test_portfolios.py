"""A program manager in the browser: from the portfolio to a program and a late project, sees why it is late,
and edits the project."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Project
from tests.programs.factories import MilestoneFactory, PortfolioFactory, ProgramFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_program_manager_finds_a_late_project_sees_why_and_edits_it(page, live_server, program_manager):
    today = timezone.localdate()
    portfolio = PortfolioFactory(name="Core Platform", owner=program_manager)
    program = ProgramFactory(portfolio=portfolio, name="Enterprise Readiness", manager=program_manager)
    project = ProjectFactory(
        program=program,
        name="SSO and SCIM",
        manager=program_manager,
        start_date=today - datetime.timedelta(days=90),
        end_date=today + datetime.timedelta(days=90),
    )
    ProjectFactory(program=program, name="SOC 2 renewal", manager=program_manager)
    MilestoneFactory(project=project, name="Pilot live", is_key=True, due_date=today - datetime.timedelta(days=20))

    sign_in(page, live_server, "pgm", "pw-pgm")
    page.get_by_role("link", name="Portfolios").first.click()
    page.get_by_role("link", name="Core Platform").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Core Platform")
    page.get_by_role("link", name="Enterprise Readiness").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enterprise Readiness")
    page.get_by_role("link", name="SSO and SCIM").click()

    expect(page.get_by_text("Health: Red")).to_be_visible()
    expect(page.get_by_text("Late: 1 milestone past due, the oldest 20 days")).to_be_visible()
    expect(page.get_by_text("20 days past due")).to_be_visible()

    page.get_by_role("link", name="Edit").click()
    page.fill("#id_end_date", (today + datetime.timedelta(days=120)).isoformat())
    page.fill("#id_description", "Pilot moved: the customer's IdP team needs two more weeks.")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_text("SSO and SCIM was saved.")).to_be_visible()
    expect(page.get_by_text("the customer's IdP team")).to_be_visible()
    saved = Project.objects.get(pk=project.pk)
    assert saved.end_date == today + datetime.timedelta(days=120) and saved.version == 2
