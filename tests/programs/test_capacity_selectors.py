"""Utilisation, hand-computed: an allocation counts in a week by the working days (Monday–Friday) it overlaps,
percent × days / 5; closed projects and inactive resources count nothing; availability is the peak week's rest."""

import datetime

import pytest

from programs import selectors
from programs.models import Project, Resource
from tests.programs.factories import AllocationFactory, ProjectFactory, ResourceFactory

pytestmark = pytest.mark.django_db

# 2 March 2026 is a Monday.
WEEK_1 = datetime.date(2026, 3, 2)
WEEK_2 = datetime.date(2026, 3, 9)


def day(n: int) -> datetime.date:
    """The ``n``-th day from Monday 2 March 2026 (0 = that Monday)."""
    return WEEK_1 + datetime.timedelta(days=n)


def load(resource, start=WEEK_1, weeks=2) -> list[int]:
    (row,) = selectors.resource_utilization(
        resources_qs=Resource.objects.filter(pk=resource.pk), start=start, weeks=weeks
    )
    return [week["percent"] for week in row["weeks"]]


def test_100_percent_monday_to_wednesday_and_100_percent_thursday_to_friday_make_100_percent():
    ada = ResourceFactory()
    AllocationFactory(resource=ada, percent=100, start_date=day(0), end_date=day(2))
    AllocationFactory(resource=ada, percent=100, start_date=day(3), end_date=day(4))

    assert load(ada) == [100, 0]


def test_an_allocation_starting_on_a_wednesday_counts_three_fifths_of_its_first_week():
    ada = ResourceFactory()
    # 100 % from Wednesday to the next Tuesday: Wed–Fri (3 days) = 60 %, then Mon–Tue (2 days) = 40 %.
    AllocationFactory(resource=ada, percent=100, start_date=day(2), end_date=day(8))

    assert load(ada) == [60, 40]


def test_an_allocation_over_a_weekend_only_counts_nothing():
    ada = ResourceFactory()
    AllocationFactory(resource=ada, percent=100, start_date=day(5), end_date=day(6))

    assert load(ada) == [0, 0]


def test_a_long_allocation_counts_its_partial_ends_and_whole_weeks_between():
    ada = ResourceFactory()
    # 50 % from Thursday 5 March to Monday 23 March: 2 days (20 %), two whole weeks (50 %), 1 day (10 %).
    AllocationFactory(resource=ada, percent=50, start_date=day(3), end_date=day(21))

    assert load(ada, weeks=5) == [20, 50, 50, 10, 0]


def test_an_allocation_beyond_the_period_counts_only_inside_it():
    ada = ResourceFactory()
    AllocationFactory(resource=ada, percent=40, start_date=day(-30), end_date=day(60))

    assert load(ada, start=WEEK_2, weeks=2) == [40, 40]


def test_a_fraction_of_a_percent_is_rounded_half_up():
    ada = ResourceFactory()
    # 33 % × 1 day / 5 = 6.6 → 7; 25 % × 2 days / 5 = 10; 10 % × 1 day / 5 = 2 … with 5 % × 1 / 5 = 1.
    AllocationFactory(resource=ada, percent=33, start_date=day(0), end_date=day(0))
    AllocationFactory(resource=ada, percent=25, start_date=day(7), end_date=day(8))
    AllocationFactory(resource=ada, percent=5, start_date=day(7), end_date=day(7))

    assert load(ada) == [7, 11]


@pytest.mark.parametrize("status", [Project.Status.CANCELLED, Project.Status.COMPLETED])
def test_allocations_on_a_cancelled_or_completed_project_do_not_count(status):
    ada = ResourceFactory()
    AllocationFactory(resource=ada, percent=60, start_date=day(0), end_date=day(11))
    AllocationFactory(
        resource=ada, project=ProjectFactory(status=status), percent=40, start_date=day(0), end_date=day(11)
    )

    assert load(ada) == [60, 60]


def test_an_inactive_resource_counts_nothing():
    gone = ResourceFactory(active=False)
    AllocationFactory(resource=gone, percent=60, start_date=day(0), end_date=day(11))

    assert load(gone) == [0, 0]


def test_over_100_percent_is_flagged_and_exactly_100_is_not():
    ada, bob = ResourceFactory(name="Ada"), ResourceFactory(name="Bob")
    AllocationFactory(resource=ada, percent=70, start_date=day(0), end_date=day(4))
    AllocationFactory(resource=ada, percent=50, start_date=day(0), end_date=day(4))
    AllocationFactory.create_batch(2, resource=bob, percent=50, start_date=day(0), end_date=day(4))

    rows = selectors.resource_utilization(resources_qs=Resource.objects.order_by("name"), start=day(2), weeks=1)

    assert [row["weeks"] for row in rows] == [
        [{"week_start": WEEK_1, "percent": 120, "over": True}],
        [{"week_start": WEEK_1, "percent": 100, "over": False}],
    ]


# --- Availability ---------------------------------------------------------------------------------------------


def test_availability_lists_active_people_of_the_function_by_free_percent_then_name():
    ada = ResourceFactory(name="Ada", function="design")
    bea = ResourceFactory(name="Bea", function="design")
    cy = ResourceFactory(name="Cy", function="design")
    ResourceFactory(name="Dan", function="engineering")
    ResourceFactory(name="Eve", function="design", active=False)
    # Ada: 30 % in week 1, 80 % in week 2 (peak 80). Bea: nothing. Cy: 120 % in week 1 (none free).
    AllocationFactory(resource=ada, percent=30, start_date=day(0), end_date=day(4))
    AllocationFactory(resource=ada, percent=80, start_date=day(7), end_date=day(11))
    AllocationFactory(resource=cy, percent=60, start_date=day(0), end_date=day(4))
    AllocationFactory(resource=cy, percent=60, start_date=day(0), end_date=day(4))

    rows = selectors.resource_availability(function="design", start=day(2), end=day(9))

    assert [(row["resource"], row["booked_percent"], row["free_percent"]) for row in rows] == [
        (bea, 0, 100),
        (ada, 80, 20),
        (cy, 120, 0),
    ]


def test_availability_counts_only_the_weeks_of_the_period():
    ada = ResourceFactory(function="design")
    AllocationFactory(resource=ada, percent=90, start_date=day(7), end_date=day(11))

    (row,) = selectors.resource_availability(function="design", start=day(0), end=day(4))

    assert (row["booked_percent"], row["free_percent"]) == (0, 100)


def test_people_of_the_same_free_percent_come_by_name():
    names = ["Cy", "Ada", "Bea"]
    for name in names:
        ResourceFactory(name=name, function="design")

    rows = selectors.resource_availability(function="design", start=day(0), end=day(4))

    assert [row["resource"].name for row in rows] == sorted(names)


def test_availability_takes_two_queries_whatever_the_number_of_people(django_assert_num_queries):
    def add(count):
        for resource in ResourceFactory.create_batch(count, function="design"):
            AllocationFactory.create_batch(2, resource=resource, percent=30, start_date=day(0), end_date=day(20))

    add(5)
    with django_assert_num_queries(2):
        selectors.resource_availability(function="design", start=day(0), end=day(30))
    add(45)
    with django_assert_num_queries(2):
        rows = selectors.resource_availability(function="design", start=day(0), end=day(30))
    assert len(rows) == 50
    assert {row["booked_percent"] for row in rows} == {60}


# --- The heat map grid --------------------------------------------------------------------------------------------


def test_the_grid_lists_active_people_by_function_then_name_with_totals_per_function():
    ada = ResourceFactory(name="Ada", function="design")
    bea = ResourceFactory(name="Bea", function="design")
    cy = ResourceFactory(name="Cy", function="engineering")
    ResourceFactory(name="Dan", function="design", active=False)
    # Ada: 120 % in week 1, 40 % in week 2. Bea: 50 % both weeks. Cy: 100 % Mon–Wed + 100 % Thu–Fri = 100 %.
    AllocationFactory(resource=ada, percent=60, start_date=day(0), end_date=day(4))
    AllocationFactory(resource=ada, percent=60, start_date=day(0), end_date=day(4))
    AllocationFactory(resource=ada, percent=40, start_date=day(7), end_date=day(11))
    AllocationFactory(resource=bea, percent=50, start_date=day(0), end_date=day(11))
    AllocationFactory(resource=cy, percent=100, start_date=day(0), end_date=day(2))
    AllocationFactory(resource=cy, percent=100, start_date=day(3), end_date=day(4))

    grid = selectors.utilization_grid(start=day(2), end=day(8))

    assert grid["weeks"] == [WEEK_1, WEEK_2]
    assert [(row["resource"], [c["percent"] for c in row["cells"]]) for row in grid["rows"]] == [
        (ada, [120, 40]),
        (bea, [50, 50]),
        (cy, [100, 0]),
    ]
    assert grid["rows"][0]["cells"][0] == {"week_start": WEEK_1, "percent": 120, "over": True, "over_by": 20}
    # Design: (120 + 50) / 2 = 85, (40 + 50) / 2 = 45; Ada over in week 1. Engineering: Cy alone, never over.
    assert [
        (t["function"], t["people"], [(w["average"], w["over_people"]) for w in t["weeks"]]) for t in grid["totals"]
    ] == [("design", 2, [(85, 1), (45, 0)]), ("engineering", 1, [(100, 0), (0, 0)])]


def test_the_grid_of_one_function_leaves_the_others_out():
    ResourceFactory(name="Ada", function="design")
    ResourceFactory(name="Cy", function="engineering")

    grid = selectors.utilization_grid(start=day(0), end=day(0), function="engineering")

    assert [row["resource"].name for row in grid["rows"]] == ["Cy"]
    assert [total["function"] for total in grid["totals"]] == ["engineering"]


def test_the_grid_takes_two_queries_whatever_the_number_of_people(django_assert_num_queries):
    def add(count):
        for resource in ResourceFactory.create_batch(count):
            AllocationFactory(resource=resource, percent=30, start_date=day(0), end_date=day(60))

    add(5)
    with django_assert_num_queries(2):
        selectors.utilization_grid(start=day(0), end=day(90))
    add(45)
    with django_assert_num_queries(2):
        grid = selectors.utilization_grid(start=day(0), end=day(90))
    assert len(grid["rows"]) == 50
