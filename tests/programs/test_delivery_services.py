"""The delivery services: milestones, dependencies (no self-links, no duplicates, no cycle of "blocks", under a
lock), cost entries and a project's objectives; who may write them, and refusals that change nothing."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection

from portfolio.core.exceptions import Conflict
from programs import services
from programs.models import CostEntry, Dependency, Milestone, ProjectObjective
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


@pytest.fixture
def program(program_manager):
    return ProgramFactory(manager=program_manager)


@pytest.fixture
def project(program):
    return ProjectFactory(program=program, name="Launch")


def blocks(source, target):
    return DependencyFactory(from_project=source, to_project=target, kind=Dependency.Kind.BLOCKS)


# --- Milestones -----------------------------------------------------------------------------------------------


def test_the_program_manager_adds_a_milestone_to_a_project_of_their_program(program_manager, project):
    milestone = services.milestone_create(
        user=program_manager, project=project, data={"name": "Beta", "due_date": datetime.date(2026, 5, 1)}
    )
    assert (milestone.project, milestone.name, milestone.version, milestone.completed_on) == (project, "Beta", 1, None)
    assert milestone.history.get().history_user == program_manager


def test_a_stale_version_of_a_milestone_is_a_conflict_and_changes_nothing(program_manager, project):
    milestone = MilestoneFactory(project=project, name="Beta")
    services.milestone_update(user=program_manager, milestone=milestone, version=1, data={"name": "Beta 1"})
    with pytest.raises(Conflict):
        services.milestone_update(user=program_manager, milestone=milestone, version=1, data={"name": "Beta 2"})
    assert Milestone.objects.get(pk=milestone.pk).name == "Beta 1"


@time_machine.travel("2026-07-10 12:00")
def test_completing_a_milestone_dates_it_today_and_reopening_clears_the_date(program_manager, project):
    milestone = MilestoneFactory(project=project)
    services.milestone_complete(user=program_manager, milestone=milestone, version=1)
    assert Milestone.objects.get(pk=milestone.pk).completed_on == datetime.date(2026, 7, 10)
    services.milestone_reopen(user=program_manager, milestone=milestone, version=2)
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None


def test_the_program_manager_deletes_a_milestone(program_manager, project):
    milestone = MilestoneFactory(project=project)
    services.milestone_delete(user=program_manager, milestone=milestone)
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("who", ["leader", "outsider", "other_manager"])
def test_only_the_projects_editors_write_its_milestones(request, who, project, django_user_model):
    user = ProgramFactory().manager if who == "other_manager" else request.getfixturevalue(who)
    milestone = MilestoneFactory(project=project, name="Beta")
    with pytest.raises(PermissionDenied):
        services.milestone_create(user=user, project=project, data={"name": "X", "due_date": datetime.date(2026, 1, 2)})
    with pytest.raises(PermissionDenied):
        services.milestone_update(user=user, milestone=milestone, version=1, data={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.milestone_delete(user=user, milestone=milestone)
    assert list(Milestone.objects.values_list("name", "version")) == [("Beta", 1)]


def test_the_projects_own_manager_writes_its_milestones(project):
    milestone = services.milestone_create(
        user=project.manager, project=project, data={"name": "Go live", "due_date": datetime.date(2026, 9, 1)}
    )
    services.milestone_complete(user=project.manager, milestone=milestone, version=1)


# --- Dependencies ---------------------------------------------------------------------------------------------


def test_a_blocks_dependency_that_closes_a_cycle_is_refused_naming_the_cycle(program_manager, project, program):
    pilot = ProjectFactory(program=program, name="Pilot")
    blocks(pilot, project)
    with pytest.raises(ValidationError) as refused:
        services.dependency_add(user=program_manager, from_project=project, to_project=pilot)
    assert refused.value.message_dict == {
        "to_project": ["This would close a cycle of projects that block each other: Launch → Pilot → Launch."]
    }
    assert Dependency.objects.count() == 1


def test_the_cycle_named_is_the_shortest_way_back_through_other_projects(program_manager, project, program):
    pilot, rollout, training = (ProjectFactory(program=program, name=name) for name in ("Pilot", "Rollout", "Training"))
    blocks(pilot, rollout)
    blocks(rollout, project)
    blocks(pilot, training)
    blocks(training, rollout)
    with pytest.raises(ValidationError, match="Launch → Pilot → Rollout → Launch"):
        services.dependency_add(user=program_manager, from_project=project, to_project=pilot)


def test_a_relates_link_never_closes_a_cycle_and_blocks_without_one_are_added(program_manager, project, program):
    pilot, rollout = ProjectFactory(program=program, name="Pilot"), ProjectFactory(program=program, name="Rollout")
    blocks(pilot, rollout)
    DependencyFactory(from_project=rollout, to_project=project, kind=Dependency.Kind.RELATES)
    added = services.dependency_add(user=program_manager, from_project=project, to_project=pilot, note="Needs data")
    assert (added.kind, added.note) == ("blocks", "Needs data")


def test_a_project_cannot_depend_on_itself(program_manager, project):
    with pytest.raises(ValidationError) as refused:
        services.dependency_add(user=program_manager, from_project=project, to_project=project)
    assert refused.value.message_dict == {"to_project": ["A project cannot depend on itself."]}
    assert not Dependency.objects.exists()


@pytest.mark.parametrize("reverse", [False, True])
def test_two_projects_are_linked_once_whichever_the_direction(program_manager, project, program, reverse):
    other = ProjectFactory(program=program)
    DependencyFactory(
        from_project=other if reverse else project, to_project=project if reverse else other, kind="relates"
    )
    with pytest.raises(ValidationError) as refused:
        services.dependency_add(user=program_manager, from_project=project, to_project=other, kind="relates")
    assert refused.value.message_dict == {"to_project": ["These two projects are already linked."]}
    assert Dependency.objects.count() == 1


def test_a_dependency_is_added_and_removed_by_the_editors_of_the_project_it_starts_from(program_manager, project):
    foreign = ProjectFactory()
    dependency = services.dependency_add(user=program_manager, from_project=project, to_project=foreign)
    with pytest.raises(PermissionDenied):
        services.dependency_add(user=program_manager, from_project=foreign, to_project=ProjectFactory())
    services.dependency_remove(user=program_manager, dependency=dependency)
    assert not Dependency.objects.exists()


def test_leadership_neither_adds_nor_removes_dependencies(leader, project, program):
    other = ProjectFactory(program=program)
    dependency = blocks(project, other)
    with pytest.raises(PermissionDenied):
        services.dependency_add(user=leader, from_project=other, to_project=project, kind="relates")
    with pytest.raises(PermissionDenied):
        services.dependency_remove(user=leader, dependency=dependency)
    assert Dependency.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_adds_that_together_close_a_cycle_cannot_both_succeed(program_manager):
    """Each add reads the graph only once it holds the lock, so the second sees the first's link and refuses.

    Five rounds of two simultaneous adds (A blocks B, B blocks A): without the lock both would pass the check.
    """
    program = ProgramFactory(manager=program_manager)
    for round_ in range(5):
        a = ProjectFactory(program=program, name=f"A{round_}")
        b = ProjectFactory(program=program, name=f"B{round_}")
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def add(source, target, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait(timeout=10)
                services.dependency_add(user=program_manager, from_project=source, to_project=target)
                outcomes.append("added")
            except ValidationError as error:
                outcomes.append(" ".join(error.messages))
            except (PermissionDenied, DatabaseError) as error:  # pragma: no cover - reported below
                outcomes.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=add, args=pair) for pair in ((a, b), (b, a))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert outcomes.count("added") == 1, outcomes
        assert any("This would close a cycle" in outcome for outcome in outcomes), outcomes
        assert Dependency.objects.filter(from_project__in=[a, b]).count() == 1


# --- Cost entries ---------------------------------------------------------------------------------------------


def test_the_program_manager_books_corrects_and_deletes_a_cost(program_manager, project):
    entry = services.cost_entry_create(
        user=program_manager,
        project=project,
        data={"date": datetime.date(2026, 3, 1), "amount": Decimal("1200.50"), "category": "software"},
    )
    services.cost_entry_update(user=program_manager, entry=entry, data={"amount": Decimal("0"), "note": "Refunded"})
    assert CostEntry.objects.values_list("amount", "note").get() == (Decimal("0.00"), "Refunded")
    services.cost_entry_delete(user=program_manager, entry=entry)
    assert not CostEntry.objects.exists()


def test_a_negative_amount_is_refused_and_changes_nothing(program_manager, project):
    entry = CostEntryFactory(project=project, amount=Decimal("10"))
    with pytest.raises(ValidationError) as refused:
        services.cost_entry_update(user=program_manager, entry=entry, data={"amount": Decimal("-1")})
    assert refused.value.message_dict == {"amount": ["This cannot be negative."]}
    with pytest.raises(ValidationError):
        services.cost_entry_create(
            user=program_manager, project=project, data={"date": datetime.date(2026, 3, 1), "amount": Decimal("-5")}
        )
    assert list(CostEntry.objects.values_list("amount", flat=True)) == [Decimal("10.00")]


def test_leadership_books_no_costs(leader, project):
    with pytest.raises(PermissionDenied):
        services.cost_entry_create(user=leader, project=project, data={"date": datetime.date(2026, 3, 1), "amount": 1})
    assert not CostEntry.objects.exists()


# --- A project's objectives -----------------------------------------------------------------------------------


def test_the_program_manager_aligns_a_project_to_an_objective_and_changes_its_contribution(program_manager, project):
    objective = ObjectiveFactory()
    alignment = services.project_objective_add(
        user=program_manager, project=project, objective=objective, contribution=3
    )
    services.project_objective_update(user=program_manager, alignment=alignment, contribution=1)
    assert ProjectObjective.objects.values_list("objective", "contribution").get() == (objective.pk, 1)
    services.project_objective_remove(user=program_manager, alignment=alignment)
    assert not ProjectObjective.objects.exists()


@pytest.mark.parametrize("contribution", [0, 4])
def test_a_contribution_outside_1_to_3_is_refused_and_changes_nothing(program_manager, project, contribution):
    alignment = ProjectObjectiveFactory(project=project, contribution=2)
    with pytest.raises(ValidationError) as refused:
        services.project_objective_update(user=program_manager, alignment=alignment, contribution=contribution)
    assert refused.value.message_dict == {"contribution": ["Contribution must be 1, 2 or 3."]}
    with pytest.raises(ValidationError):
        services.project_objective_add(
            user=program_manager, project=project, objective=ObjectiveFactory(), contribution=contribution
        )
    assert list(ProjectObjective.objects.values_list("contribution", flat=True)) == [2]


def test_a_project_is_aligned_to_an_objective_once(program_manager, project):
    alignment = ProjectObjectiveFactory(project=project)
    with pytest.raises(ValidationError) as refused:
        services.project_objective_add(user=program_manager, project=project, objective=alignment.objective)
    assert refused.value.message_dict == {"objective": ["The project is already aligned to this objective."]}
