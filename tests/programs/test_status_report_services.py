"""Status report writes: drafted from live data by the project's editors, edited while drafts, published, frozen."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from portfolio.core.exceptions import ApplicationError, Conflict
from programs import services
from programs.models import StatusReport
from tests.programs.factories import MilestoneFactory, ProgramFactory, ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

PERIOD = datetime.date(2026, 6, 19)


@pytest.fixture
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager))


def test_the_program_manager_drafts_a_report_prefilled_from_live_data(program_manager, project):
    MilestoneFactory(project=project, name="Beta", is_key=True, due_date=datetime.date(2026, 6, 1))

    report, created = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)

    assert created
    assert report.status == StatusReport.Status.DRAFT and report.published_at is None
    assert report.author == program_manager
    assert (report.schedule, report.overall) == ("red", "red")  # Beta is 18 days late
    assert "Recover milestone Beta" in report.next_steps
    assert report.live_data["rag"]["schedule"] == "red"
    assert report.live_data["milestones_slipped"][0]["due_date"] == "2026-06-01"


def test_drafting_again_for_the_same_period_returns_the_existing_draft(program_manager, project):
    first, _ = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)

    again, created = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)

    assert not created and again.pk == first.pk
    assert StatusReport.objects.count() == 1


def test_drafting_a_period_that_has_a_published_report_is_a_field_error(program_manager, project):
    report, _ = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)
    services.status_report_publish(user=program_manager, report=report, version=report.version)

    with pytest.raises(ValidationError) as error:
        services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)

    assert "period_end" in error.value.message_dict


@pytest.mark.parametrize("who", ["leader", "outsider", "product_manager"])
def test_only_the_projects_editors_draft_reports(request, project, who):
    with pytest.raises(PermissionDenied):
        services.status_report_draft(user=request.getfixturevalue(who), project=project, period_end=PERIOD)


def test_the_project_manager_drafts_reports_too(project):
    report, created = services.status_report_draft(user=project.manager, project=project, period_end=PERIOD)
    assert created


def test_a_draft_is_edited_with_its_version(program_manager, project):
    report, _ = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)

    report = services.status_report_update(
        user=program_manager, report=report, version=1, data={"summary": "Recovering.", "overall": "amber"}
    )

    assert (report.summary, report.overall, report.version) == ("Recovering.", "amber", 2)


def test_a_stale_version_is_a_conflict(program_manager, project):
    report, _ = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)
    services.status_report_update(user=program_manager, report=report, version=1, data={"summary": "A"})

    with pytest.raises(Conflict):
        services.status_report_update(user=program_manager, report=report, version=1, data={"summary": "B"})


def test_moving_a_draft_onto_a_period_that_has_a_report_is_a_field_error(program_manager, project):
    StatusReportFactory(project=project, period_end=datetime.date(2026, 6, 12))
    report, _ = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)

    with pytest.raises(ValidationError) as error:
        services.status_report_update(
            user=program_manager, report=report, version=1, data={"period_end": datetime.date(2026, 6, 12)}
        )

    assert error.value.message_dict["period_end"] == ["The project already has a status report for this period."]


def test_publishing_sets_the_publication_time_and_freezes_the_report(program_manager, project):
    report, _ = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)

    report = services.status_report_publish(user=program_manager, report=report, version=1)

    assert report.status == StatusReport.Status.PUBLISHED and report.published_at is not None
    with pytest.raises(ApplicationError, match="published"):
        services.status_report_update(
            user=program_manager, report=report, version=report.version, data={"summary": "x"}
        )
    assert services.status_report_publish(user=program_manager, report=report).published_at == report.published_at
    with pytest.raises(ApplicationError, match="published"):
        services.status_report_delete(user=program_manager, report=report)
    assert StatusReport.objects.get().summary == report.summary


def test_a_draft_is_deleted_by_the_projects_editors_only(program_manager, leader, project):
    report, _ = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)
    with pytest.raises(PermissionDenied):
        services.status_report_delete(user=leader, report=report)

    services.status_report_delete(user=program_manager, report=report)

    assert not StatusReport.objects.exists()


def test_leadership_cannot_edit_or_publish_a_draft(program_manager, leader, project):
    report, _ = services.status_report_draft(user=program_manager, project=project, period_end=PERIOD)

    with pytest.raises(PermissionDenied):
        services.status_report_update(user=leader, report=report, version=1, data={"summary": "x"})
    with pytest.raises(PermissionDenied):
        services.status_report_publish(user=leader, report=report)


def test_the_database_refuses_a_published_report_without_its_publication_time(project):
    report = StatusReportFactory(project=project)
    report.status = StatusReport.Status.PUBLISHED

    with pytest.raises(ValidationError, match="publication time"):
        report.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.filter(pk=report.pk).update(status="published")


def test_the_database_refuses_a_draft_with_a_publication_time(project):
    report = StatusReportFactory(project=project)

    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.filter(pk=report.pk).update(
            published_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
        )
