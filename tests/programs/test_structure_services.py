"""Writing portfolios, programs and projects through the services: who may, and what a refusal leaves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from portfolio.core.exceptions import Conflict
from programs import selectors, services
from programs.models import Portfolio, Program, Project
from tests.core.factories import UserFactory
from tests.programs.factories import (
    AllocationFactory,
    CostEntryFactory,
    MilestoneFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
    StatusReportFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    """Owns the portfolio, in no role group (leadership, which only reads, is tried on its own)."""
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


PROJECT_DATA = {"name": "Ledger", "start_date": datetime.date(2026, 2, 1), "end_date": datetime.date(2026, 9, 30)}


# --- Creating -----------------------------------------------------------------------------------------


def test_a_program_manager_creates_a_portfolio_they_own(program_manager):
    portfolio = services.portfolio_create(
        user=program_manager, data={"name": "Growth", "fiscal_year": 2027, "budget": Decimal("500000")}
    )

    assert (portfolio.owner, portfolio.version, portfolio.archived_at) == (program_manager, 1, None)
    assert portfolio.history.count() == 1


def test_leadership_may_not_create_a_portfolio(leader):
    with pytest.raises(PermissionDenied):
        services.portfolio_create(user=leader, data={"name": "Growth", "fiscal_year": 2027})

    assert not Portfolio.objects.exists()


def test_a_program_manager_creates_a_project_in_their_program_and_manages_it(program, program_manager):
    project = services.project_create(user=program_manager, program=program, data=PROJECT_DATA)

    assert (project.program, project.manager, project.version) == (program, program_manager, 1)


def test_a_program_manager_may_not_create_a_project_in_another_managers_program(portfolio, program_manager):
    foreign = ProgramFactory(portfolio=portfolio)

    with pytest.raises(PermissionDenied):
        services.project_create(user=program_manager, program=foreign, data=PROJECT_DATA)

    assert not Project.objects.exists()


def test_a_project_ending_before_it_starts_is_refused_with_a_field_message(program, program_manager):
    data = {**PROJECT_DATA, "end_date": datetime.date(2026, 1, 1)}

    with pytest.raises(ValidationError) as refused:
        services.project_create(user=program_manager, program=program, data=data)

    assert "end_date" in refused.value.message_dict
    assert not Project.objects.exists()


def test_a_negative_program_budget_is_refused(portfolio, owner):
    with pytest.raises(ValidationError) as refused:
        services.program_create(user=owner, portfolio=portfolio, data={"name": "Data", "budget": Decimal("-1")})

    assert "budget" in refused.value.message_dict
    assert not Program.objects.exists()


def test_the_portfolio_owner_creates_a_program_managed_by_someone_they_name(portfolio, owner, program_manager):
    program = services.program_create(
        user=owner, portfolio=portfolio, data={"name": "Data", "manager": program_manager}
    )

    assert program.manager == program_manager


# --- Editing ------------------------------------------------------------------------------------------


def test_a_program_manager_edits_their_program_and_its_version_moves_on(program, program_manager):
    program = services.program_update(user=program_manager, program=program, version=1, data={"status": "on-hold"})

    assert (program.status, program.version) == ("on-hold", 2)
    assert program.history.count() == 2


def test_a_stale_version_is_a_conflict_and_changes_nothing(project, program_manager):
    before = rows(Project)

    with pytest.raises(Conflict):
        services.project_update(user=program_manager, project=project, version=7, data={"name": "Renamed"})

    assert rows(Project) == before


def test_leadership_only_reads_even_the_portfolio_it_owns(portfolio, leader):
    Portfolio.objects.update(owner=leader)
    portfolio.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.portfolio_update(user=leader, portfolio=portfolio, version=1, data={"name": "Renamed"})

    assert Portfolio.objects.get().name == "Core Platform"


def test_a_program_manager_may_not_move_a_project_to_another_managers_program(project, portfolio, program_manager):
    foreign = ProgramFactory(portfolio=portfolio)

    with pytest.raises(ValidationError) as refused:
        services.project_update(user=program_manager, project=project, version=1, data={"program": foreign})

    assert "program" in refused.value.message_dict
    assert Project.objects.get().program_id == project.program_id


def test_a_program_manager_may_not_edit_another_managers_project(portfolio, program_manager):
    foreign = ProjectFactory(program=ProgramFactory(portfolio=portfolio))

    with pytest.raises(PermissionDenied):
        services.project_update(user=program_manager, project=foreign, version=1, data={"name": "Mine"})


def test_an_outsider_may_not_edit_a_project(project, outsider):
    with pytest.raises(PermissionDenied):
        services.project_update(user=outsider, project=project, version=1, data={"name": "Mine"})


# --- Archiving and restoring ----------------------------------------------------------------------------


def test_an_archived_project_keeps_everything_and_comes_back_on_restore(project, program_manager):
    MilestoneFactory(project=project)

    archived_at = services.project_archive(user=program_manager, project=project).archived_at
    again = services.project_archive(user=program_manager, project=project)

    assert archived_at is not None and (again.archived_at, again.version) == (archived_at, 2)
    restored = services.project_restore(user=program_manager, project=again)
    assert restored.archived_at is None and restored.version == 3
    assert project.milestones.count() == 1


def test_archiving_a_portfolio_takes_its_programs_and_projects_along(portfolio, program, project, owner):
    services.portfolio_archive(user=owner, portfolio=portfolio)

    stamps = {
        Portfolio.objects.get().archived_at,
        Program.objects.get().archived_at,
        Project.objects.get().archived_at,
    }
    assert len(stamps) == 1 and None not in stamps


def test_restoring_brings_back_what_was_archived_with_it_and_not_what_was_archived_before(
    portfolio, program, project, owner
):
    earlier = ProjectFactory(program=program, name="Retired")
    services.project_archive(user=owner, project=earlier)
    services.program_archive(user=owner, program=program)

    services.program_restore(user=owner, program=Program.objects.get())

    assert Program.objects.get().archived_at is None
    assert Project.objects.get(pk=project.pk).archived_at is None
    assert Project.objects.get(pk=earlier.pk).archived_at is not None  # archived on its own, stays so
    assert Project.objects.get(pk=project.pk).history.count() == 3  # created, archived, restored


def test_an_outsider_may_not_archive_a_program(program, outsider):
    with pytest.raises(PermissionDenied):
        services.program_archive(user=outsider, program=program)

    assert Program.objects.get().archived_at is None


# --- Deleting -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "named"),
    [
        (MilestoneFactory, "1 milestone"),
        (CostEntryFactory, "1 cost entry"),
        (StatusReportFactory, "1 status report"),
        (AllocationFactory, "1 allocation"),
    ],
)
def test_deleting_a_project_with_work_on_it_is_refused_naming_it_and_offering_archiving(
    project, program_manager, child, named
):
    child(project=project)
    before = rows(Project)

    with pytest.raises(ValidationError) as refused:
        services.project_delete(user=program_manager, project=project)

    assert named in refused.value.messages[0] and "Archive it instead" in refused.value.messages[0]
    assert rows(Project) == before


def test_an_empty_project_is_deleted_by_its_programs_manager(project, program_manager):
    services.project_delete(user=program_manager, project=project)

    assert not Project.objects.exists()


def test_deleting_a_program_with_projects_is_refused(program, project, owner):
    with pytest.raises(ValidationError) as refused:
        services.program_delete(user=owner, program=program)

    assert "1 project" in refused.value.messages[0]
    assert Program.objects.filter(pk=program.pk).exists()


def test_deleting_a_portfolio_with_programs_is_refused_and_an_empty_one_goes(portfolio, program, superuser):
    with pytest.raises(ValidationError) as refused:
        services.portfolio_delete(user=superuser, portfolio=portfolio)
    empty = PortfolioFactory()
    services.portfolio_delete(user=superuser, portfolio=empty)

    assert "1 program" in refused.value.messages[0]
    assert list(Portfolio.objects.all()) == [portfolio]


def test_a_program_manager_may_not_delete_their_program_only_the_portfolio_owner_may(program, program_manager):
    with pytest.raises(PermissionDenied):
        services.program_delete(user=program_manager, program=program)


def test_the_blockers_of_a_project_count_each_kind_of_child(project):
    MilestoneFactory.create_batch(2, project=project)
    CostEntryFactory(project=project)

    assert sorted(selectors.delete_blockers(obj=project)) == [("cost entry", 1), ("milestones", 2)]
