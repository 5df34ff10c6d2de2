"""Capacity through the API: resources and allocations written (201/200/204), 400 with field messages (0 % or
101 %, an end before the start, an inactive person, bad periods and functions), 409 for a stale version or a refused
delete, 403 for leadership; the utilisation grid as the heat map counts it; fixed query counts."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from programs.models import Allocation, Resource
from tests.api import queries_for, result_ids
from tests.programs.factories import (
    AllocationFactory,
    ProgramFactory,
    ProjectFactory,
    ResourceFactory,
    ResourceRequestFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager), name="Launch")


def allocation_body(project, resource, **extra):
    return {
        "project": project.pk,
        "resource": resource.pk,
        "percent": 50,
        "start_date": "2026-03-02",
        "end_date": "2026-03-13",
        **extra,
    }


# --- Resources ------------------------------------------------------------------------------------------------


def test_a_program_manager_adds_edits_and_deletes_a_person(api_as, program_manager):
    client = api_as(program_manager)
    created = client.post(
        f"{API}/resources/",
        {"name": "Grace", "function": "engineering", "capacity_hours": "32.0", "cost_rate": "90.00"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["version"], created.json()["active"], created.json()["capacity_hours"]) == (1, True, "32.0")
    url = f"{API}/resources/{created.json()['id']}/"
    changed = client.patch(url, {"active": False, "version": 1}, format="json")
    assert (changed.status_code, changed.json()["active"], changed.json()["version"]) == (200, False, 2)
    stale = client.patch(url, {"name": "Other", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["name"] == "Grace"
    assert client.delete(url).status_code == 204
    assert not Resource.objects.exists()


def test_a_person_with_allocations_is_not_deleted_and_the_409_offers_deactivating(api_as, program_manager):
    ada = AllocationFactory().resource
    response = api_as(program_manager).delete(f"{API}/resources/{ada.pk}/")
    assert response.status_code == 409
    assert "Deactivate them instead" in response.json()["detail"]
    assert Resource.objects.filter(pk=ada.pk).exists()


def test_a_negative_capacity_is_a_400_on_its_field(api_as, program_manager):
    response = api_as(program_manager).post(
        f"{API}/resources/", {"name": "Grace", "function": "design", "capacity_hours": "-4"}, format="json"
    )
    assert response.status_code == 400 and "capacity_hours" in response.json()["errors"]
    assert not Resource.objects.exists()


def test_leadership_may_not_add_a_person(api_as, leader):
    response = api_as(leader).post(f"{API}/resources/", {"name": "Grace", "function": "design"}, format="json")
    assert response.status_code == 403
    assert not Resource.objects.exists()


def test_resources_are_filtered_by_function_and_status_and_ordered(api_as, member):
    ada = ResourceFactory(name="Ada", function="design", capacity_hours=20)
    bea = ResourceFactory(name="Bea", function="design", capacity_hours=40)
    ResourceFactory(name="Cy", function="design", active=False)
    ResourceFactory(name="Dan", function="engineering")
    client = api_as(member)
    url = f"{API}/resources/?function=design&active=true&ordering=-capacity_hours"
    assert result_ids(client.get(url)) == [bea.pk, ada.pk]


# --- Allocations ----------------------------------------------------------------------------------------------


def test_the_program_manager_allocates_through_the_api_and_a_stale_edit_gets_409(api_as, program_manager, project):
    ada = ResourceFactory()
    client = api_as(program_manager)
    created = client.post(f"{API}/allocations/", allocation_body(project, ada, note="Beta"), format="json")
    assert created.status_code == 201, created.json()
    url = f"{API}/allocations/{created.json()['id']}/"
    changed = client.patch(url, {"percent": 80, "version": 1}, format="json")
    assert (changed.status_code, changed.json()["percent"], changed.json()["version"]) == (200, 80, 2)
    stale = client.patch(url, {"percent": 90, "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["percent"] == 80
    assert client.delete(url).status_code == 204
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"percent": 0}, "percent"),
        ({"percent": 101}, "percent"),
        ({"start_date": "2026-03-13", "end_date": "2026-03-02"}, "end_date"),
    ],
)
def test_a_bad_allocation_is_a_400_on_its_field_and_saves_nothing(api_as, program_manager, project, extra, field):
    response = api_as(program_manager).post(
        f"{API}/allocations/", allocation_body(project, ResourceFactory(), **extra), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Allocation.objects.exists()


def test_an_inactive_person_is_a_400_on_resource(api_as, program_manager, project):
    gone = ResourceFactory(active=False)
    response = api_as(program_manager).post(f"{API}/allocations/", allocation_body(project, gone), format="json")
    assert response.status_code == 400 and "resource" in response.json()["errors"]


def test_an_allocation_on_another_program_s_project_is_a_403(api_as, program_manager):
    elsewhere = ProjectFactory()
    response = api_as(program_manager).post(
        f"{API}/allocations/", allocation_body(elsewhere, ResourceFactory()), format="json"
    )
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_an_allocation_a_request_points_at_is_not_deleted_409(api_as, program_manager, project):
    allocation = AllocationFactory(project=project)
    ResourceRequestFactory(
        project=project, allocation=allocation, status="approved", decided_by=program_manager, decided_at=timezone.now()
    )
    response = api_as(program_manager).delete(f"{API}/allocations/{allocation.pk}/")
    assert response.status_code == 409 and "resource request" in response.json()["detail"]
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_allocations_are_filtered_by_program_and_function(api_as, member, project):
    mine = AllocationFactory(project=project, resource=ResourceFactory(function="design"))
    AllocationFactory(project=project, resource=ResourceFactory(function="engineering"))
    AllocationFactory(resource=ResourceFactory(function="design"))
    url = f"{API}/allocations/?program={project.program_id}&function=design"
    assert result_ids(api_as(member).get(url)) == [mine.pk]


@pytest.mark.parametrize("collection", ["resources", "allocations"])
def test_a_capacity_list_takes_as_many_queries_for_50_rows_as_for_5(api_as, member, collection):
    client = api_as(member)
    AllocationFactory.create_batch(5)
    few, _ = queries_for(client, f"{API}/{collection}/")
    AllocationFactory.create_batch(45)
    many, body = queries_for(client, f"{API}/{collection}/?page_size=50")
    assert many == few
    assert len(body["results"]) == 50


# --- Utilisation ----------------------------------------------------------------------------------------------


@time_machine.travel("2026-03-04 12:00")
def test_the_utilization_endpoint_counts_as_the_heat_map_with_totals_per_function(api_as, member):
    ada = ResourceFactory(name="Ada", function="design")
    bea = ResourceFactory(name="Bea", function="design")
    ResourceFactory(name="Cy", function="engineering")
    AllocationFactory(resource=ada, percent=100, start_date=MONDAY, end_date=MONDAY + datetime.timedelta(days=2))
    AllocationFactory(
        resource=ada, percent=100, start_date=MONDAY + datetime.timedelta(days=3), end_date=MONDAY.replace(day=6)
    )
    AllocationFactory(resource=bea, percent=60, start_date=MONDAY, end_date=MONDAY.replace(day=13))
    AllocationFactory(resource=bea, percent=60, start_date=MONDAY.replace(day=9), end_date=MONDAY.replace(day=13))

    response = api_as(member).get(f"{API}/resources/utilization/?start=2026-03-04&end=2026-03-10&function=design")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["start"], body["end"], body["weeks"]) == ("2026-03-02", "2026-03-15", ["2026-03-02", "2026-03-09"])
    assert [(row["name"], [week["percent"] for week in row["weeks"]]) for row in body["rows"]] == [
        ("Ada", [100, 0]),
        ("Bea", [60, 120]),
    ]
    assert body["rows"][1]["weeks"][1]["over"] is True
    # Averages: (100 + 60) / 2 = 80, (0 + 120) / 2 = 60; one person over in the second week.
    assert body["totals"] == [
        {
            "function": "design",
            "people": 2,
            "weeks": [
                {"week_start": "2026-03-02", "average": 80, "over_people": 0},
                {"week_start": "2026-03-09", "average": 60, "over_people": 1},
            ],
        }
    ]


@time_machine.travel("2026-03-04 12:00")
def test_the_utilization_endpoint_defaults_to_this_week_and_the_12_after_it(api_as, member):
    body = api_as(member).get(f"{API}/resources/utilization/").json()
    assert (body["start"], body["end"], len(body["weeks"])) == ("2026-03-02", "2026-05-31", 13)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-03-09&end=2026-03-01", "end"),
        ("start=2026-01-05&end=2028-01-10", "end"),
        ("start=soon", "start"),
        ("start=", "start"),
        ("function=", "function"),
        ("end=2026-13-01", "end"),
        ("function=astrology", "function"),
    ],
)
def test_a_bad_utilization_query_is_a_400_with_its_field(api_as, member, query, field):
    response = api_as(member).get(f"{API}/resources/utilization/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_utilization_endpoint_takes_as_many_queries_for_50_people_as_for_5(api_as, member):
    def add(count):
        for resource in ResourceFactory.create_batch(count):
            AllocationFactory(resource=resource, start_date=MONDAY, end_date=MONDAY.replace(day=30))

    client = api_as(member)
    add(5)
    few, _ = queries_for(client, f"{API}/resources/utilization/?start=2026-03-02")
    add(45)
    many, body = queries_for(client, f"{API}/resources/utilization/?start=2026-03-02")
    assert many == few
    assert len(body["rows"]) == 50
