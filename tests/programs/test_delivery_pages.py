"""A project's delivery pages: milestones (late ones flagged), dependencies (the cycle refusal on the form), costs
(totals per category, actual against budget) and objectives; read-only for leadership; fixed query counts."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager), name="Launch")


@time_machine.travel("2026-07-10 12:00")
def test_the_milestones_page_flags_late_ones_in_text_and_marks_key_ones(client, member, project):
    MilestoneFactory(project=project, name="Beta", due_date=datetime.date(2026, 7, 1), is_key=True)
    MilestoneFactory(project=project, name="Pilot", due_date=datetime.date(2026, 6, 1), completed_on="2026-06-01")
    client.force_login(member)
    page = client.get(f"/projects/{project.pk}/milestones/").content.decode()
    assert "Late" in page and "Key" in page and "Done on" in page
    assert "Add a milestone" not in page


def test_a_program_manager_adds_completes_and_deletes_a_milestone(client, program_manager, project):
    client.force_login(program_manager)
    url = f"/projects/{project.pk}/milestones/"
    assert client.post(url, {"name": "Beta", "due_date": "2026-05-01"}).status_code == 302
    milestone = Milestone.objects.get()
    assert client.post(f"{url}{milestone.pk}/complete/", {"version": 1}).status_code == 302
    assert Milestone.objects.get().completed_on is not None
    assert client.post(f"{url}{milestone.pk}/reopen/", {"version": 2}).status_code == 302
    assert (
        client.post(f"{url}{milestone.pk}/edit/", {"name": "B", "due_date": "2026-05-02", "version": 3}).status_code
        == 302
    )
    assert client.post(f"{url}{milestone.pk}/delete/").status_code == 302
    assert not Milestone.objects.exists()


def test_an_invalid_milestone_form_is_a_400_and_saves_nothing(client, program_manager, project):
    client.force_login(program_manager)
    assert client.post(f"/projects/{project.pk}/milestones/", {"name": ""}).status_code == 400
    assert not Milestone.objects.exists()


def test_a_cycle_is_refused_on_the_form_naming_it(client, program_manager, project):
    pilot = ProjectFactory(program=project.program, name="Pilot")
    DependencyFactory(from_project=pilot, to_project=project, kind="blocks")
    client.force_login(program_manager)
    response = client.post(f"/projects/{project.pk}/dependencies/", {"kind": "blocks", "to_project": pilot.pk})
    assert response.status_code == 400
    assert "Launch → Pilot → Launch" in response.content.decode()
    assert Dependency.objects.count() == 1


def test_the_dependencies_page_shows_both_directions(client, member, project):
    pilot = ProjectFactory(program=project.program, name="Pilot")
    rollout = ProjectFactory(program=project.program, name="Rollout")
    DependencyFactory(from_project=pilot, to_project=project, kind="blocks")
    DependencyFactory(from_project=project, to_project=rollout, kind="relates")
    client.force_login(member)
    page = client.get(f"/projects/{project.pk}/dependencies/").content.decode()
    assert "Pilot</a> <strong>blocks</strong> Launch" in page
    assert "Launch <strong>relates to</strong>" in page


def test_the_costs_page_totals_per_category_and_compares_with_the_budget(client, program_manager, project):
    CostEntryFactory(project=project, category="software", amount=Decimal("100"))
    CostEntryFactory(project=project, category="software", amount=Decimal("50"))
    CostEntryFactory(project=project, category="travel", amount=Decimal("20"))
    client.force_login(program_manager)
    response = client.get(f"/projects/{project.pk}/costs/")
    totals = [(row["category"], row["total"]) for row in response.context["totals"]]
    assert totals == [("Software", Decimal("150.00")), ("Travel", Decimal("20.00"))]
    assert response.context["budget"]["actual"] == Decimal("170.00")
    negative = client.post(
        f"/projects/{project.pk}/costs/", {"date": "2026-03-01", "amount": "-1", "category": "other"}
    )
    assert negative.status_code == 400
    assert CostEntry.objects.count() == 3


def test_the_objectives_page_aligns_and_refuses_a_contribution_of_4(client, program_manager, project):
    client.force_login(program_manager)
    objective = ObjectiveFactory()
    url = f"/projects/{project.pk}/objectives/"
    assert client.post(url, {"objective": objective.pk, "contribution": 4}).status_code == 400
    assert client.post(url, {"objective": objective.pk, "contribution": 3}).status_code == 302
    alignment = ProjectObjective.objects.get()
    client.post(f"{url}{alignment.pk}/", {"contribution": 0})
    assert ProjectObjective.objects.get().contribution == 3


def test_leadership_reads_but_a_forced_post_is_403_and_changes_nothing(client, leader, project):
    client.force_login(leader)
    milestone = MilestoneFactory(project=project)
    for part in ("milestones", "dependencies", "costs", "objectives"):
        page = client.get(f"/projects/{project.pk}/{part}/")
        assert page.status_code == 200 and not page.context["may_edit"]
    assert (
        client.post(f"/projects/{project.pk}/milestones/", {"name": "X", "due_date": "2026-01-01"}).status_code == 403
    )
    assert client.post(f"/projects/{project.pk}/milestones/{milestone.pk}/delete/").status_code == 403
    assert Milestone.objects.count() == 1


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("part", "make"),
    [
        ("milestones", lambda project: MilestoneFactory(project=project)),
        ("costs", lambda project: CostEntryFactory(project=project, category="travel")),
        ("objectives", lambda project: ProjectObjectiveFactory(project=project)),
        ("dependencies", lambda project: DependencyFactory(from_project=project, to_project=ProjectFactory())),
    ],
)
def test_a_delivery_page_takes_as_many_queries_for_50_rows_as_for_5(client, program_manager, project, part, make):
    client.force_login(program_manager)
    for _ in range(5):
        make(project)
    few = _queries(client, f"/projects/{project.pk}/{part}/")
    for _ in range(45):
        make(project)
    assert _queries(client, f"/projects/{project.pk}/{part}/") == few
