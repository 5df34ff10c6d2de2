"""The admin opens every programs model for a superuser, and staff follow the rules, on the parent too."""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Allocation, Milestone, Program, Project, StatusReport
from tests.admin_forms import admin_form_data
from tests.core.factories import UserFactory
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
        {
            "project": milestone.project_id,
            "name": "Beta, renamed",
            "due_date": "2026-05-01",
            "completed_on": "",
            "opened_version": 1,
        },
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
        "opened_version": 1,  # requests are versioned: the admin saves only the version it opened
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
    client.post(admin_url(milestone, "change", milestone.pk), {**data, "name": "Beta 2", "opened_version": 1})
    first = milestone.history.earliest()

    revert_url = reverse("admin:programs_milestone_simple_history", args=[milestone.pk, first.history_id])
    opened = client.get(revert_url).context["adminform"].form["opened_version"].initial
    response = client.post(revert_url, {**data, "name": "Beta", "opened_version": opened})

    assert response.status_code == 302, response.context["adminform"].form.errors
    milestone.refresh_from_db()
    assert (milestone.name, milestone.version) == ("Beta", 3)


def test_a_stale_project_form_is_refused_and_nothing_is_changed(client, superuser):
    project = ProjectFactory(name="Original")
    client.force_login(superuser)
    url = admin_url(project, "change", project.pk)
    stale = admin_form_data(client.get(url), name="From a stale form")
    Project.objects.filter(pk=project.pk).update(name="Changed meanwhile", version=2)

    response = client.post(url, stale)

    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["adminform"].form.non_field_errors())
    project.refresh_from_db()
    assert (project.name, project.version) == ("Changed meanwhile", 2)


def test_reverting_a_project_from_history_is_a_new_higher_version(client, superuser):
    project = ProjectFactory(name="First")
    client.force_login(superuser)
    url = admin_url(project, "change", project.pk)
    client.post(url, admin_form_data(client.get(url), name="Second"))
    revert_url = reverse("admin:programs_project_simple_history", args=[project.pk, project.history.earliest().pk])

    response = client.post(revert_url, admin_form_data(client.get(revert_url)))

    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert (project.name, project.version) == ("First", 3)


def test_a_milestone_edited_inline_on_its_project_gets_a_new_version(client, superuser):
    milestone = MilestoneFactory(name="Beta")
    project = milestone.project
    client.force_login(superuser)
    url = admin_url(project, "change", project.pk)

    response = client.post(url, admin_form_data(client.get(url), **{"milestones-0-name": "Beta, renamed"}))

    assert response.status_code == 302, response.context["adminform"].form.errors
    milestone.refresh_from_db()
    project.refresh_from_db()
    assert (milestone.name, milestone.version) == ("Beta, renamed", 2)
    assert project.version == 2


def test_a_stale_milestone_row_on_the_project_page_is_refused(client, superuser):
    milestone = MilestoneFactory(name="Beta")
    project = milestone.project
    client.force_login(superuser)
    url = admin_url(project, "change", project.pk)
    stale = admin_form_data(client.get(url), **{"milestones-0-name": "From a stale page"})
    Milestone.objects.filter(pk=milestone.pk).update(name="Changed meanwhile", version=2)

    response = client.post(url, stale)

    assert response.status_code == 200
    (milestones, _) = response.context["inline_admin_formsets"]
    assert "changed by someone else" in str(milestones.formset.forms[0].non_field_errors())
    milestone.refresh_from_db()
    assert (milestone.name, milestone.version) == ("Changed meanwhile", 2)


# --- a staff program manager edits under the projects they manage only ------------------------------


@pytest.fixture
def manager_of_a(program_manager):
    """A staff program manager who manages project "A" (and no program)."""
    program_manager.is_staff = True
    program_manager.save(update_fields=["is_staff"])
    ProjectFactory(name="A", manager=program_manager)
    return program_manager


@pytest.fixture
def project_b(db):
    return ProjectFactory(name="B")


def _milestone_data(project, **overrides):
    return {"project": project.pk, "name": "Go live", "due_date": "2026-05-01", "completed_on": "", **overrides}


def test_a_program_manager_adds_a_milestone_to_a_project_they_manage(client, manager_of_a):
    client.force_login(manager_of_a)

    response = client.post(reverse("admin:programs_milestone_add"), _milestone_data(Project.objects.get(name="A")))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Milestone.objects.get().project.name == "A"


def test_a_program_manager_cannot_add_a_milestone_to_a_project_they_do_not_edit(client, manager_of_a, project_b):
    client.force_login(manager_of_a)

    response = client.post(reverse("admin:programs_milestone_add"), _milestone_data(project_b))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["project"]
    assert not Milestone.objects.exists()


def test_a_program_manager_cannot_move_a_milestone_to_a_project_they_do_not_edit(client, manager_of_a, project_b):
    milestone = MilestoneFactory(project=Project.objects.get(name="A"), name="Beta")
    client.force_login(manager_of_a)
    url = admin_url(milestone, "change", milestone.pk)

    moved = client.post(url, admin_form_data(client.get(url), project=project_b.pk, name="Moved"))
    renamed = client.post(url, admin_form_data(client.get(url), name="Renamed"))

    assert moved.status_code == 200
    assert moved.context["adminform"].form.errors["project"]
    assert renamed.status_code == 302, renamed.context["adminform"].form.errors
    milestone.refresh_from_db()
    assert (milestone.project.name, milestone.name, milestone.version) == ("A", "Renamed", 2)


def test_a_project_manager_edits_their_project_without_being_asked_about_its_program(client, manager_of_a):
    project = Project.objects.get(name="A")
    client.force_login(manager_of_a)
    url = admin_url(project, "change", project.pk)

    response = client.post(url, admin_form_data(client.get(url), description="Edited by its manager"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert (project.description, project.version) == ("Edited by its manager", 2)


def test_a_program_manager_cannot_move_their_project_into_a_program_they_do_not_edit(client, manager_of_a, project_b):
    project = Project.objects.get(name="A")
    client.force_login(manager_of_a)
    url = admin_url(project, "change", project.pk)

    response = client.post(url, admin_form_data(client.get(url), program=project_b.program_id))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["program"]
    project.refresh_from_db()
    assert project.program_id != project_b.program_id


def test_milestones_inline_follow_the_projects_permission(client, manager_of_a, project_b):
    MilestoneFactory(project=project_b)
    client.force_login(manager_of_a)
    own = client.get(admin_url(Project.objects.get(name="A"), "change", Project.objects.get(name="A").pk))
    other = client.get(admin_url(project_b, "change", project_b.pk))

    assert b'name="milestones-TOTAL_FORMS"' in own.content
    assert other.status_code == 200
    assert b'name="milestones-0-name"' not in other.content  # shown read-only
    assert b"Opened version" not in other.content


def test_an_allocation_on_a_resource_page_cannot_go_to_a_program_the_user_does_not_edit(
    client, program_manager, project_b
):
    pgm = program_manager  # changes resources, edits no program
    pgm.is_staff = True
    pgm.save(update_fields=["is_staff"])
    allocation = AllocationFactory(project=project_b, percent=50)
    resource = allocation.resource
    client.force_login(pgm)
    url = admin_url(resource, "change", resource.pk)
    page = client.get(url)

    changed = client.post(url, admin_form_data(page, **{"allocations-0-percent": "90"}))
    added = client.post(
        url,
        admin_form_data(
            page,
            **{
                "allocations-TOTAL_FORMS": "2",
                "allocations-1-project": str(project_b.pk),
                "allocations-1-percent": "10",
                "allocations-1-start_date": "2026-07-01",
                "allocations-1-end_date": "2026-07-31",
                "allocations-1-opened_version": "",
            },
        ),
    )

    assert changed.status_code == 200
    assert "You may not change" in str(changed.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert added.status_code == 200
    assert added.context["inline_admin_formsets"][0].formset.forms[1].errors["project"]
    assert list(Allocation.objects.values_list("percent", flat=True)) == [50]


def _queries_of(client, url) -> int:
    assert client.get(url).status_code == 200  # warm the caches (content types, session) first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_project_and_resource_pages_cost_the_same_queries_for_2_or_12_inline_rows(client, superuser):
    client.force_login(superuser)
    counts = []
    for rows in (2, 12):
        project, resource = ProjectFactory(), ResourceFactory()
        MilestoneFactory.create_batch(rows, project=project)
        ProjectObjectiveFactory.create_batch(rows, project=project)
        AllocationFactory.create_batch(rows, resource=resource)
        counts.append(
            (
                _queries_of(client, admin_url(project, "change", project.pk)),
                _queries_of(client, admin_url(resource, "change", resource.pk)),
            )
        )

    assert counts[0] == counts[1]


# --- Portfolios, programs and projects are written through their services ------------------------------------


def test_a_project_saved_in_the_admin_with_another_products_features_is_refused_and_nothing_changes(client, superuser):
    project = ProjectFactory(product=ProductFactory(name="Flow"))
    foreign = FeatureFactory(product=ProductFactory(name="Atlas"))
    client.force_login(superuser)
    page = client.get(admin_url(project, "change", project.pk))

    response = client.post(
        admin_url(project, "change", project.pk), admin_form_data(page, name="Renamed", features=[str(foreign.pk)])
    )

    assert response.status_code == 302
    assert "belongs to another product" in str(list(get_messages(response.wsgi_request))[0])
    project.refresh_from_db()
    assert (project.name, project.version, list(project.features.all())) == (project.name, 1, [])
    assert project.name != "Renamed"


def test_a_program_added_in_the_admin_goes_through_the_service_and_its_history_names_who(client, superuser):
    portfolio = PortfolioFactory()
    client.force_login(superuser)
    page = client.get(admin_url(Program, "add"))

    response = client.post(
        admin_url(Program, "add"),
        admin_form_data(page, portfolio=str(portfolio.pk), name="Payments", manager=str(superuser.pk), budget="10"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    program = Program.objects.get(name="Payments")
    assert program.portfolio == portfolio and program.version == 1
    assert program.history.get().history_user == superuser


def test_archiving_cascade_and_delete_refusal_hold_in_the_admin_too(client, superuser):
    project = ProjectFactory()
    MilestoneFactory(project=project)
    client.force_login(superuser)

    page = client.post(admin_url(project.program, "delete", project.program.pk), {"post": "yes"})

    assert Program.objects.filter(pk=project.program.pk).exists()
    assert "archive" in page.content.decode().lower()
