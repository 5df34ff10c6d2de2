"""The admin opens every programs model for a superuser."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Allocation, Milestone, Project, StatusReport
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory
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

pytestmark = pytest.mark.django_db

FACTORIES = [
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    MilestoneFactory,
    DependencyFactory,
    ResourceFactory,
    AllocationFactory,
    ResourceRequestFactory,
    CostEntryFactory,
    StatusReportFactory,
]
HISTORY_MODELS = [Project, Milestone, Allocation, StatusReport]


def admin_url(obj_or_model, action, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def test_every_programs_model_is_registered():
    registered = {model for model in admin.site._registry if model._meta.app_label == "programs"}
    assert registered == {factory._meta.model for factory in FACTORIES}


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_superuser_opens_the_changelist_search_and_change_form(client, superuser, factory):
    obj = factory()
    client.force_login(superuser)

    changelist = client.get(admin_url(obj, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1
    assert client.get(admin_url(obj, "changelist"), {"q": "x"}).status_code == 200
    assert client.get(admin_url(obj, "change", obj.pk)).status_code == 200
    assert client.get(admin_url(obj, "add")).status_code == 200


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m.__name__)
def test_models_with_history_show_it_in_the_admin(client, superuser, model):
    factory = next(f for f in FACTORIES if f._meta.model is model)
    obj = factory()
    client.force_login(superuser)

    response = client.get(admin_url(obj, "history", obj.pk))

    assert response.status_code == 200
    assert b"Added" in response.content or b"Created" in response.content


def test_project_form_edits_milestones_and_objectives_inline(client, superuser):
    project = ProjectFactory()
    MilestoneFactory(project=project, name="Beta")
    ProjectObjectiveFactory(project=project)
    client.force_login(superuser)

    response = client.get(admin_url(project, "change", project.pk))

    prefixes = {formset.formset.prefix for formset in response.context["inline_admin_formsets"]}
    assert prefixes == {"milestones", "alignments"}
    assert b"Beta" in response.content


def test_resource_form_shows_its_allocations_inline(client, superuser):
    allocation = AllocationFactory()
    client.force_login(superuser)

    response = client.get(admin_url(allocation.resource, "change", allocation.resource_id))

    (formset,) = response.context["inline_admin_formsets"]
    assert formset.formset.prefix == "allocations"
    assert list(formset.formset.queryset) == [allocation]


def test_project_changelist_uses_a_fixed_number_of_queries(client, superuser, django_assert_max_num_queries):
    client.force_login(superuser)
    ProjectFactory.create_batch(3)
    url = reverse("admin:programs_project_changelist")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ProjectFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- writes through the admin keep the rules and the version -------------------------------------


def test_a_milestone_changed_in_the_admin_gets_a_new_version(client, superuser):
    milestone = MilestoneFactory(name="Beta")
    client.force_login(superuser)

    response = client.post(
        admin_url(milestone, "change", milestone.pk),
        {"project": milestone.project_id, "name": "Beta, renamed", "due_date": "2026-05-01", "completed_on": ""},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    milestone.refresh_from_db()
    assert (milestone.name, milestone.version) == ("Beta, renamed", 2)


def test_a_requester_cannot_approve_their_own_resource_request_in_the_admin(client):
    requester = UserFactory(is_staff=True)
    request = ResourceRequestFactory(requested_by=requester, product=ProductFactory(owner=requester))
    client.force_login(requester)
    data = {
        "product": request.product_id,
        "project": request.project_id,
        "requested_by": requester.pk,
        "function": request.function,
        "percent": 60,
        "start_date": "2026-02-01",
        "end_date": "2026-04-30",
        "justification": "Still needed.",
        "status": "approved",
        "decided_by": requester.pk,
        "decided_at_0": "2026-02-01",
        "decided_at_1": "10:00:00",
        "decision_note": "Approved by myself.",
    }

    response = client.post(admin_url(request, "change", request.pk), data)

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.percent == 60  # the requester may still edit the pending request itself
    assert (request.status, request.decided_by, request.decided_at, request.decision_note) == (
        "pending",
        None,
        None,
        "",
    )


def test_reverting_a_milestone_to_an_old_version_from_history_is_a_new_version(client, superuser):
    milestone = MilestoneFactory(name="Beta")
    client.force_login(superuser)
    data = {"project": milestone.project_id, "due_date": "2026-05-01", "completed_on": ""}
    client.post(admin_url(milestone, "change", milestone.pk), {**data, "name": "Beta 2"})
    first = milestone.history.earliest()

    revert_url = reverse("admin:programs_milestone_simple_history", args=[milestone.pk, first.history_id])
    response = client.post(revert_url, {**data, "name": "Beta"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    milestone.refresh_from_db()
    assert (milestone.name, milestone.version) == ("Beta", 3)
