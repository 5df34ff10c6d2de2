"""The status report API: draft from live data, edit a draft, publish it, delete a draft; published ones frozen."""

import datetime

import pytest

from programs.models import StatusReport
from tests.programs.factories import ProgramFactory, ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/status-reports/"


@pytest.fixture
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager))


@pytest.fixture
def client(api_as, program_manager):
    return api_as(program_manager)


def draft(client, project, **extra):
    return client.post(f"{API}draft/", {"project": project.pk, "period_end": "2026-06-19", **extra}, format="json")


def test_drafting_answers_201_with_the_draft_and_200_with_the_existing_one(client, project):
    first = draft(client, project)

    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "draft" and body["published_at"] is None and body["version"] == 1
    assert set(body["live_data"]["rag"]) == {"overall", "schedule", "budget", "scope", "risks"}
    again = draft(client, project)
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_drafting_without_a_period_drafts_todays(client, project):
    response = client.post(f"{API}draft/", {"project": project.pk}, format="json")

    assert response.status_code == 201
    assert response.json()["period_end"] == datetime.date.today().isoformat()


def test_drafting_for_an_unknown_project_is_a_400_with_the_field(client):
    response = client.post(f"{API}draft/", {"project": 999999}, format="json")

    assert response.status_code == 400
    assert "project" in response.json()["errors"]


def test_drafting_for_a_period_with_a_published_report_is_a_400_on_period_end(client, project):
    StatusReportFactory(
        project=project, period_end=datetime.date(2026, 6, 19), status="published", published_at="2026-06-19T16:00Z"
    )

    response = draft(client, project)

    assert response.status_code == 400
    assert "period_end" in response.json()["errors"]


@pytest.mark.parametrize("who", ["leader", "outsider"])
def test_leadership_and_outsiders_cannot_draft(api_as, request, project, who):
    response = draft(api_as(request.getfixturevalue(who)), project)

    assert response.status_code == 403
    assert not StatusReport.objects.exists()


def test_a_draft_is_patched_with_its_version_and_a_stale_one_is_a_409(client, project):
    report = draft(client, project).json()

    edited = client.patch(f"{API}{report['id']}/", {"summary": "Recovering.", "version": 1}, format="json")
    stale = client.patch(f"{API}{report['id']}/", {"summary": "Lost.", "version": 1}, format="json")

    assert edited.status_code == 200 and edited.json()["summary"] == "Recovering."
    assert stale.status_code == 409
    assert stale.json()["current"]["summary"] == "Recovering."


def test_a_patch_with_a_bad_colour_is_a_400_with_the_field(client, project):
    report = draft(client, project).json()

    response = client.patch(f"{API}{report['id']}/", {"overall": "blue", "version": 1}, format="json")

    assert response.status_code == 400
    assert "overall" in response.json()["errors"]


def test_publishing_freezes_the_report(client, project):
    report = draft(client, project).json()

    published = client.post(f"{API}{report['id']}/publish/", {"version": 1}, format="json")

    assert published.status_code == 200
    assert published.json()["status"] == "published" and published.json()["published_at"]
    edit = client.patch(f"{API}{report['id']}/", {"summary": "x", "version": 2}, format="json")
    assert edit.status_code == 400
    assert "published" in edit.json()["detail"]
    assert client.delete(f"{API}{report['id']}/").status_code == 400
    again = client.post(f"{API}{report['id']}/publish/", {"version": 2}, format="json")
    assert again.status_code == 200 and again.json()["published_at"] == published.json()["published_at"]


def test_a_draft_is_deleted(client, project):
    report = draft(client, project).json()

    assert client.delete(f"{API}{report['id']}/").status_code == 204
    assert not StatusReport.objects.exists()


def test_leadership_cannot_patch_publish_or_delete_a_draft(api_as, client, leader, project):
    report = draft(client, project).json()
    as_leader = api_as(leader)

    assert as_leader.patch(f"{API}{report['id']}/", {"summary": "x", "version": 1}, format="json").status_code == 403
    assert as_leader.post(f"{API}{report['id']}/publish/", {"version": 1}, format="json").status_code == 403
    assert as_leader.delete(f"{API}{report['id']}/").status_code == 403


def test_reports_filter_on_status_and_project_and_order_by_period(api_as, member, project):
    StatusReportFactory(project=project, period_end=datetime.date(2026, 5, 1))
    published = StatusReportFactory(
        project=project, period_end=datetime.date(2026, 6, 1), status="published", published_at="2026-06-01T16:00Z"
    )
    StatusReportFactory(period_end=datetime.date(2026, 6, 5))
    client = api_as(member)

    by_status = client.get(API, {"status": "published"}).json()["results"]
    by_project = client.get(API, {"project": project.pk, "ordering": "period_end"}).json()["results"]

    assert [r["id"] for r in by_status] == [published.pk]
    assert [r["period_end"] for r in by_project] == ["2026-05-01", "2026-06-01"]


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_reads_a_fixed_number_of_queries(api_as, member, django_assert_num_queries, count):
    StatusReportFactory.create_batch(count)
    client = api_as(member)

    with django_assert_num_queries(2):
        assert client.get(API).status_code == 200
