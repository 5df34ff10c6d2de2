"""The status report pages: the list, a report, drafting from live data, editing, publishing and deleting."""

import datetime

import pytest

from programs.models import StatusReport
from tests.programs.factories import MilestoneFactory, ProgramFactory, ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager), name="Atlas")


def url(project, report=None, action=""):
    base = f"/projects/{project.pk}/status-reports/"
    return base if report is None else f"{base}{report.pk}/{action}"


def test_the_list_shows_reports_newest_first_with_their_colours_in_words(client, program_manager, project):
    StatusReportFactory(project=project, period_end=datetime.date(2026, 5, 1), overall="green")
    StatusReportFactory(project=project, period_end=datetime.date(2026, 6, 1), overall="red", status="published")
    client.force_login(program_manager)

    page = client.get(url(project)).content.decode()

    assert page.index("1 Jun 2026") < page.index("1 May 2026")
    assert '<span class="badge red">Red</span>' in page
    assert "Draft from live data" in page


@pytest.mark.parametrize("who", ["leader", "outsider"])
def test_leadership_and_outsiders_read_without_the_controls(client, request, project, who):
    report = StatusReportFactory(project=project)
    client.force_login(request.getfixturevalue(who))

    assert "Draft from live data" not in client.get(url(project)).content.decode()
    assert ">Edit<" not in client.get(url(project, report)).content.decode()
    assert client.post(f"{url(project)}draft/").status_code == 403
    assert client.post(url(project, report, "edit/"), {"summary": "x"}).status_code == 403
    assert client.post(url(project, report, "publish/")).status_code == 403
    assert client.post(url(project, report, "delete/")).status_code == 403
    assert StatusReport.objects.get().summary == report.summary


def test_drafting_from_live_data_opens_the_draft_with_the_proposed_colours_and_why(client, program_manager, project):
    MilestoneFactory(
        project=project, name="Beta", is_key=True, due_date=datetime.date.today() - datetime.timedelta(days=20)
    )
    client.force_login(program_manager)

    response = client.post(f"{url(project)}draft/", follow=True)

    report = StatusReport.objects.get()
    assert response.redirect_chain[-1][0] == url(project, report, "edit/")
    page = response.content.decode()
    assert "A key milestone is 20 days late." in page
    assert "Red if a key milestone is late by more than 14 days" in page
    assert "Beta (key): due date passed" in page or "Beta (key)" in page


def test_a_draft_is_edited_and_an_invalid_edit_is_a_400_with_the_errors(client, program_manager, project):
    report = StatusReportFactory(project=project, period_end=datetime.date(2026, 6, 19))
    client.force_login(program_manager)
    form = {
        "period_end": "2026-06-19",
        "overall": "amber",
        "schedule": "amber",
        "budget": "green",
        "scope": "green",
        "summary": "Recovering the beta.",
        "version": report.version,
    }

    bad = client.post(url(project, report, "edit/"), {**form, "overall": "blue"})
    good = client.post(url(project, report, "edit/"), form)

    assert bad.status_code == 400
    assert good.status_code == 302
    assert StatusReport.objects.get().summary == "Recovering the beta."


def test_a_second_report_for_the_same_period_is_a_400_on_the_period(client, program_manager, project):
    StatusReportFactory(project=project, period_end=datetime.date(2026, 6, 12))
    report = StatusReportFactory(project=project, period_end=datetime.date(2026, 6, 19))
    client.force_login(program_manager)

    response = client.post(
        url(project, report, "edit/"),
        {
            "period_end": "2026-06-12",
            "overall": "green",
            "schedule": "green",
            "budget": "green",
            "scope": "green",
            "summary": "x",
            "version": report.version,
        },
    )

    assert response.status_code == 400
    assert "already has a status report for this period" in response.content.decode()


def test_publishing_freezes_the_report(client, program_manager, project):
    report = StatusReportFactory(project=project)
    client.force_login(program_manager)

    assert client.get(url(project, report, "publish/")).status_code == 200
    assert client.post(url(project, report, "publish/"), {"version": report.version}).status_code == 302

    report.refresh_from_db()
    assert report.is_published and report.published_at
    page = client.get(url(project, report)).content.decode()
    assert "Frozen" in page and ">Edit<" not in page
    assert client.get(url(project, report, "edit/")).status_code == 302
    assert client.post(url(project, report, "delete/")).status_code == 302
    assert StatusReport.objects.filter(pk=report.pk).exists()


def test_a_draft_is_deleted_after_confirming(client, program_manager, project):
    report = StatusReportFactory(project=project)
    client.force_login(program_manager)

    assert client.get(url(project, report, "delete/")).status_code == 200
    assert client.post(url(project, report, "delete/")).status_code == 302
    assert not StatusReport.objects.exists()


def test_a_report_of_another_project_is_a_404(client, program_manager, project):
    other = StatusReportFactory()
    client.force_login(program_manager)

    assert client.get(url(project, other)).status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_reads_a_fixed_number_of_queries(client, member, project, django_assert_num_queries, count):
    for n in range(count):
        StatusReportFactory(project=project, period_end=datetime.date(2020, 1, 3) + datetime.timedelta(weeks=n))
    client.force_login(member)
    client.get(url(project))  # warm the session

    with django_assert_num_queries(QUERIES):
        assert client.get(url(project)).status_code == 200


QUERIES = 8  # session, user, messages, the project, the rules, the reports


def test_a_report_page_reads_a_fixed_number_of_queries(client, member, project, django_assert_num_queries):
    report = StatusReportFactory(project=project)
    client.force_login(member)
    client.get(url(project, report))

    with django_assert_num_queries(QUERIES):
        assert client.get(url(project, report)).status_code == 200


def test_an_edit_of_a_stale_version_is_a_409_that_keeps_the_other_change(client, program_manager, project):
    report = StatusReportFactory(project=project, period_end=datetime.date(2026, 6, 19), summary="Theirs.")
    StatusReport.objects.filter(pk=report.pk).update(version=2)
    client.force_login(program_manager)
    form = {"period_end": "2026-06-19", "overall": "green", "schedule": "green", "budget": "green", "scope": "green"}

    response = client.post(url(project, report, "edit/"), {**form, "summary": "Mine.", "version": 1})

    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert StatusReport.objects.get().summary == "Theirs."
