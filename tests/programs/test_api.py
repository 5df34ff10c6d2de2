"""Read API of programs: lists, details, filters, ordering, pagination, access and query counts."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api import result_ids
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import FeatureFactory, ProductFactory
from tests.programs.factories import (
    AllocationFactory,
    CostEntryFactory,
    DependencyFactory,
    MilestoneFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ResourceFactory,
    ResourceRequestFactory,
    StatusReportFactory,
)
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def rich_program():
    program = ProgramFactory()
    program.objectives.add(ObjectiveFactory(), ObjectiveFactory())
    return program


def rich_project():
    """A project with everything its list row reads: objectives, features, costs, allocations, milestones, risks."""
    project = ProjectFactory(product=ProductFactory())
    ProjectObjectiveFactory(project=project)
    ProjectObjectiveFactory(project=project)
    project.features.add(FeatureFactory(product=project.product), FeatureFactory(product=project.product))
    CostEntryFactory(project=project)
    AllocationFactory(project=project, end_date=datetime.date(2026, 12, 31))
    MilestoneFactory(project=project, due_date=datetime.date(2026, 1, 15), is_key=True)
    RiskFactory(project=project, probability=4, impact=3)
    return project


def rich_resource():
    resource = ResourceFactory(user=UserFactory())
    AllocationFactory(resource=resource)
    return resource


def rich_request():
    return ResourceRequestFactory(resource=ResourceFactory(), approved=True)


MAKERS = {
    "portfolios": PortfolioFactory,
    "programs": rich_program,
    "projects": rich_project,
    "milestones": MilestoneFactory,
    "dependencies": DependencyFactory,
    "resources": rich_resource,
    "allocations": AllocationFactory,
    "resource-requests": rich_request,
    "cost-entries": CostEntryFactory,
    "status-reports": StatusReportFactory,
}
COLLECTIONS = list(MAKERS)
WRITABLE = {"resource-requests"}


def make(collection, count):
    return [MAKERS[collection]() for _ in range(count)]


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_anonymous_users_are_refused_lists_and_details(api_client, collection):
    (obj,) = make(collection, 1)

    assert api_client.get(f"{API}{collection}/").status_code == 401
    assert api_client.get(f"{API}{collection}/{obj.pk}/").status_code == 401


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_signed_in_user_can_list_and_read(api_as, outsider, collection):
    objs = make(collection, 3)
    client = api_as(outsider)

    listing = client.get(f"{API}{collection}/")
    assert listing.status_code == 200
    assert listing.json()["count"] == 3
    assert sorted(result_ids(listing)) == sorted(o.pk for o in objs)

    detail = client.get(f"{API}{collection}/{objs[0].pk}/")
    assert detail.status_code == 200
    assert detail.json()["id"] == objs[0].pk


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_missing_objects_are_404_in_the_error_shape(api_as, member, collection):
    response = api_as(member).get(f"{API}{collection}/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


# Written through the services: portfolios, programs and projects (test_structure_api.py), milestones,
# dependencies and cost entries (test_delivery_api.py), status reports (test_status_report_api.py).
WRITTEN = {
    "portfolios",
    "programs",
    "projects",
    "milestones",
    "dependencies",
    "cost-entries",
    "status-reports",
    "resources",
    "allocations",
}
READ_ONLY_COLLECTIONS = [name for name in COLLECTIONS if name not in WRITTEN]


@pytest.mark.parametrize("collection", READ_ONLY_COLLECTIONS)
def test_lists_are_read_only(api_as, superuser, collection):
    (obj,) = make(collection, 1)
    client = api_as(superuser)

    if collection not in WRITABLE:  # filed through the API (tests/programs/test_resource_request_api.py)
        assert client.post(f"{API}{collection}/", {}).status_code == 405
    assert client.delete(f"{API}{collection}/{obj.pk}/").status_code == 405


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_lists_use_a_fixed_number_of_queries(api_as, member, django_assert_max_num_queries, collection):
    client = api_as(member)
    make(collection, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(f"{API}{collection}/").json()["count"] == 5

    make(collection, 45)
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert len(result_ids(client.get(f"{API}{collection}/"))) == 50


# --- projects and their derived figures ----------------------------------------------------------


@time_machine.travel(datetime.date(2026, 6, 17), tick=False)
def test_project_shows_its_derived_figures_read_only(api_as, member):
    project = ProjectFactory(budget=Decimal("1000"), business_value=8, time_criticality=5, risk_reduction=3, job_size=5)
    ProjectObjectiveFactory(project=project, objective=ObjectiveFactory(weight=5), contribution=3)
    CostEntryFactory(project=project, amount=Decimal("1050.25"))
    MilestoneFactory(project=project, due_date=datetime.date(2026, 6, 1))

    body = api_as(member).get(f"{API}projects/{project.pk}/").json()

    assert body["strategic_score"] == 15
    assert body["wsjf"] == "3.20"
    assert body["budget_actual"] == "1050.25"
    assert body["budget_forecast"] == "1050.25"
    assert body["health"] == "amber"  # a milestone is late and the forecast is above budget, but < 110 %
    assert body["days_late"] == 16
    assert body["version"] == 1
    assert body["objectives"] == [project.alignments.get().objective_id]


@time_machine.travel(datetime.date(2026, 6, 17), tick=False)
def test_project_list_gives_each_row_its_health(api_as, member):
    green = ProjectFactory(name="Green")
    red = ProjectFactory(name="Red")
    RiskFactory(project=red, probability=5, impact=5)
    overridden = ProjectFactory(name="Overridden", health_override="amber")

    rows = {row["id"]: row["health"] for row in api_as(member).get(f"{API}projects/").json()["results"]}

    assert rows == {green.pk: "green", red.pk: "red", overridden.pk: "amber"}


@time_machine.travel(datetime.date(2026, 6, 17), tick=False)
def test_projects_filter_by_health_and_sort_worst_first_with_the_three_colours_apart(api_as, member):
    green = ProjectFactory(name="Green")
    amber = ProjectFactory(name="Amber")
    MilestoneFactory(project=amber, due_date=datetime.date(2026, 6, 10))
    red = ProjectFactory(name="Red", budget=Decimal("100"))
    CostEntryFactory(project=red, amount=Decimal("500"))

    worst_first = api_as(member).get(f"{API}projects/?ordering=-health").json()["results"]
    troubled = api_as(member).get(f"{API}projects/?health=red&health=amber").json()["results"]

    assert [row["id"] for row in worst_first] == [red.pk, amber.pk, green.pk]
    assert {row["id"] for row in troubled} == {red.pk, amber.pk}
    assert [(row["health_schedule"], row["health_budget"], row["health_risk"]) for row in worst_first] == [
        ("green", "red", "green"),
        ("amber", "green", "green"),
        ("green", "green", "green"),
    ]
    assert api_as(member).get(f"{API}projects/?health=purple").status_code == 400


def test_programs_and_portfolios_carry_their_projects_budgets_rolled_up(api_as, member):
    program = ProgramFactory(budget=Decimal("2000"), portfolio=PortfolioFactory(budget=Decimal("0")))
    ProjectFactory(program=program, budget=Decimal("1500"))
    spent = ProjectFactory(program=program, budget=Decimal("300"))
    CostEntryFactory(project=spent, amount=Decimal("500"))

    body = api_as(member).get(f"{API}programs/{program.pk}/").json()
    portfolio = api_as(member).get(f"{API}portfolios/{program.portfolio_id}/").json()

    assert (body["projects_budget"], body["budget_actual"], body["budget_forecast"], body["burn_percent"]) == (
        "1800.00",
        "500.00",
        "500.00",
        "25.0",
    )
    assert (portfolio["projects_budget"], portfolio["burn_percent"]) == ("1800.00", None)


def test_projects_can_be_ordered_by_wsjf_and_strategic_score(api_as, member):
    small = ProjectFactory(business_value=1, job_size=3)
    big = ProjectFactory(business_value=9, job_size=1)
    middle = ProjectFactory(business_value=4, job_size=2)
    ProjectObjectiveFactory(project=small, objective=ObjectiveFactory(weight=5), contribution=3)
    ProjectObjectiveFactory(project=middle, objective=ObjectiveFactory(weight=1), contribution=1)
    client = api_as(member)

    assert result_ids(client.get(f"{API}projects/?ordering=-wsjf")) == [big.pk, middle.pk, small.pk]
    assert result_ids(client.get(f"{API}projects/?ordering=-strategic_score")) == [small.pk, middle.pk, big.pk]
    assert result_ids(client.get(f"{API}projects/?ordering=strategic_score")) == [big.pk, middle.pk, small.pk]


def test_projects_can_be_ordered_by_name_budget_and_dates(api_as, member):
    b = ProjectFactory(name="B", budget=Decimal("10"), start_date=datetime.date(2026, 3, 1))
    a = ProjectFactory(name="A", budget=Decimal("30"), start_date=datetime.date(2026, 2, 1))
    c = ProjectFactory(name="C", budget=Decimal("20"), start_date=datetime.date(2026, 1, 1))
    client = api_as(member)

    assert result_ids(client.get(f"{API}projects/")) == [a.pk, b.pk, c.pk]  # by name by default
    assert result_ids(client.get(f"{API}projects/?ordering=-budget")) == [a.pk, c.pk, b.pk]
    assert result_ids(client.get(f"{API}projects/?ordering=start_date")) == [c.pk, a.pk, b.pk]


def test_ordering_by_an_unknown_field_is_a_400_not_a_sort_by_a_secret(api_as, member):
    ProjectFactory.create_batch(2)

    response = api_as(member).get(f"{API}projects/?ordering=manager__password")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ordering"]


def test_projects_filter_on_program_portfolio_manager_product_status_and_objective(api_as, member):
    target = ProjectFactory(status="on-hold", product=ProductFactory(), health_override="red")
    objective = ObjectiveFactory()
    ProjectObjectiveFactory(project=target, objective=objective)
    ProjectFactory.create_batch(2)
    client = api_as(member)

    for query in [
        f"program={target.program_id}",
        f"portfolio={target.program.portfolio_id}",
        f"manager={target.manager_id}",
        f"product={target.product_id}",
        "status=on-hold",
        "health_override=red",
        f"objectives={objective.pk}",
        "q=" + target.name,
    ]:
        assert result_ids(client.get(f"{API}projects/?{query}")) == [target.pk], query


def test_an_invalid_filter_value_is_a_400_with_field_errors(api_as, member):
    client = api_as(member)

    response = client.get(f"{API}projects/?status=sleeping&program=999999")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "program"}
    assert client.get(f"{API}milestones/?due_date_after=not-a-date").status_code == 400


def test_lists_are_paginated(api_as, member):
    ProjectFactory.create_batch(5)
    client = api_as(member)

    first = client.get(f"{API}projects/?page_size=2").json()
    third = client.get(f"{API}projects/?page_size=2&page=3").json()

    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["next"]
    assert len(third["results"]) == 1
    assert third["next"] is None
    assert client.get(f"{API}projects/?page=9").status_code == 404


# --- filters of the other collections ------------------------------------------------------------


def test_milestones_filter_on_due_dates_key_and_completion(api_as, member):
    project = ProjectFactory()
    early = MilestoneFactory(project=project, due_date=datetime.date(2026, 2, 1), is_key=True)
    done = MilestoneFactory(project=project, due_date=datetime.date(2026, 3, 1), completed_on=datetime.date(2026, 3, 1))
    late = MilestoneFactory(due_date=datetime.date(2026, 9, 1))
    client = api_as(member)

    assert result_ids(client.get(f"{API}milestones/?due_date_before=2026-03-01")) == [early.pk, done.pk]
    assert result_ids(client.get(f"{API}milestones/?due_date_after=2026-03-02")) == [late.pk]
    assert result_ids(client.get(f"{API}milestones/?is_key=true")) == [early.pk]
    assert result_ids(client.get(f"{API}milestones/?completed=true")) == [done.pk]
    assert result_ids(client.get(f"{API}milestones/?completed=false")) == [early.pk, late.pk]
    assert result_ids(client.get(f"{API}milestones/?project={project.pk}&ordering=-due_date")) == [done.pk, early.pk]
    assert result_ids(client.get(f"{API}milestones/?program={late.project.program_id}")) == [late.pk]


def test_dependencies_filter_on_either_end_and_kind(api_as, member):
    hub = ProjectFactory()
    outgoing = DependencyFactory(from_project=hub, kind="blocks")
    incoming = DependencyFactory(to_project=hub, kind="relates")
    DependencyFactory()
    client = api_as(member)

    assert sorted(result_ids(client.get(f"{API}dependencies/?project={hub.pk}"))) == sorted([outgoing.pk, incoming.pk])
    assert result_ids(client.get(f"{API}dependencies/?from_project={hub.pk}")) == [outgoing.pk]
    assert result_ids(client.get(f"{API}dependencies/?to_project={hub.pk}")) == [incoming.pk]
    assert result_ids(client.get(f"{API}dependencies/?project={hub.pk}&kind=relates")) == [incoming.pk]


def test_resources_filter_on_function_active_and_user(api_as, member):
    designer = ResourceFactory(function="design", user=UserFactory())
    retired = ResourceFactory(active=False)
    ResourceFactory()
    client = api_as(member)

    assert result_ids(client.get(f"{API}resources/?function=design")) == [designer.pk]
    assert result_ids(client.get(f"{API}resources/?active=false")) == [retired.pk]
    assert result_ids(client.get(f"{API}resources/?user={designer.user_id}")) == [designer.pk]


def test_allocations_filter_on_resource_project_and_dates(api_as, member):
    spring = AllocationFactory(start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 5, 31))
    autumn = AllocationFactory(start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2026, 11, 30))
    client = api_as(member)

    assert result_ids(client.get(f"{API}allocations/?resource={spring.resource_id}")) == [spring.pk]
    assert result_ids(client.get(f"{API}allocations/?project={autumn.project_id}")) == [autumn.pk]
    assert result_ids(client.get(f"{API}allocations/?active_on=2026-04-15")) == [spring.pk]
    assert result_ids(client.get(f"{API}allocations/?start_date_after=2026-06-01")) == [autumn.pk]
    assert result_ids(client.get(f"{API}allocations/?ordering=-start_date")) == [autumn.pk, spring.pk]


def test_resource_requests_filter_on_status_and_people(api_as, member):
    pending = ResourceRequestFactory()
    approved = ResourceRequestFactory(approved=True)
    client = api_as(member)

    assert result_ids(client.get(f"{API}resource-requests/?status=pending")) == [pending.pk]
    assert result_ids(client.get(f"{API}resource-requests/?requested_by={approved.requested_by_id}")) == [approved.pk]
    assert result_ids(client.get(f"{API}resource-requests/?decided_by={approved.decided_by_id}")) == [approved.pk]
    assert result_ids(client.get(f"{API}resource-requests/?product={pending.product_id}")) == [pending.pk]
    assert result_ids(client.get(f"{API}resource-requests/?project={pending.project_id}")) == [pending.pk]


def test_cost_entries_filter_on_date_range_and_category(api_as, member):
    project = ProjectFactory()
    march = CostEntryFactory(project=project, date=datetime.date(2026, 3, 10), category="software")
    april = CostEntryFactory(project=project, date=datetime.date(2026, 4, 10), category="travel")
    CostEntryFactory(date=datetime.date(2026, 3, 15))
    client = api_as(member)

    query = f"project={project.pk}&date_after=2026-03-01&date_before=2026-03-31"
    assert result_ids(client.get(f"{API}cost-entries/?{query}")) == [march.pk]
    assert result_ids(client.get(f"{API}cost-entries/?category=travel")) == [april.pk]
    assert result_ids(client.get(f"{API}cost-entries/?project={project.pk}&ordering=amount,date")) == [
        march.pk,
        april.pk,
    ]


def test_status_reports_filter_on_project_author_status_and_rag(api_as, member):
    published = StatusReportFactory(status="published", overall="red")
    draft = StatusReportFactory()
    client = api_as(member)

    assert result_ids(client.get(f"{API}status-reports/?status=published")) == [published.pk]
    assert result_ids(client.get(f"{API}status-reports/?overall=red")) == [published.pk]
    assert result_ids(client.get(f"{API}status-reports/?author={draft.author_id}")) == [draft.pk]
    assert result_ids(client.get(f"{API}status-reports/?project={draft.project_id}")) == [draft.pk]


def test_programs_and_portfolios_filter_on_their_keys(api_as, member):
    program = ProgramFactory(status="on-hold")
    objective = ObjectiveFactory()
    program.objectives.add(objective)
    ProgramFactory()
    client = api_as(member)

    assert result_ids(client.get(f"{API}programs/?status=on-hold")) == [program.pk]
    assert result_ids(client.get(f"{API}programs/?portfolio={program.portfolio_id}")) == [program.pk]
    assert result_ids(client.get(f"{API}programs/?manager={program.manager_id}")) == [program.pk]
    assert result_ids(client.get(f"{API}programs/?objectives={objective.pk}")) == [program.pk]
    assert result_ids(client.get(f"{API}portfolios/?owner={program.portfolio.owner_id}")) == [program.portfolio_id]


@pytest.mark.parametrize(
    ("collection", "factory", "field"),
    [
        ("portfolios", PortfolioFactory, "description"),
        ("programs", ProgramFactory, "name"),
        ("milestones", MilestoneFactory, "name"),
        ("resources", ResourceFactory, "name"),
        ("resource-requests", ResourceRequestFactory, "justification"),
        ("cost-entries", CostEntryFactory, "note"),
        ("status-reports", StatusReportFactory, "summary"),
    ],
)
def test_every_searchable_list_is_searched_with_q(api_as, member, collection, factory, field):
    wanted = factory(**{field: "Zeppelin hangar"})
    factory(**{field: "Something else"})

    assert result_ids(api_as(member).get(f"{API}{collection}/?q=zeppelin")) == [wanted.pk]
