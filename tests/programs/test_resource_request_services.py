"""Resource requests through the services: filed by a product manager for a product they edit, cancelled by
them while pending, approved (with the allocation, in one transaction) or rejected by the project's program;
decisions on a request no longer pending are conflicts, and refusals change nothing."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from portfolio.core import roles
from portfolio.core.exceptions import Conflict
from products.models import ProductMember
from programs import services
from programs.models import Allocation, Project, ResourceRequest
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory, ProductMemberFactory
from tests.programs.factories import (
    AllocationFactory,
    ProgramFactory,
    ProjectFactory,
    ResourceFactory,
    ResourceRequestFactory,
)

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager, name="Atlas")


@pytest.fixture
def program(program_manager):
    return ProgramFactory(manager=program_manager)


@pytest.fixture
def project(program, product):
    return ProjectFactory(program=program, product=product, name="Launch", status=Project.Status.ACTIVE)


@pytest.fixture
def designer():
    return ResourceFactory(name="Dana Design", function="design")


@pytest.fixture
def pending(product, project, product_manager):
    return ResourceRequestFactory(
        product=product, project=project, requested_by=product_manager, function="design", percent=50,
        start_date=START, end_date=END,
    )  # fmt: skip


def file(user, product, project, **values):
    body = {
        "function": "design",
        "percent": 50,
        "start_date": START,
        "end_date": END,
        "justification": "Two rounds of usability tests.",
    } | values
    return services.resource_request_file(user=user, product=product, project=project, **body)


# --- Filing and cancelling ------------------------------------------------------------------------------------


def test_a_product_manager_files_a_pending_request_for_a_product_they_own(product_manager, product, project):
    request = file(product_manager, product, project)
    assert (request.status, request.requested_by, request.version, request.decided_at) == (
        "pending", product_manager, 1, None,
    )  # fmt: skip
    assert request.history.get().history_user == product_manager


def test_an_editor_member_who_is_a_product_manager_files_a_request(product, project):
    editor = UserFactory(roles=[roles.PRODUCT_MANAGERS])
    ProductMemberFactory(product=product, user=editor, role=ProductMember.Role.EDITOR)
    assert file(editor, product, project).requested_by == editor


def test_a_product_manager_cannot_file_for_a_product_they_do_not_edit(project):
    stranger = UserFactory(roles=[roles.PRODUCT_MANAGERS])
    with pytest.raises(PermissionDenied):
        file(stranger, ProductFactory(), project)
    assert not ResourceRequest.objects.exists()


def test_a_program_manager_and_leadership_cannot_file_requests(program_manager, leader, product, project):
    for user in (program_manager, leader):
        with pytest.raises(PermissionDenied):
            file(user, product, project)
    assert not ResourceRequest.objects.exists()


@pytest.mark.parametrize("status", [Project.Status.COMPLETED, Project.Status.CANCELLED])
def test_no_request_is_filed_for_a_closed_project(product_manager, product, project, status):
    Project.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        file(product_manager, product, project)
    assert error.value.message_dict == {"project": [services.CLOSED_PROJECT]}


def test_no_request_is_filed_for_an_archived_project(product_manager, product, project):
    services.project_archive(user=project.program.manager, project=project)
    project.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        file(product_manager, product, project)
    assert "project" in error.value.message_dict


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"percent": 0}, "percent"),
        ({"percent": 101}, "percent"),
        ({"start_date": END, "end_date": START}, "end_date"),
        ({"justification": ""}, "justification"),
    ],
)
def test_a_bad_request_is_refused_with_the_field_at_fault(product_manager, product, project, values, field):
    with pytest.raises(ValidationError) as error:
        file(product_manager, product, project, **values)
    assert field in error.value.message_dict
    assert not ResourceRequest.objects.exists()


def test_the_requester_cancels_a_pending_request_and_when_is_kept(product_manager, pending):
    cancelled = services.resource_request_cancel(user=product_manager, request=pending)
    assert (cancelled.status, cancelled.decided_by, cancelled.version) == ("cancelled", None, 2)
    assert cancelled.decided_at is not None
    assert cancelled.history.count() == 2


def test_nobody_but_the_requester_cancels_a_request(program_manager, leader, product, pending):
    colleague = UserFactory(roles=[roles.PRODUCT_MANAGERS])
    ProductMemberFactory(product=product, user=colleague, role=ProductMember.Role.EDITOR)
    for user in (program_manager, leader, colleague):
        with pytest.raises(PermissionDenied):
            services.resource_request_cancel(user=user, request=pending)
    assert ResourceRequest.objects.get().status == "pending"


def test_cancelling_a_decided_request_is_a_conflict(product_manager, program_manager, pending):
    services.resource_request_reject(user=program_manager, request=pending, note="No one free.")
    with pytest.raises(Conflict):
        services.resource_request_cancel(user=product_manager, request=pending)
    assert ResourceRequest.objects.get().status == "rejected"


# --- Deciding -------------------------------------------------------------------------------------------------


def test_approving_allocates_the_chosen_person_for_the_requested_percent_and_period(program_manager, pending, designer):
    approved = services.resource_request_approve(
        user=program_manager, request=pending, resource=designer, note="Dana is free."
    )
    allocation = Allocation.objects.get()
    assert (approved.status, approved.decided_by, approved.decision_note, approved.allocation) == (
        "approved", program_manager, "Dana is free.", allocation,
    )  # fmt: skip
    assert approved.decided_at is not None and approved.version == 2
    assert (allocation.resource, allocation.project, allocation.percent) == (designer, pending.project, 50)
    assert (allocation.start_date, allocation.end_date) == (START, END)
    assert approved.history.latest().history_user == program_manager


def test_a_person_of_another_function_is_refused_without_the_override(program_manager, pending):
    engineer = ResourceFactory(name="Eve Engineer", function="engineering")
    with pytest.raises(ValidationError) as error:
        services.resource_request_approve(user=program_manager, request=pending, resource=engineer)
    assert list(error.value.message_dict) == ["resource"]
    assert not Allocation.objects.exists()
    assert ResourceRequest.objects.get().status == "pending"
    approved = services.resource_request_approve(
        user=program_manager, request=pending, resource=engineer, override_function=True
    )
    assert approved.allocation.resource == engineer


def test_a_failed_approval_leaves_no_allocation_and_the_request_pending(program_manager, pending):
    retired = ResourceFactory(function="design", active=False)
    with pytest.raises(ValidationError) as error:
        services.resource_request_approve(user=program_manager, request=pending, resource=retired)
    assert "resource" in error.value.message_dict
    assert not Allocation.objects.exists()
    stored = ResourceRequest.objects.get()
    assert (stored.status, stored.decided_by, stored.version) == ("pending", None, 1)


def test_an_approval_that_loses_the_race_takes_its_allocation_back(program_manager, pending, designer):
    """The allocation is made before the conditional update: a request decided meanwhile undoes it."""
    stale = ResourceRequest.objects.get(pk=pending.pk)
    services.resource_request_reject(user=program_manager, request=pending, note="Not this quarter.")
    with pytest.raises(Conflict):
        services.resource_request_approve(user=program_manager, request=stale, resource=designer)
    assert not Allocation.objects.exists()
    assert ResourceRequest.objects.get().status == "rejected"


def test_deciding_a_request_no_longer_pending_is_a_conflict(program_manager, pending, designer):
    services.resource_request_approve(user=program_manager, request=pending, resource=designer)
    pending.refresh_from_db()
    with pytest.raises(Conflict):
        services.resource_request_approve(user=program_manager, request=pending, resource=designer)
    with pytest.raises(Conflict):
        services.resource_request_reject(user=program_manager, request=pending, note="Changed my mind.")
    assert Allocation.objects.count() == 1


def test_rejecting_needs_a_note_and_records_who_and_when(program_manager, pending):
    with pytest.raises(ValidationError) as error:
        services.resource_request_reject(user=program_manager, request=pending, note="  ")
    assert error.value.message_dict == {"note": [services.NOTE_REQUIRED]}
    rejected = services.resource_request_reject(user=program_manager, request=pending, note="Nobody is free.")
    assert (rejected.status, rejected.decided_by, rejected.decision_note) == (
        "rejected", program_manager, "Nobody is free.",
    )  # fmt: skip


def test_only_the_program_of_the_project_decides(product_manager, leader, pending, designer):
    other_program_manager = UserFactory(roles=[roles.PROGRAM_MANAGERS])
    ProgramFactory(manager=other_program_manager)
    for user in (product_manager, leader, other_program_manager):
        with pytest.raises(PermissionDenied):
            services.resource_request_approve(user=user, request=pending, resource=designer)
        with pytest.raises(PermissionDenied):
            services.resource_request_reject(user=user, request=pending, note="No.")
    assert not Allocation.objects.exists()
    assert ResourceRequest.objects.get().status == "pending"


def test_the_portfolio_owner_decides_too(pending, designer):
    owner = pending.project.program.portfolio.owner
    assert services.resource_request_approve(user=owner, request=pending, resource=designer).status == "approved"


# --- The database holds the rules too -------------------------------------------------------------------------


def _violates(**values):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceRequestFactory(**values)


def test_the_database_refuses_a_decision_without_who_when_or_allocation(program_manager):
    when = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    _violates(status="approved", decided_by=program_manager, decided_at=when)  # no allocation
    _violates(status="rejected", decided_at=when, decision_note="No.")  # nobody decided
    _violates(status="rejected", decided_by=program_manager, decided_at=when)  # no note
    _violates(status="pending", decided_at=when)
    _violates(status="cancelled")  # no when
    _violates(status="pending", allocation=AllocationFactory())


def test_an_approved_requests_allocation_cannot_be_deleted(program_manager, pending, designer):
    approved = services.resource_request_approve(user=program_manager, request=pending, resource=designer)
    with pytest.raises(Exception, match="protected"):
        approved.allocation.delete()
    assert Allocation.objects.count() == 1


# --- Concurrency ----------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_approvals_each_end_approved_once_or_refused(program_manager, product_manager):
    """Twenty threads approve four requests for the same designer at once: each request is approved exactly once
    and there is one allocation per approval, no more."""
    product = ProductFactory(owner=product_manager)
    project = ProjectFactory(program=ProgramFactory(manager=program_manager), product=product, status="active")
    designer = ResourceFactory(function="design")
    requests = [
        ResourceRequestFactory(product=product, project=project, requested_by=product_manager, function="design",
                               percent=20)
        for _ in range(4)
    ]  # fmt: skip
    barrier = threading.Barrier(20)
    outcomes: list[tuple[int, str]] = []

    def approve(request):
        try:
            barrier.wait(timeout=20)
            services.resource_request_approve(user=program_manager, request=request, resource=designer)
            outcomes.append((request.pk, "approved"))
        except Conflict:
            outcomes.append((request.pk, "conflict"))
        except (ValidationError, PermissionDenied, DatabaseError) as error:  # pragma: no cover - reported below
            outcomes.append((request.pk, repr(error)))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(ResourceRequest.objects.get(pk=requests[i % 4].pk),)) for i in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcome for _, outcome in outcomes) == ["approved"] * 4 + ["conflict"] * 16, outcomes
    for request in requests:
        assert [pk for pk, outcome in outcomes if outcome == "approved"].count(request.pk) == 1
    assert Allocation.objects.filter(resource=designer).count() == 4
    assert set(ResourceRequest.objects.values_list("status", flat=True)) == {"approved"}
    assert sorted(ResourceRequest.objects.values_list("allocation__percent", flat=True)) == [20] * 4
