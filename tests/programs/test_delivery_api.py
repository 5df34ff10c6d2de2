"""Writing milestones, dependencies, cost entries and a project's objectives through the API: 201/200/204, 400
with field messages (a cycle named, a negative amount, contribution 0 or 4, NUL in text), 409 for a stale
milestone, 403 for leadership; lists filtered and ordered in a fixed number of queries."""

import pytest

from programs.models import CostEntry, Dependency, Milestone, ProjectObjective
from tests.api import queries_for, result_ids
from tests.core.factories import ObjectiveFactory
from tests.programs.factories import (
    CostEntryFactory,
    DependencyFactory,
    MilestoneFactory,
    ProgramFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager), name="Launch")


def test_a_milestone_is_added_completed_and_a_stale_edit_gets_409(api_as, program_manager, project):
    client = api_as(program_manager)
    created = client.post(
        f"{API}/milestones/", {"project": project.pk, "name": "Beta", "due_date": "2026-05-01"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json() | {"id": 0} == created.json() | {"id": 0, "version": 1, "completed_on": None}
    url = f"{API}/milestones/{created.json()['id']}/"
    done = client.patch(url, {"completed_on": "2026-05-02", "version": 1}, format="json")
    assert (done.status_code, done.json()["completed_on"], done.json()["version"]) == (200, "2026-05-02", 2)
    stale = client.patch(url, {"name": "Late", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["name"] == "Beta"
    assert client.delete(url).status_code == 204
    assert not Milestone.objects.exists()


def test_a_milestone_with_nul_in_its_name_is_a_400(api_as, program_manager, project):
    response = api_as(program_manager).post(
        f"{API}/milestones/", {"project": project.pk, "name": "Be\x00ta", "due_date": "2026-05-01"}, format="json"
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not Milestone.objects.exists()


def test_a_dependency_closing_a_cycle_is_a_400_that_names_the_cycle(api_as, program_manager, project):
    pilot = ProjectFactory(program=project.program, name="Pilot")
    DependencyFactory(from_project=pilot, to_project=project, kind="blocks")
    response = api_as(program_manager).post(
        f"{API}/dependencies/", {"from_project": project.pk, "to_project": pilot.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "to_project": ["This would close a cycle of projects that block each other: Launch → Pilot → Launch."]
    }
    assert Dependency.objects.count() == 1


def test_a_dependency_on_itself_is_a_400_and_one_is_added_and_removed(api_as, program_manager, project):
    client = api_as(program_manager)
    itself = client.post(f"{API}/dependencies/", {"from_project": project.pk, "to_project": project.pk}, format="json")
    assert itself.status_code == 400
    assert itself.json()["errors"] == {"to_project": ["A project cannot depend on itself."]}
    other = ProjectFactory()
    added = client.post(
        f"{API}/dependencies/", {"from_project": project.pk, "to_project": other.pk, "kind": "relates"}, format="json"
    )
    assert (added.status_code, added.json()["kind"]) == (201, "relates")
    assert (
        client.patch(f"{API}/dependencies/{added.json()['id']}/", {"kind": "blocks"}, format="json").status_code == 405
    )
    assert client.delete(f"{API}/dependencies/{added.json()['id']}/").status_code == 204
    assert not Dependency.objects.exists()


def test_a_negative_cost_is_a_400_and_a_cost_is_booked_and_corrected(api_as, program_manager, project):
    client = api_as(program_manager)
    negative = client.post(
        f"{API}/cost-entries/", {"project": project.pk, "date": "2026-03-01", "amount": "-5"}, format="json"
    )
    assert negative.status_code == 400
    assert list(negative.json()["errors"]) == ["amount"]
    booked = client.post(
        f"{API}/cost-entries/",
        {"project": project.pk, "date": "2026-03-01", "amount": "1200.50", "category": "software"},
        format="json",
    )
    assert (booked.status_code, booked.json()["amount"]) == (201, "1200.50")
    corrected = client.patch(f"{API}/cost-entries/{booked.json()['id']}/", {"amount": "1000"}, format="json")
    assert (corrected.status_code, corrected.json()["amount"]) == (200, "1000.00")
    assert CostEntry.objects.count() == 1


@pytest.mark.parametrize("contribution", [0, 4])
def test_a_contribution_of_0_or_4_is_a_400_and_changes_nothing(api_as, program_manager, project, contribution):
    client = api_as(program_manager)
    alignment = ProjectObjectiveFactory(project=project, contribution=2)
    created = client.post(
        f"{API}/project-objectives/",
        {"project": project.pk, "objective": ObjectiveFactory().pk, "contribution": contribution},
        format="json",
    )
    changed = client.patch(f"{API}/project-objectives/{alignment.pk}/", {"contribution": contribution}, format="json")
    for response in (created, changed):
        assert response.status_code == 400
        assert response.json()["errors"] == {"contribution": ["Contribution must be 1, 2 or 3."]}
    assert list(ProjectObjective.objects.values_list("contribution", flat=True)) == [2]


def test_a_project_is_aligned_and_realigned_through_the_api(api_as, program_manager, project):
    client = api_as(program_manager)
    objective = ObjectiveFactory()
    created = client.post(
        f"{API}/project-objectives/",
        {"project": project.pk, "objective": objective.pk, "contribution": 3},
        format="json",
    )
    assert created.status_code == 201, created.json()
    twice = client.post(
        f"{API}/project-objectives/",
        {"project": project.pk, "objective": objective.pk, "contribution": 1},
        format="json",
    )
    assert twice.json()["errors"] == {"objective": ["The project is already aligned to this objective."]}
    url = f"{API}/project-objectives/{created.json()['id']}/"
    assert client.put(url, {"contribution": 1}, format="json").json()["contribution"] == 1
    assert client.delete(url).status_code == 204


def test_leadership_writes_nothing_through_the_api(api_as, leader, project):
    client = api_as(leader)
    milestone = MilestoneFactory(project=project)
    assert (
        client.post(
            f"{API}/milestones/", {"project": project.pk, "name": "X", "due_date": "2026-01-02"}, format="json"
        ).status_code
        == 403
    )
    assert client.delete(f"{API}/milestones/{milestone.pk}/").status_code == 403
    assert (
        client.post(
            f"{API}/cost-entries/", {"project": project.pk, "date": "2026-01-02", "amount": "1"}, format="json"
        ).status_code
        == 403
    )
    assert Milestone.objects.count() == 1 and not CostEntry.objects.exists()


def test_milestones_filter_by_project_and_order_by_due_date(api_as, member, project):
    late = MilestoneFactory(project=project, due_date="2026-09-01")
    early = MilestoneFactory(project=project, due_date="2026-02-01")
    MilestoneFactory()
    client = api_as(member)
    assert result_ids(client.get(f"{API}/milestones/", {"project": project.pk, "ordering": "due_date"})) == [
        early.pk,
        late.pk,
    ]
    assert result_ids(client.get(f"{API}/milestones/", {"project": project.pk, "ordering": "-due_date"})) == [
        late.pk,
        early.pk,
    ]


@pytest.mark.parametrize(
    ("collection", "make"),
    [
        ("milestones", lambda project, n: MilestoneFactory.create_batch(n, project=project)),
        ("cost-entries", lambda project, n: CostEntryFactory.create_batch(n, project=project)),
        ("project-objectives", lambda project, n: ProjectObjectiveFactory.create_batch(n, project=project)),
        (
            "dependencies",
            lambda project, n: [DependencyFactory(from_project=project, to_project=ProjectFactory()) for _ in range(n)],
        ),
    ],
)
def test_a_delivery_list_takes_as_many_queries_for_50_rows_as_for_5(api_as, member, project, collection, make):
    client = api_as(member)
    make(project, 5)
    few, _ = queries_for(client, f"{API}/{collection}/")
    make(project, 45)
    many, body = queries_for(client, f"{API}/{collection}/?page_size=50")
    assert many == few
    assert len(body["results"]) == 50
