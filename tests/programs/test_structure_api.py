"""Writing portfolios, programs and projects through the API: 201/200/204, 400 with field messages, 403 from the
rules, 409 for a stale version or a refused delete; archived ones leave the lists and come back on request."""

import pytest
from django.forms.models import model_to_dict

from programs.models import Portfolio, Program, Project
from tests.api import result_ids
from tests.core.factories import UserFactory
from tests.programs.factories import (
    CostEntryFactory,
    MilestoneFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def owner():
    return UserFactory(username="owner")


@pytest.fixture
def portfolio(owner):
    return PortfolioFactory(owner=owner, name="Core Platform")


@pytest.fixture
def program(portfolio, program_manager):
    return ProgramFactory(portfolio=portfolio, manager=program_manager, name="Payments")


@pytest.fixture
def project(program):
    return ProjectFactory(program=program, name="Checkout")


def rows(model) -> list[dict]:
    return [model_to_dict(row) for row in model.objects.order_by("pk")]


PROJECT_BODY = {"name": "Ledger", "start_date": "2026-02-01", "end_date": "2026-09-30", "budget": "80000.00"}


def test_a_program_manager_creates_a_project_in_their_program(api_as, program, program_manager):
    response = api_as(program_manager).post(f"{API}projects/", {**PROJECT_BODY, "program": program.pk}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["manager"] == program_manager.pk
    assert response.json()["version"] == 1 and response.json()["archived_at"] is None
    assert "health" in response.json()


def test_a_project_in_another_managers_program_is_refused_and_not_created(api_as, portfolio, program_manager):
    foreign = ProgramFactory(portfolio=portfolio)

    response = api_as(program_manager).post(f"{API}projects/", {**PROJECT_BODY, "program": foreign.pk}, format="json")

    assert response.status_code == 403
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"budget": "-5.00"}, "budget"),
        ({"name": "Led\u0000ger"}, "name"),
        ({"job_size": 0}, "job_size"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_creates_nothing(api_as, program, program_manager, change, field):
    response = api_as(program_manager).post(
        f"{API}projects/", {**PROJECT_BODY, "program": program.pk, **change}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Project.objects.exists()


def test_a_negative_portfolio_budget_is_a_400(api_as, program_manager):
    response = api_as(program_manager).post(
        f"{API}portfolios/", {"name": "Growth", "fiscal_year": 2027, "budget": "-1"}, format="json"
    )

    assert response.status_code == 400 and "budget" in response.json()["errors"]
    assert not Portfolio.objects.exists()


def test_a_program_manager_patches_their_program(api_as, program, program_manager):
    response = api_as(program_manager).patch(
        f"{API}programs/{program.pk}/", {"status": "on-hold", "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("on-hold", 2)


def test_a_stale_version_is_a_409_with_the_project_as_it_is(api_as, project, program_manager):
    before = rows(Project)

    response = api_as(program_manager).patch(
        f"{API}projects/{project.pk}/", {"name": "Renamed", "version": 3}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current"]["name"] == "Checkout"
    assert rows(Project) == before


def test_leadership_may_not_edit_a_project(api_as, project, leader):
    response = api_as(leader).patch(f"{API}projects/{project.pk}/", {"name": "Mine", "version": 1}, format="json")

    assert response.status_code == 403
    assert Project.objects.get().name == "Checkout"


def test_deleting_a_project_with_milestones_is_a_409_offering_archiving(api_as, project, program_manager):
    MilestoneFactory(project=project)

    response = api_as(program_manager).delete(f"{API}projects/{project.pk}/")

    assert response.status_code == 409
    assert "1 milestone" in response.json()["detail"] and "Archive" in response.json()["detail"]
    assert Project.objects.filter(pk=project.pk).exists()


def test_an_empty_project_is_deleted(api_as, project, program_manager):
    assert api_as(program_manager).delete(f"{API}projects/{project.pk}/").status_code == 204
    assert not Project.objects.exists()


def test_deleting_a_portfolio_with_programs_is_a_409(api_as, portfolio, program, owner):
    response = api_as(owner).delete(f"{API}portfolios/{portfolio.pk}/")

    assert response.status_code == 409 and "1 program" in response.json()["detail"]
    assert Program.objects.exists()


def test_an_archived_project_leaves_the_list_and_comes_back_on_request(api_as, project, program_manager):
    kept = ProjectFactory(program=project.program)
    CostEntryFactory(project=project)
    client = api_as(program_manager)

    archived = client.post(f"{API}projects/{project.pk}/archive/")

    assert archived.status_code == 200 and archived.json()["archived_at"]
    assert result_ids(client.get(f"{API}projects/")) == [kept.pk]
    assert result_ids(client.get(f"{API}projects/?archived=only")) == [project.pk]
    assert sorted(result_ids(client.get(f"{API}projects/?archived=true"))) == sorted([project.pk, kept.pk])
    assert client.get(f"{API}projects/{project.pk}/").status_code == 200
    restored = client.post(f"{API}projects/{project.pk}/restore/")
    assert restored.json()["archived_at"] is None
    assert sorted(result_ids(client.get(f"{API}projects/"))) == sorted([project.pk, kept.pk])


def test_archived_portfolios_and_programs_leave_their_lists(api_as, portfolio, program, owner):
    client = api_as(owner)
    client.post(f"{API}programs/{program.pk}/archive/")
    client.post(f"{API}portfolios/{portfolio.pk}/archive/")

    assert result_ids(client.get(f"{API}programs/")) == []
    assert result_ids(client.get(f"{API}portfolios/")) == []
    assert result_ids(client.get(f"{API}portfolios/?archived=only")) == [portfolio.pk]
    assert result_ids(client.get(f"{API}programs/?archived=true")) == [program.pk]


def test_an_outsider_may_not_archive_a_project(api_as, project, outsider):
    assert api_as(outsider).post(f"{API}projects/{project.pk}/archive/").status_code == 403
    assert Project.objects.get().archived_at is None
