"""The resource request pages: a product's requests and its "Request people" form, the program manager's queue
with who is free for each pending request, approve and reject in place (HTMX) or without script, the home page;
who sees the controls, what a refused or bad write leaves, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.core import roles
from programs.models import Allocation, ResourceRequest
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory
from tests.programs.factories import (
    AllocationFactory,
    ProgramFactory,
    ProjectFactory,
    ResourceFactory,
    ResourceRequestFactory,
)

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 4, 6), datetime.date(2026, 6, 26)
QUEUE = reverse("programs:resource_request_queue")


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager, name="Atlas", slug="atlas")


@pytest.fixture
def program(program_manager):
    return ProgramFactory(manager=program_manager, name="Payments")


@pytest.fixture
def project(program, product):
    return ProjectFactory(program=program, product=product, name="Checkout", status="active")


@pytest.fixture
def designers(project):
    busy = ResourceFactory(name="Bea Busy", function="design")
    AllocationFactory(resource=busy, project=project, percent=80, start_date=START, end_date=END)
    return {"free": ResourceFactory(name="Dana Free", function="design"), "busy": busy}


@pytest.fixture
def pending(product, project, product_manager):
    return ResourceRequestFactory(
        product=product, project=project, requested_by=product_manager, function="design", percent=50,
        start_date=START, end_date=END, justification="Two rounds of usability tests.",
    )  # fmt: skip


def signed_in(client, user):
    client.force_login(user)
    return client


def product_page(product):
    return reverse("programs:product_resource_requests", args=[product.slug])


def queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


# --- The product's requests --------------------------------------------------------------------------------------


def test_a_product_manager_files_a_request_from_the_product_page(client, product_manager, product, project):
    client = signed_in(client, product_manager)
    page = client.get(product_page(product))
    assert b"Request people" in page.content
    response = client.post(
        product_page(product),
        {"project": project.pk, "function": "design", "percent": 50, "start_date": "2026-04-06",
         "end_date": "2026-06-26", "justification": "Usability tests."},
    )  # fmt: skip
    assert response.status_code == 302
    filed = ResourceRequest.objects.get()
    assert (filed.requested_by, filed.product, filed.status, filed.percent) == (product_manager, product, "pending", 50)


def test_a_bad_request_is_redisplayed_with_its_errors_and_files_nothing(client, product_manager, product, project):
    response = signed_in(client, product_manager).post(
        product_page(product),
        {"project": project.pk, "function": "design", "percent": 101, "start_date": "2026-06-26",
         "end_date": "2026-04-06", "justification": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"percent", "justification"}
    assert not ResourceRequest.objects.exists()


def test_the_end_before_the_start_is_named_on_the_form(client, product_manager, product, project):
    response = signed_in(client, product_manager).post(
        product_page(product),
        {"project": project.pk, "function": "design", "percent": 50, "start_date": "2026-06-26",
         "end_date": "2026-04-06", "justification": "Tests."},
    )  # fmt: skip
    assert response.status_code == 400
    assert "end_date" in response.context["form"].errors


def test_someone_who_may_not_request_sees_no_form_and_a_forced_post_is_refused(client, member, product, project):
    client = signed_in(client, member)
    assert b"Request people" not in client.get(product_page(product)).content
    response = client.post(product_page(product), {"project": project.pk})
    assert response.status_code == 403
    assert not ResourceRequest.objects.exists()


def test_the_product_page_shows_the_decision_and_the_person_allocated(
    client, member, program_manager, pending, designers
):
    from programs import services

    services.resource_request_approve(user=program_manager, request=pending, resource=designers["free"], note="Go.")
    page = signed_in(client, member).get(product_page(pending.product)).content.decode()
    assert "Approved" in page and "Dana Free" in page and "Go." in page


def test_the_requester_cancels_a_pending_request_from_the_product_page(client, product_manager, pending):
    client = signed_in(client, product_manager)
    assert b"Cancel" in client.get(product_page(pending.product)).content
    response = client.post(reverse("programs:resource_request_cancel", args=[pending.pk]))
    assert response.status_code == 302
    assert ResourceRequest.objects.get().status == "cancelled"


def test_someone_else_cannot_cancel_a_request(client, member, pending):
    response = signed_in(client, member).post(reverse("programs:resource_request_cancel", args=[pending.pk]))
    assert response.status_code == 403
    assert ResourceRequest.objects.get().status == "pending"


# --- The queue -----------------------------------------------------------------------------------------------------


def test_the_queue_shows_who_is_free_for_a_pending_request_the_freest_first(
    client, program_manager, pending, designers
):
    response = signed_in(client, program_manager).get(QUEUE)
    page = response.content.decode()
    assert "Two rounds of usability tests." in page
    capacity = response.context["rows"][0].capacity
    assert [(line["resource"].name, line["free_percent"], line["fits"]) for line in capacity] == [
        ("Dana Free", 100, True), ("Bea Busy", 20, False),
    ]  # fmt: skip
    assert "Dana Free — 100 % free" in page
    assert page.index("Dana Free") < page.index("Bea Busy")
    assert "Over capacity" in page and "130 % booked" in page


def test_a_program_manager_sees_only_the_requests_of_their_programs(client, program_manager, pending):
    elsewhere = ResourceRequestFactory(project=ProjectFactory(program=ProgramFactory()), justification="Elsewhere.")
    page = signed_in(client, program_manager).get(QUEUE).content.decode()
    assert "Two rounds of usability tests." in page
    assert elsewhere.justification not in page


def test_leadership_reads_every_request_without_the_decision_forms(client, leader, pending):
    page = signed_in(client, leader).get(QUEUE).content.decode()
    assert "Two rounds of usability tests." in page
    assert reverse("programs:resource_request_approve", args=[pending.pk]) not in page


def test_the_queue_shows_pending_requests_unless_asked_for_another_status(client, program_manager, pending, project):
    decided = ResourceRequestFactory(
        project=project, status="cancelled", decided_at="2026-03-01T10:00Z", justification="Withdrawn one."
    )
    client = signed_in(client, program_manager)
    assert decided.justification not in client.get(QUEUE).content.decode()
    assert decided.justification in client.get(f"{QUEUE}?status=cancelled").content.decode()
    assert decided.justification in client.get(f"{QUEUE}?status=").content.decode()
    assert "Two rounds" not in client.get(f"{QUEUE}?function=engineering").content.decode()
    assert "Two rounds" in client.get(f"{QUEUE}?program={project.program_id}").content.decode()
    assert client.get(f"{QUEUE}?status=nonsense").status_code == 400


def test_approving_without_script_allocates_the_person_and_goes_back_to_the_queue(
    client, program_manager, pending, designers
):
    response = signed_in(client, program_manager).post(
        reverse("programs:resource_request_approve", args=[pending.pk]),
        {f"approve-{pending.pk}-resource": designers["free"].pk, f"approve-{pending.pk}-note": "Dana is free."},
    )
    assert response.status_code == 302
    request = ResourceRequest.objects.get()
    assert (request.status, request.allocation.resource, request.decision_note) == (
        "approved", designers["free"], "Dana is free.",
    )  # fmt: skip


def test_approving_in_place_answers_with_the_request_decided(client, program_manager, pending, designers):
    response = signed_in(client, program_manager).post(
        reverse("programs:resource_request_approve", args=[pending.pk]),
        {f"approve-{pending.pk}-resource": designers["busy"].pk},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith("<article") or "<article" in page[:200]
    assert "Approved by" in page and "Bea Busy" in page


def test_a_person_of_another_function_is_refused_on_the_form_without_the_override(
    client, program_manager, pending, designers
):
    engineer = ResourceFactory(name="Eve Engineer", function="engineering")
    client = signed_in(client, program_manager)
    url = reverse("programs:resource_request_approve", args=[pending.pk])
    refused = client.post(url, {f"approve-{pending.pk}-resource": engineer.pk})
    assert refused.status_code == 400
    assert "Eve Engineer works in engineering" in refused.content.decode()
    assert not Allocation.objects.filter(resource=engineer).exists()
    in_place = client.post(url, {f"approve-{pending.pk}-resource": engineer.pk}, headers={"HX-Request": "true"})
    assert in_place.status_code == 200 and "works in engineering" in in_place.content.decode()
    overridden = client.post(
        url, {f"approve-{pending.pk}-resource": engineer.pk, f"approve-{pending.pk}-override_function": "on"}
    )
    assert overridden.status_code == 302
    assert ResourceRequest.objects.get().allocation.resource == engineer


def test_rejecting_needs_a_note(client, program_manager, pending):
    client = signed_in(client, program_manager)
    url = reverse("programs:resource_request_reject", args=[pending.pk])
    assert client.post(url, {f"reject-{pending.pk}-note": ""}).status_code == 400
    assert ResourceRequest.objects.get().status == "pending"
    assert client.post(url, {f"reject-{pending.pk}-note": "Nobody free."}).status_code == 302
    assert ResourceRequest.objects.get().status == "rejected"


def test_deciding_a_request_decided_meanwhile_says_so_and_changes_nothing(client, program_manager, pending, designers):
    client = signed_in(client, program_manager)
    client.post(reverse("programs:resource_request_reject", args=[pending.pk]), {f"reject-{pending.pk}-note": "No."})
    response = client.post(
        reverse("programs:resource_request_approve", args=[pending.pk]),
        {f"approve-{pending.pk}-resource": designers["free"].pk},
        headers={"HX-Request": "true"},
    )
    assert "no longer pending" in response.content.decode()
    assert not Allocation.objects.filter(resource=designers["free"]).exists()


@pytest.mark.parametrize("who", ["product_manager", "leader", "member"])
def test_only_the_programs_editors_decide(client, request, who, pending, designers):
    client = signed_in(client, request.getfixturevalue(who))
    approve = reverse("programs:resource_request_approve", args=[pending.pk])
    assert client.post(approve, {f"approve-{pending.pk}-resource": designers["free"].pk}).status_code == 403
    reject = reverse("programs:resource_request_reject", args=[pending.pk])
    assert client.post(reject, {f"reject-{pending.pk}-note": "No."}).status_code == 403
    assert ResourceRequest.objects.get().status == "pending"


def test_a_program_manager_of_another_program_cannot_decide(client, pending, designers):
    other = UserFactory(roles=[roles.PROGRAM_MANAGERS])
    ProgramFactory(manager=other)
    response = signed_in(client, other).post(
        reverse("programs:resource_request_approve", args=[pending.pk]),
        {f"approve-{pending.pk}-resource": designers["free"].pk},
    )
    assert response.status_code == 403


# --- Home -------------------------------------------------------------------------------------------------------


def test_the_requester_sees_pending_and_decided_requests_on_the_home_page(
    client, product_manager, program_manager, pending, product, project
):
    from programs import services

    other = ResourceRequestFactory(product=product, project=project, requested_by=product_manager, function="design")
    services.resource_request_reject(user=program_manager, request=other, note="Nobody free this quarter.")
    page = signed_in(client, product_manager).get(reverse("home")).content.decode()
    assert "My resource requests" in page
    assert "Rejected" in page and "Nobody free this quarter." in page and "Pending" in page


def test_a_program_manager_sees_how_many_requests_wait_with_a_link_to_the_queue(client, program_manager, pending):
    ResourceRequestFactory(project=ProjectFactory(program=ProgramFactory()))  # another program's
    page = signed_in(client, program_manager).get(reverse("home")).content.decode()
    assert "<strong>1</strong> request waiting for your decision" in page
    assert f'href="{QUEUE}"' in page


# --- Query counts -----------------------------------------------------------------------------------------------


def test_the_queue_runs_a_fixed_number_of_queries(client, program_manager, product, project, designers):
    client = signed_in(client, program_manager)

    def fill(count):
        ResourceRequestFactory.create_batch(
            count, product=product, project=project, function="design", start_date=START, end_date=END
        )
        ResourceRequestFactory.create_batch(
            count, product=product, project=project, status="cancelled", decided_at="2026-03-01T10:00Z"
        )

    fill(5)
    few, _ = queries(client, f"{QUEUE}?status=")
    fill(45)
    many, response = queries(client, f"{QUEUE}?status=")
    assert many == few
    assert len(response.context["rows"]) == 25


def test_the_product_page_runs_a_fixed_number_of_queries(client, product_manager, product, project):
    client = signed_in(client, product_manager)
    ResourceRequestFactory.create_batch(5, product=product, project=project)
    few, _ = queries(client, product_page(product))
    ResourceRequestFactory.create_batch(45, product=product, project=project)
    approved = ResourceRequestFactory(product=product, project=project)
    approved.allocation = AllocationFactory(project=project)
    ResourceRequest.objects.filter(pk=approved.pk).update(
        status="approved", allocation=approved.allocation, decided_by=product_manager, decided_at="2026-03-01T10:00Z"
    )
    many, response = queries(client, product_page(product))
    assert many == few
    assert len(response.context["rows"]) == 51


def test_the_home_page_runs_a_fixed_number_of_queries_whatever_the_requests(
    client, product_manager, program_manager, product, project
):
    def fill(count):
        ResourceRequestFactory.create_batch(count, product=product, project=project, requested_by=product_manager)
        ResourceRequestFactory.create_batch(
            count, product=product, project=project, requested_by=product_manager, rejected=True
        )

    home = reverse("home")
    for user in (product_manager, program_manager):
        client.force_login(user)
        fill(5)
        few, _ = queries(client, home)
        fill(45)
        many, _ = queries(client, home)
        assert many == few, user
