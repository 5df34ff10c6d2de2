"""Allocation writes: who may allocate, what is refused (an inactive person, a closed project, a bad percent or
period, a stale version, deleting what a resource request made), and that a refusal changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portfolio.core.exceptions import Conflict
from programs import services
from programs.models import Allocation, Project
from tests.programs.factories import (
    AllocationFactory,
    ProgramFactory,
    ProjectFactory,
    ResourceFactory,
    ResourceRequestFactory,
)

pytestmark = pytest.mark.django_db

MON = datetime.date(2026, 3, 2)
FRI = datetime.date(2026, 3, 6)


@pytest.fixture
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager), name="Launch")


@pytest.fixture
def resource():
    return ResourceFactory(name="Ada")


def allocate(user, project, resource, **extra):
    values = {"percent": 50, "start_date": MON, "end_date": FRI, **extra}
    return services.allocation_create(user=user, project=project, resource=resource, **values)


def test_the_program_manager_allocates_a_person_to_a_project_of_their_program(program_manager, project, resource):
    allocation = allocate(program_manager, project, resource, note="Design system")

    assert (allocation.project, allocation.resource, allocation.percent, allocation.version) == (
        project,
        resource,
        50,
        1,
    )
    assert allocation.note == "Design system"
    assert allocation.history.get().history_user == program_manager


def test_the_project_manager_of_another_program_may_not_allocate(project, resource):
    someone = ProjectFactory().manager
    with pytest.raises(PermissionDenied):
        allocate(someone, project, resource)
    assert not Allocation.objects.exists()


def test_leadership_and_product_managers_may_not_allocate(leader, product_manager, project, resource):
    for user in (leader, product_manager):
        with pytest.raises(PermissionDenied):
            allocate(user, project, resource)
    assert not Allocation.objects.exists()


def test_an_inactive_person_is_refused_with_a_field_error(program_manager, project):
    gone = ResourceFactory(name="Bob", active=False)
    with pytest.raises(ValidationError) as refused:
        allocate(program_manager, project, gone)
    assert "no longer active" in refused.value.message_dict["resource"][0]
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("status", [Project.Status.COMPLETED, Project.Status.CANCELLED])
def test_a_completed_or_cancelled_project_is_refused_with_a_field_error(program_manager, project, resource, status):
    Project.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        allocate(program_manager, project, resource)
    assert f"This project is {status}" in refused.value.message_dict["project"][0]
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"percent": 0}, "percent"),
        ({"percent": 101}, "percent"),
        ({"start_date": FRI, "end_date": MON}, "end_date"),
    ],
)
def test_a_percent_outside_1_to_100_or_an_end_before_the_start_is_refused(
    program_manager, project, resource, extra, field
):
    with pytest.raises(ValidationError) as refused:
        allocate(program_manager, project, resource, **extra)
    assert field in refused.value.message_dict
    assert not Allocation.objects.exists()


def test_the_program_manager_changes_an_allocation_at_its_version(program_manager, project, resource):
    allocation = AllocationFactory(project=project, resource=resource, percent=50)

    services.allocation_update(user=program_manager, allocation=allocation, version=1, percent=80, note="More")

    stored = Allocation.objects.get(pk=allocation.pk)
    assert (stored.percent, stored.note, stored.version) == (80, "More", 2)


def test_a_stale_version_of_an_allocation_is_a_conflict_and_changes_nothing(program_manager, project, resource):
    allocation = AllocationFactory(project=project, resource=resource, percent=50)
    services.allocation_update(user=program_manager, allocation=allocation, version=1, percent=60)

    with pytest.raises(Conflict):
        services.allocation_update(user=program_manager, allocation=allocation, version=1, percent=70)
    assert Allocation.objects.get(pk=allocation.pk).percent == 60


def test_moving_an_allocation_to_a_project_of_another_program_is_refused(program_manager, project, resource):
    allocation = AllocationFactory(project=project, resource=resource)
    elsewhere = ProjectFactory()

    with pytest.raises(PermissionDenied):
        services.allocation_update(user=program_manager, allocation=allocation, version=1, project=elsewhere)
    assert Allocation.objects.get(pk=allocation.pk).project == project


def test_changing_to_an_inactive_person_is_refused(program_manager, project, resource):
    allocation = AllocationFactory(project=project, resource=resource)
    gone = ResourceFactory(active=False)

    with pytest.raises(ValidationError) as refused:
        services.allocation_update(user=program_manager, allocation=allocation, version=1, resource=gone)
    assert "resource" in refused.value.message_dict
    assert Allocation.objects.get(pk=allocation.pk).resource == resource


def test_an_unknown_field_is_refused(program_manager, project, resource):
    allocation = AllocationFactory(project=project, resource=resource)
    with pytest.raises(ValidationError) as refused:
        services.allocation_update(user=program_manager, allocation=allocation, version=1, version_note="x")
    assert "version_note" in refused.value.message_dict


def test_the_program_manager_removes_an_allocation(program_manager, project, resource):
    allocation = AllocationFactory(project=project, resource=resource)
    services.allocation_delete(user=program_manager, allocation=allocation)
    assert not Allocation.objects.exists()


def test_an_allocation_a_resource_request_points_at_is_not_deleted(program_manager, project, resource):
    allocation = AllocationFactory(project=project, resource=resource)
    ResourceRequestFactory(
        project=project,
        resource=resource,
        status="approved",
        decided_by=program_manager,
        decided_at=timezone.now(),
        allocation=allocation,
    )

    with pytest.raises(ValidationError) as refused:
        services.allocation_delete(user=program_manager, allocation=allocation)
    assert "resource request" in refused.value.messages[0]
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_someone_outside_the_program_may_not_remove_an_allocation(outsider, project, resource):
    allocation = AllocationFactory(project=project, resource=resource)
    with pytest.raises(PermissionDenied):
        services.allocation_delete(user=outsider, allocation=allocation)
    assert Allocation.objects.filter(pk=allocation.pk).exists()
