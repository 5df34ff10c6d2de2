"""A program manager's delivery journey in the browser: add a milestone, mark it done, add a dependency, and see a
dependency that would close a cycle of "blocks" refused with the cycle named."""

import pytest
from playwright.sync_api import expect

from programs.models import Dependency, Milestone
from tests.programs.factories import DependencyFactory, ProgramFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_program_manager_adds_and_completes_a_milestone_and_sees_a_cycle_refused(page, live_server, program_manager):
    program = ProgramFactory(manager=program_manager)
    launch = ProjectFactory(program=program, name="Launch")
    pilot = ProjectFactory(program=program, name="Pilot")
    training = ProjectFactory(program=program, name="Training")
    DependencyFactory(from_project=pilot, to_project=launch, kind="blocks")
    sign_in(page, live_server, "pgm", "pw-pgm")

    page.goto(f"{live_server.url}/projects/{launch.pk}/milestones/")
    page.get_by_label("Name").fill("Beta")
    page.get_by_label("Due date").fill("2026-05-01")
    page.get_by_role("button", name="Add the milestone").click()
    expect(page.get_by_role("row", name="Beta")).to_be_visible()
    page.get_by_role("row", name="Beta").get_by_role("button", name="Mark done").click()
    expect(page.get_by_role("row", name="Beta")).to_contain_text("Done on")
    assert Milestone.objects.get().completed_on is not None

    page.get_by_role("link", name="Dependencies").click()
    page.get_by_label("This project").select_option("relates")
    page.get_by_label("Project", exact=True).select_option(label=training.name)
    page.get_by_role("button", name="Add the dependency").click()
    expect(page.get_by_role("listitem").filter(has_text="relates to Training")).to_be_visible()

    page.get_by_label("This project").select_option("blocks")
    page.get_by_label("Project", exact=True).select_option(label=pilot.name)
    page.get_by_role("button", name="Add the dependency").click()
    expect(page.get_by_text("Launch → Pilot → Launch")).to_be_visible()
    assert Dependency.objects.count() == 2
