"""The admin follows the capacity services: no allocation of an inactive person or to a closed project, and
nobody with allocations deleted (deactivate them instead)."""

import pytest
from django.urls import reverse

from programs.models import Allocation, Project, Resource
from tests.programs.factories import AllocationFactory, ProjectFactory, ResourceFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:programs_allocation_add")


def allocation_form(resource, project) -> dict:
    return {
        "resource": resource.pk,
        "project": project.pk,
        "percent": 50,
        "start_date": "2026-03-02",
        "end_date": "2026-03-13",
        "note": "",
    }


def test_the_admin_refuses_to_allocate_an_inactive_person(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD, allocation_form(ResourceFactory(active=False), ProjectFactory()))
    assert response.status_code == 200
    assert "no longer active" in str(response.context["adminform"].form.errors["resource"])
    assert not Allocation.objects.exists()


def test_the_admin_refuses_to_allocate_to_a_cancelled_project(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD, allocation_form(ResourceFactory(), ProjectFactory(status=Project.Status.CANCELLED)))
    assert response.status_code == 200
    assert "cancelled" in str(response.context["adminform"].form.errors["project"])
    assert not Allocation.objects.exists()


def test_the_admin_allocates_an_active_person_to_an_active_project(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD, allocation_form(ResourceFactory(), ProjectFactory()))
    assert response.status_code == 302
    assert Allocation.objects.count() == 1


def test_the_admin_does_not_delete_someone_with_allocations(client, superuser):
    ada = AllocationFactory().resource
    client.force_login(superuser)
    url = reverse("admin:programs_resource_delete", args=[ada.pk])

    page = client.get(url).content.decode()
    client.post(url, {"post": "yes"})

    assert "deactivate them instead" in page
    assert Resource.objects.filter(pk=ada.pk).exists()
