"""Capacity pages: the heat map (over-allocation in colour and in words, totals per function, the filter with and
without htmx, bad periods refused with a 400), the people pages and a project's "People" tab; fixed query counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Allocation, Resource
from tests.programs.factories import (
    AllocationFactory,
    ProgramFactory,
    ProjectFactory,
    ResourceFactory,
    ResourceRequestFactory,
)

pytestmark = pytest.mark.django_db

NOW = "2026-03-04 12:00"  # a Wednesday: this week starts on Monday 2 March 2026
MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def project(program_manager):
    return ProjectFactory(
        program=ProgramFactory(manager=program_manager),
        name="Launch",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@time_machine.travel(NOW)
def test_the_heat_map_shows_this_week_and_the_12_after_it_with_over_allocation_in_words(client, member, project):
    ada = ResourceFactory(name="Ada Lovelace", function="design")
    AllocationFactory(resource=ada, project=project, percent=70, start_date=MONDAY, end_date=MONDAY.replace(day=6))
    AllocationFactory(resource=ada, project=project, percent=50, start_date=MONDAY, end_date=MONDAY.replace(day=6))
    client.force_login(member)

    page = client.get("/capacity/").content.decode()

    assert page.count('<th scope="col" class="num"><time') == 13
    assert "Ada Lovelace, week of 02 Mar 2026: 120 % of capacity, 20 % over" in page
    assert '<span class="over-by">20 % over</span>' in page
    assert "heat-5" in page
    assert "Design: average" in page and "Design: people over 100 %" in page
    assert "<caption>Utilisation, weeks of 2 Mar 2026 to 31 May 2026" in page


@time_machine.travel(NOW)
def test_the_heat_map_filters_by_function_and_period(client, member, project):
    ResourceFactory(name="Ada", function="design")
    ResourceFactory(name="Bob", function="engineering")
    client.force_login(member)

    page = client.get("/capacity/?function=design&start=2026-03-09&end=2026-03-22").content.decode()

    assert ">Ada</a>" in page and ">Bob</a>" not in page
    assert page.count('<th scope="col" class="num"><time') == 2
    assert "Utilisation of Design, weeks of 9 Mar 2026 to 22 Mar 2026" in page


@time_machine.travel(NOW)
def test_an_htmx_filter_gets_only_the_grid_back(client, member):
    ResourceFactory(name="Ada", function="design")
    client.force_login(member)

    response = client.get("/capacity/?function=design", headers={"HX-Request": "true"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<table>" in page and "<form" not in page and "<html" not in page
    restored = client.get(
        "/capacity/?function=design", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restored.content.decode()


@time_machine.travel(NOW)
def test_an_htmx_filter_with_a_bad_period_gets_its_errors_in_the_grid_s_place(client, member):
    client.force_login(member)
    response = client.get("/capacity/?start=2026-03-09&end=2026-03-01", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-03-09&end=2026-03-01", "The end date must be on or after the start date."),
        ("start=2026-01-05&end=2028-01-10", "more than 104 weeks"),
        ("start=yesterday", "Enter a valid date."),
        ("function=astrology", "Select a valid choice."),
    ],
)
def test_a_bad_period_or_function_is_refused_with_a_400_and_says_why(client, member, query, message):
    client.force_login(member)
    response = client.get(f"/capacity/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_heat_map_takes_as_many_queries_for_50_people_as_for_5(client, member):
    def add(count):
        for resource in ResourceFactory.create_batch(count, function="design"):
            AllocationFactory(resource=resource, percent=60, start_date=MONDAY, end_date=MONDAY.replace(day=30))

    client.force_login(member)
    add(5)
    few = _queries(client, "/capacity/?start=2026-03-02")
    add(45)
    assert _queries(client, "/capacity/?start=2026-03-02") == few


# --- People -------------------------------------------------------------------------------------------------


def test_the_people_list_filters_by_function_status_and_name(client, member):
    ResourceFactory(name="Ada", function="design")
    ResourceFactory(name="Adam", function="engineering")
    ResourceFactory(name="Alma", function="design", active=False)
    client.force_login(member)

    assert ">Adam</a>" in client.get("/resources/").content.decode()
    assert ">Alma</a>" not in client.get("/resources/").content.decode()
    page = client.get("/resources/?function=design&active=&q=a").content.decode()
    assert ">Ada</a>" in page and ">Alma</a>" in page and ">Adam</a>" not in page
    page = client.get("/resources/?active=false").content.decode()
    assert ">Alma</a>" in page and ">Ada</a>" not in page


def test_an_unreadable_people_filter_is_a_400_that_says_why(client, member):
    client.force_login(member)
    response = client.get("/resources/?function=astrology")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_people_list_takes_as_many_queries_for_50_people_as_for_5(client, member):
    client.force_login(member)
    ResourceFactory.create_batch(5)
    few = _queries(client, "/resources/")
    ResourceFactory.create_batch(45)
    assert _queries(client, "/resources/") == few


@time_machine.travel(NOW)
def test_a_person_s_page_shows_their_allocations_and_coming_weeks(client, member, project):
    ada = ResourceFactory(name="Ada", capacity_hours=40, cost_rate=100)
    AllocationFactory(resource=ada, project=project, percent=50, start_date=MONDAY, end_date=MONDAY.replace(day=15))
    client.force_login(member)

    page = client.get(f"/resources/{ada.pk}/").content.decode()

    assert "Launch" in page and "50 %" in page
    # 50 % × 40 h × 100 an hour × 14 days / 7 = 4000.
    assert "4000.00" in page
    assert "Edit" not in page


def test_a_program_manager_adds_edits_and_deactivates_a_person(client, program_manager):
    client.force_login(program_manager)
    response = client.post(
        "/resources/new/", {"name": "Grace", "function": "engineering", "capacity_hours": "32", "cost_rate": "90"}
    )
    grace = Resource.objects.get(name="Grace")
    assert response.status_code == 302 and grace.capacity_hours == 32
    data = {"name": "Grace H", "function": "engineering", "capacity_hours": "36", "cost_rate": "95", "active": "on"}
    assert client.post(f"/resources/{grace.pk}/edit/", data | {"version": 1}).status_code == 302
    stale = client.post(f"/resources/{grace.pk}/edit/", data | {"name": "Other", "version": 1})
    assert stale.status_code == 400 and "Someone else changed this" in stale.content.decode()
    assert client.post(f"/resources/{grace.pk}/deactivate/").status_code == 302
    grace.refresh_from_db()
    assert (grace.name, grace.active, grace.version) == ("Grace H", False, 3)


def test_a_person_form_with_a_negative_capacity_is_redisplayed_with_a_400(client, program_manager):
    client.force_login(program_manager)
    response = client.post("/resources/new/", {"name": "Grace", "function": "engineering", "capacity_hours": "-1"})
    assert response.status_code == 400
    assert not Resource.objects.exists()


def test_a_person_with_allocations_is_not_deleted_and_deactivating_is_offered(client, program_manager):
    ada = AllocationFactory().resource
    client.force_login(program_manager)

    response = client.post(f"/resources/{ada.pk}/delete/")

    assert response.status_code == 409
    assert "Deactivate" in response.content.decode()
    assert Resource.objects.filter(pk=ada.pk).exists()


def test_a_person_without_allocations_is_deleted(client, program_manager):
    ada = ResourceFactory()
    client.force_login(program_manager)
    assert client.post(f"/resources/{ada.pk}/delete/").status_code == 302
    assert not Resource.objects.exists()


def test_leadership_and_product_managers_may_not_add_people(client, leader, product_manager):
    for user in (leader, product_manager):
        client.force_login(user)
        assert client.get("/resources/new/").status_code == 403
        assert client.post("/resources/new/", {"name": "X", "function": "design"}).status_code == 403
    assert not Resource.objects.exists()


# --- A project's people ---------------------------------------------------------------------------------------


@time_machine.travel(NOW)
def test_the_people_tab_lists_who_is_free_and_the_program_manager_allocates_someone(client, program_manager, project):
    busy = ResourceFactory(name="Busy", function="design")
    ResourceFactory(name="Free", function="design")
    ResourceFactory(name="Gone", function="design", active=False)
    AllocationFactory(resource=busy, percent=70, start_date=MONDAY, end_date=MONDAY.replace(day=13))
    client.force_login(program_manager)
    url = f"/projects/{project.pk}/people/?start=2026-03-02&end=2026-03-13"

    page = client.get(url).content.decode()
    assert "Busy (Design) — 30 % free" in page and "Free (Design) — 100 % free" in page
    assert "Gone" not in page

    free = Resource.objects.get(name="Free")
    data = {"resource": free.pk, "percent": 40, "start_date": "2026-03-02", "end_date": "2026-03-13"}
    assert client.post(url, data).status_code == 302
    allocation = Allocation.objects.get(resource=free)
    assert (allocation.project, allocation.percent) == (project, 40)
    page = client.get(f"/projects/{project.pk}/people/").content.decode()
    assert ">Free</a>" in page and "40 %" in page


def test_an_allocation_of_101_percent_is_redisplayed_with_a_400_and_saves_nothing(client, program_manager, project):
    ada = ResourceFactory()
    client.force_login(program_manager)
    data = {"resource": ada.pk, "percent": 101, "start_date": "2026-03-02", "end_date": "2026-03-13"}
    response = client.post(f"/projects/{project.pk}/people/", data)
    assert response.status_code == 400
    assert "Percent must be between 1 and 100." in response.content.decode()
    assert not Allocation.objects.exists()


def test_an_allocation_ending_before_it_starts_is_redisplayed_with_a_400(client, program_manager, project):
    ada = ResourceFactory()
    client.force_login(program_manager)
    data = {"resource": ada.pk, "percent": 50, "start_date": "2026-03-13", "end_date": "2026-03-02"}
    assert client.post(f"/projects/{project.pk}/people/", data).status_code == 400
    assert not Allocation.objects.exists()


def test_the_program_manager_changes_and_removes_an_allocation(client, program_manager, project):
    allocation = AllocationFactory(project=project, percent=50)
    client.force_login(program_manager)
    base = f"/projects/{project.pk}/people/{allocation.pk}"
    data = {
        "resource": allocation.resource_id,
        "percent": 80,
        "start_date": "2026-03-02",
        "end_date": "2026-03-13",
        "note": "More",
        "version": 1,
    }
    assert client.get(f"{base}/edit/").status_code == 200
    assert client.post(f"{base}/edit/", data).status_code == 302
    assert Allocation.objects.get().percent == 80
    assert client.post(f"{base}/delete/").status_code == 302
    assert not Allocation.objects.exists()


def test_an_allocation_a_request_made_is_not_removed_and_the_page_says_why(client, program_manager, project):
    allocation = AllocationFactory(project=project)
    ResourceRequestFactory(project=project, allocation=allocation, approved=True, decided_by=program_manager)
    client.force_login(program_manager)

    response = client.post(f"/projects/{project.pk}/people/{allocation.pk}/delete/", follow=True)

    assert "resource request" in response.content.decode()
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_leadership_reads_the_people_tab_without_controls(client, leader, project):
    AllocationFactory(project=project)
    client.force_login(leader)
    page = client.get(f"/projects/{project.pk}/people/").content.decode()
    assert "Allocate someone" not in page
    assert client.post(f"/projects/{project.pk}/people/", {}).status_code == 403


def test_the_people_tab_takes_as_many_queries_for_50_allocations_as_for_5(client, program_manager, project):
    client.force_login(program_manager)
    AllocationFactory.create_batch(5, project=project)
    few = _queries(client, f"/projects/{project.pk}/people/")
    AllocationFactory.create_batch(45, project=project)
    assert _queries(client, f"/projects/{project.pk}/people/") == few


def test_a_person_s_page_takes_as_many_queries_for_50_allocations_as_for_5(client, member):
    ada = ResourceFactory()
    client.force_login(member)
    AllocationFactory.create_batch(5, resource=ada)
    few = _queries(client, f"/resources/{ada.pk}/")
    AllocationFactory.create_batch(45, resource=ada)
    assert _queries(client, f"/resources/{ada.pk}/") == few


def test_the_allocation_form_takes_as_many_queries_with_50_people_as_with_5(client, program_manager, project):
    allocation = AllocationFactory(project=project)
    client.force_login(program_manager)
    ResourceFactory.create_batch(4)
    few = _queries(client, f"/projects/{project.pk}/people/{allocation.pk}/edit/")
    ResourceFactory.create_batch(45)
    assert _queries(client, f"/projects/{project.pk}/people/{allocation.pk}/edit/") == few
