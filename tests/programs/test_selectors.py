"""Derived figures of programs, checked against hand-computed examples."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from programs import selectors
from programs.models import Project, Resource
from tests.core.factories import ObjectiveFactory
from tests.programs.factories import (
    AllocationFactory,
    CostEntryFactory,
    MilestoneFactory,
    ProgramFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ResourceFactory,
)
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 17)  # a Wednesday


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


# --- strategic score -----------------------------------------------------------------------------


def test_strategic_score_sums_weight_times_contribution():
    project = ProjectFactory()
    ProjectObjectiveFactory(project=project, objective=ObjectiveFactory(weight=5), contribution=3)
    ProjectObjectiveFactory(project=project, objective=ObjectiveFactory(weight=2), contribution=1)
    ProjectObjectiveFactory(objective=ObjectiveFactory(weight=4), contribution=3)  # another project

    assert selectors.project_strategic_score(project=project) == 17  # 5×3 + 2×1


def test_strategic_score_of_an_unaligned_project_is_zero():
    project = ProjectFactory()
    assert selectors.project_strategic_score(project=project) == 0
    assert selectors.with_strategic_score(Project.objects.all()).get().strategic_score == 0


def test_strategic_score_annotation_matches_the_function_and_is_not_multiplied_by_other_joins():
    project = ProjectFactory()
    ProjectObjectiveFactory(project=project, objective=ObjectiveFactory(weight=5), contribution=3)
    ProjectObjectiveFactory(project=project, objective=ObjectiveFactory(weight=2), contribution=1)
    CostEntryFactory.create_batch(3, project=project, amount=Decimal("10"))

    annotated = selectors.project_list(today=TODAY).get(pk=project.pk)

    assert annotated.strategic_score == 17
    assert annotated.budget_actual == Decimal("30.00")


# --- WSJF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("business_value", "time_criticality", "risk_reduction", "job_size", "expected"),
    [
        (8, 5, 3, 5, Decimal("3.20")),  # 16 / 5
        (3, 2, 2, 3, Decimal("2.33")),  # 7 / 3 = 2.333…
        (1, 1, 1, 8, Decimal("0.38")),  # 3 / 8 = 0.375, rounded half up
        (1, 1, 1, 1, Decimal("3.00")),
    ],
)
def test_wsjf_is_cost_of_delay_over_job_size_to_two_decimals(
    business_value, time_criticality, risk_reduction, job_size, expected
):
    project = ProjectFactory(
        business_value=business_value,
        time_criticality=time_criticality,
        risk_reduction=risk_reduction,
        job_size=job_size,
    )

    assert selectors.project_wsjf(project=project) == expected
    annotated = selectors.with_wsjf(Project.objects.filter(pk=project.pk)).get()
    assert Decimal(str(annotated.wsjf)) == expected


def test_projects_can_be_ranked_by_wsjf():
    low = ProjectFactory(business_value=1, job_size=5)
    high = ProjectFactory(business_value=10, job_size=2)
    middle = ProjectFactory(business_value=5, job_size=3)

    ranked = list(selectors.with_wsjf(Project.objects.all()).order_by("-wsjf"))

    assert ranked == [high, middle, low]


# --- budget --------------------------------------------------------------------------------------


def test_budget_gives_planned_actual_forecast_and_burn():
    project = ProjectFactory(budget=Decimal("10000"))
    CostEntryFactory(project=project, amount=Decimal("1000"))
    CostEntryFactory(project=project, amount=Decimal("2500.50"))
    CostEntryFactory(amount=Decimal("999"))  # another project
    # 50 % of 40 h at 80/h = 1600 a week; 17–30 June is 14 days = 2 weeks left → 3200.
    AllocationFactory(
        project=project,
        resource=ResourceFactory(capacity_hours=40, cost_rate=80),
        percent=50,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    # 100 % of 20 h at 100/h = 2000 a week; 1–7 July is 1 week, all of it still ahead → 2000.
    AllocationFactory(
        project=project,
        resource=ResourceFactory(capacity_hours=20, cost_rate=100),
        percent=100,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 7, 7),
    )
    # Ended yesterday: nothing left to spend.
    AllocationFactory(project=project, start_date=datetime.date(2026, 1, 1), end_date=days_ago(1))

    budget = selectors.project_budget(project=project, today=TODAY)

    assert budget == {
        "planned": Decimal("10000"),
        "actual": Decimal("3500.50"),
        "forecast": Decimal("8700.50"),  # 3500.50 + 3200 + 2000
        "burn_percent": Decimal("35.0"),
    }


def test_a_roll_up_burn_of_whole_amounts_keeps_its_decimal():
    program = ProgramFactory(budget=Decimal("1000000"))
    spend(ProjectFactory(program=program, budget=Decimal("500000")), "25000")

    # 25,000 of 1,000,000 is 2.5 %, not the 2 % that dividing whole numbers would give.
    assert selectors.budget_rollup(obj=program, today=TODAY)["burn_percent"] == Decimal("2.5")


def test_budgets_roll_up_to_program_and_portfolio_leaving_archived_projects_out():
    program = ProgramFactory(budget=Decimal("20000"))
    other = ProgramFactory(portfolio=program.portfolio, budget=Decimal("0"))
    first = ProjectFactory(program=program, budget=Decimal("10000"))
    second = ProjectFactory(program=program, budget=Decimal("5000"))
    third = ProjectFactory(program=other, budget=Decimal("1000"))
    ProjectFactory(program=program, budget=Decimal("99999"), archived_at=timezone.now())  # archived: left out
    spend(first, "3000")
    spend(second, "1000.50")
    spend(third, "100")
    # 100 % of 40 h at 70/h = 2800 a week; 17–23 June is 1 week still ahead.
    AllocationFactory(
        project=second,
        resource=ResourceFactory(capacity_hours=40, cost_rate=70),
        percent=100,
        start_date=TODAY,
        end_date=TODAY + datetime.timedelta(days=6),
    )

    assert selectors.budget_rollup(obj=program, today=TODAY) == {
        "projects_budget": Decimal("15000"),
        "budget_actual": Decimal("4000.50"),
        "budget_forecast": Decimal("6800.50"),  # 4000.50 + 2800
        "burn_percent": Decimal("20.0"),  # 4000.50 of 20000
    }
    assert selectors.budget_rollup(obj=other, today=TODAY)["burn_percent"] is None  # no budget of its own
    portfolio = selectors.budget_rollup(obj=program.portfolio, today=TODAY)
    assert (portfolio["projects_budget"], portfolio["budget_actual"], portfolio["budget_forecast"]) == (
        Decimal("16000"),
        Decimal("4100.50"),
        Decimal("6900.50"),
    )


def test_budget_of_a_project_without_costs_or_budget():
    project = ProjectFactory(budget=Decimal("0"))

    budget = selectors.project_budget(project=project, today=TODAY)

    assert budget == {"planned": Decimal("0"), "actual": Decimal("0"), "forecast": Decimal("0"), "burn_percent": None}


def test_remaining_cost_counts_today_and_the_end_day():
    project = ProjectFactory(budget=Decimal("0"))
    AllocationFactory(
        project=project,
        resource=ResourceFactory(capacity_hours=Decimal("35"), cost_rate=Decimal("10")),
        percent=100,
        start_date=TODAY,
        end_date=TODAY,
    )

    assert selectors.project_budget(project=project, today=TODAY)["forecast"] == Decimal("50")  # 350 a week, 1 day of 7


def test_budget_actual_annotation_sums_cost_entries():
    project = ProjectFactory()
    CostEntryFactory(project=project, amount=Decimal("12.34"))
    CostEntryFactory(project=project, amount=Decimal("0.66"))
    idle = ProjectFactory()

    actual = {p.pk: p.budget_actual for p in selectors.with_budget_actual(Project.objects.all())}

    assert actual == {project.pk: Decimal("13.00"), idle.pk: Decimal("0")}


# --- schedule ------------------------------------------------------------------------------------


def test_schedule_reports_the_most_overdue_open_milestone_and_the_late_count():
    project = ProjectFactory()
    MilestoneFactory(project=project, due_date=days_ago(16))
    MilestoneFactory(project=project, due_date=days_ago(7), is_key=True)
    MilestoneFactory(project=project, due_date=days_ago(40), completed_on=days_ago(30))  # done, however late
    MilestoneFactory(project=project, due_date=TODAY)  # due today is not late yet
    MilestoneFactory(project=project, due_date=TODAY + datetime.timedelta(days=10))
    MilestoneFactory(due_date=days_ago(100))  # another project

    schedule = selectors.project_schedule(project=project, today=TODAY)

    assert schedule == {"days_late": 16, "late_milestones": 2, "key_days_late": 7}


def test_schedule_of_a_project_without_milestones_is_on_time():
    project = ProjectFactory()
    assert selectors.project_schedule(project=project, today=TODAY) == {
        "days_late": 0,
        "late_milestones": 0,
        "key_days_late": 0,
    }


# --- health --------------------------------------------------------------------------------------


def late_milestone(project, days, is_key=False):
    MilestoneFactory(project=project, due_date=days_ago(days), is_key=is_key)


def spend(project, amount):
    CostEntryFactory(project=project, amount=Decimal(amount))


HEALTH_CASES = {
    "nothing wrong is green": ({}, lambda p: None, "green"),
    "an open critical risk is red": ({}, lambda p: RiskFactory(project=p, probability=5, impact=3), "red"),
    "a mitigating critical risk is red": (
        {},
        lambda p: RiskFactory(project=p, probability=5, impact=3, status="mitigating"),
        "red",
    ),
    "a closed critical risk does not count": (
        {},
        lambda p: RiskFactory(project=p, probability=5, impact=5, status="closed"),
        "green",
    ),
    "an open high risk is amber": ({}, lambda p: RiskFactory(project=p, probability=5, impact=2), "amber"),
    "an open medium risk is green": ({}, lambda p: RiskFactory(project=p, probability=3, impact=3), "green"),
    "forecast above 110 % is red": ({"budget": Decimal("10000")}, lambda p: spend(p, "11000.01"), "red"),
    "forecast of exactly 110 % is amber": ({"budget": Decimal("10000")}, lambda p: spend(p, "11000"), "amber"),
    "forecast just above budget is amber": ({"budget": Decimal("10000")}, lambda p: spend(p, "10000.01"), "amber"),
    "forecast on budget is green": ({"budget": Decimal("10000")}, lambda p: spend(p, "10000"), "green"),
    "remaining labour counts towards the forecast": (
        {"budget": Decimal("3000")},
        # 100 % of 40 h at 80/h for 1 week = 3200 > 3000
        lambda p: AllocationFactory(
            project=p,
            resource=ResourceFactory(capacity_hours=40, cost_rate=80),
            percent=100,
            start_date=TODAY,
            end_date=TODAY + datetime.timedelta(days=6),
        ),
        "amber",
    ),
    "costs without a budget are not an overrun": ({"budget": Decimal("0")}, lambda p: spend(p, "500"), "green"),
    "a key milestone 15 days late is red": ({}, lambda p: late_milestone(p, 15, is_key=True), "red"),
    "a key milestone 14 days late is amber": ({}, lambda p: late_milestone(p, 14, is_key=True), "amber"),
    "any late milestone is amber": ({}, lambda p: late_milestone(p, 60), "amber"),
    "the override wins over red data": (
        {"health_override": "green"},
        lambda p: RiskFactory(project=p, probability=5, impact=5),
        "green",
    ),
    "the override can mark a fine project red": ({"health_override": "red"}, lambda p: None, "red"),
    "a completed project's late milestones do not count": (
        {"status": "completed"},
        lambda p: late_milestone(p, 30, is_key=True),
        "green",
    ),
    "a cancelled project's late milestones do not count": (
        {"status": "cancelled"},
        lambda p: late_milestone(p, 30, is_key=True),
        "green",
    ),
}


def test_health_gives_schedule_budget_and_risk_colours_separately_and_the_worst_overall():
    project = ProjectFactory(budget=Decimal("1000"))
    late_milestone(project, 3)  # schedule amber
    spend(project, "1200")  # 120 % of the budget: budget red
    RiskFactory(project=project, probability=3, impact=3)  # score 9, medium: risk green

    row = selectors.with_health(Project.objects.all(), TODAY).get()

    assert (row.health_schedule, row.health_budget, row.health_risk, row.health) == ("amber", "red", "green", "red")
    assert (row.days_late, row.key_days_late, row.health_rank) == (3, 0, 2)


def test_health_filters_and_sorts_in_the_database():
    green = ProjectFactory(name="Green")
    amber = ProjectFactory(name="Amber")
    late_milestone(amber, 1)
    red = ProjectFactory(name="Red", health_override="red")

    qs = selectors.with_health(Project.objects.all(), TODAY)

    # Whole rows, as the lists read them: ordering by health it does not select passes SQLite's parser depth.
    assert [project.pk for project in qs.filter(health_rank__in=[2, 1]).order_by("-health_rank")] == [
        red.pk,
        amber.pk,
    ]
    assert qs.order_by("health_rank")[0].pk == green.pk


@pytest.mark.parametrize(("fields", "arrange", "expected"), HEALTH_CASES.values(), ids=HEALTH_CASES.keys())
def test_project_health(fields, arrange, expected):
    project = ProjectFactory(**fields)
    arrange(project)
    ProjectFactory()  # a bystander that must not change the answer

    assert selectors.project_health(project=project, today=TODAY) == expected
    (many,) = selectors.projects_with_health(Project.objects.filter(pk=project.pk), TODAY)
    assert many.health == expected


def test_projects_with_health_gives_each_project_its_own_colour():
    green = ProjectFactory()
    amber = ProjectFactory()
    late_milestone(amber, 3)
    red = ProjectFactory()
    RiskFactory(project=red, probability=4, impact=4)

    colours = {p.pk: p.health for p in selectors.projects_with_health(Project.objects.all(), TODAY)}

    assert colours == {green.pk: "green", amber.pk: "amber", red.pk: "red"}


@pytest.mark.parametrize("health_override", ["", "green"])
def test_projects_with_health_also_gives_the_forecast(health_override):
    project = ProjectFactory(health_override=health_override)
    spend(project, "100")
    AllocationFactory(
        project=project,
        resource=ResourceFactory(capacity_hours=40, cost_rate=80),
        percent=50,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )

    (many,) = selectors.projects_with_health(Project.objects.all(), TODAY)

    assert many.budget_forecast == selectors.project_budget(project=project, today=TODAY)["forecast"] == Decimal("3300")


def _projects_with_trouble(count):
    for _ in range(count):
        project = ProjectFactory()
        late_milestone(project, 20, is_key=True)
        RiskFactory(project=project, probability=2, impact=5)
        spend(project, "10")
        AllocationFactory(project=project)


def test_projects_with_health_uses_a_fixed_number_of_queries(django_assert_num_queries):
    _projects_with_trouble(5)
    with django_assert_num_queries(1):
        assert len(selectors.projects_with_health(Project.objects.all(), TODAY)) == 5

    _projects_with_trouble(45)
    with django_assert_num_queries(1):
        assert len(selectors.projects_with_health(Project.objects.all(), TODAY)) == 50


# --- utilisation ---------------------------------------------------------------------------------


def test_utilization_counts_each_allocation_by_the_working_days_it_overlaps_in_each_iso_week():
    busy = ResourceFactory(name="Ada")
    idle = ResourceFactory(name="Bob")
    AllocationFactory(
        resource=busy, percent=60, start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 18)
    )
    AllocationFactory(
        resource=busy, percent=50, start_date=datetime.date(2026, 1, 16), end_date=datetime.date(2026, 1, 20)
    )
    # Ends on the Sunday before the first week: no overlap. The 50 % runs Friday 16 (1 day) and Mon–Tue 19–20.
    AllocationFactory(
        resource=busy, percent=90, start_date=datetime.date(2025, 12, 1), end_date=datetime.date(2026, 1, 4)
    )

    # 7 January 2026 is a Wednesday: weeks start on Monday 5, 12 and 19 January.
    rows = selectors.resource_utilization(
        resources_qs=Resource.objects.order_by("name"), start=datetime.date(2026, 1, 7), weeks=3
    )

    mondays = [datetime.date(2026, 1, 5), datetime.date(2026, 1, 12), datetime.date(2026, 1, 19)]
    assert [row["resource"] for row in rows] == [busy, idle]
    assert rows[0]["weeks"] == [
        {"week_start": mondays[0], "percent": 60, "over": False},
        {"week_start": mondays[1], "percent": 70, "over": False},
        {"week_start": mondays[2], "percent": 20, "over": False},
    ]
    assert rows[1]["weeks"] == [{"week_start": monday, "percent": 0, "over": False} for monday in mondays]


def test_utilization_of_exactly_100_percent_is_not_over():
    resource = ResourceFactory()
    AllocationFactory.create_batch(
        2, resource=resource, percent=50, start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 11)
    )

    (row,) = selectors.resource_utilization(
        resources_qs=Resource.objects.all(), start=datetime.date(2026, 1, 5), weeks=1
    )

    assert row["weeks"] == [{"week_start": datetime.date(2026, 1, 5), "percent": 100, "over": False}]


def test_utilization_uses_two_queries_whatever_the_number_of_resources(django_assert_num_queries):
    def add(count):
        for resource in ResourceFactory.create_batch(count):
            monday = selectors.week_start(TODAY)
            friday = monday + datetime.timedelta(days=4)
            AllocationFactory.create_batch(2, resource=resource, start_date=monday, end_date=friday)

    add(5)
    with django_assert_num_queries(2):
        selectors.resource_utilization(resources_qs=Resource.objects.all(), start=TODAY, weeks=12)
    add(45)
    with django_assert_num_queries(2):
        rows = selectors.resource_utilization(resources_qs=Resource.objects.all(), start=TODAY, weeks=12)
    assert len(rows) == 50
    assert all(row["weeks"][0]["percent"] == 100 for row in rows)
