"""A program manager drafts a project's status report from live data, edits it, publishes it; then it is frozen."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import StatusReport
from tests.e2e.crawler import Crawl
from tests.programs.factories import MilestoneFactory, ProgramFactory, ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def late_project(program_manager):
    today = timezone.localdate()
    project = ProjectFactory(
        name="Checkout rebuild",
        program=ProgramFactory(manager=program_manager),
        start_date=today - datetime.timedelta(days=120),
        end_date=today + datetime.timedelta(days=120),
    )
    StatusReportFactory(project=project, period_end=today - datetime.timedelta(days=7), status="published")
    MilestoneFactory(project=project, name="Payments beta", is_key=True, due_date=today - datetime.timedelta(days=3))
    return project


def test_a_program_manager_drafts_edits_and_publishes_a_report_which_is_then_frozen(page, live_server, late_project):
    sign_in(page, live_server, "pgm", "pw-pgm")
    page.goto(f"{live_server.url}/projects/{late_project.pk}/status-reports/")

    page.get_by_role("button", name="Draft from live data").click()

    # The edit page: the colours proposed from live data, with why.
    expect(page.get_by_role("heading", name="The colours proposed, and why")).to_be_visible()
    expect(page.get_by_text("A key milestone is 3 days late.")).to_be_visible()
    expect(page.locator("#id_schedule")).to_have_value("amber")
    page.fill("#id_summary", "Payments beta slipped; recovery plan agreed with the payments team.")
    page.select_option("#id_scope", "amber")
    page.get_by_role("button", name="Save the draft").click()

    expect(page.get_by_text("The draft is saved.")).to_be_visible()
    expect(page.get_by_text("Payments beta slipped; recovery plan agreed")).to_be_visible()
    page.get_by_role("link", name="Publish").click()
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_text("The report is published.")).to_be_visible()
    expect(page.get_by_text("Frozen: it can no longer be changed.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    report = StatusReport.objects.get(project=late_project, status="published", period_end=timezone.localdate())
    assert report.scope == "amber" and report.published_at is not None

    page.goto(f"{live_server.url}/projects/{late_project.pk}/status-reports/{report.pk}/edit/")
    expect(page.get_by_text("This report is published and can no longer be changed.")).to_be_visible()


def test_the_status_report_pages_are_sound_for_their_editor_and_a_reader(page, live_server, late_project, leader):
    """The crawler's checks (console, CSP, links, document) over the report pages, for the editor and leadership."""
    report = StatusReport.objects.get(project=late_project)
    for username in ("pgm", "leader"):
        sign_in(page, live_server, username, f"pw-{username}")
        crawl = Crawl(page=page, base_url=live_server.url, max_pages=12, per_shape=2)
        crawl.run(f"/projects/{late_project.pk}/status-reports/{report.pk}/")
        assert not crawl.problem_lines(), crawl.problem_lines()
        page.context.clear_cookies()
