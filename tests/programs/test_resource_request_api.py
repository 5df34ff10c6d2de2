"""Resource requests through the API: filed (201) by a product manager for a product they edit, approved with a
person (the allocation made with it) or rejected with a note by the project's program, cancelled by the requester;
409 once no longer pending, 400 with field messages and nothing changed, 403 by the rules; the list filtered by
program, project, product, function, status and requester, ordered, in a fixed number of queries."""

import pytest

from portfolio.core import roles
from programs.models import Allocation, Project, ResourceRequest
from tests.api import queries_for, result_ids
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory
from tests.programs.factories import ProgramFactory, ProjectFactory, ResourceFactory, ResourceRequestFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/resource-requests"


@pytest.fixture
def product(product_manager):
    return ProductFactory(owner=product_manager, name="Atlas")


@pytest.fixture
def project(program_manager, product):
    return ProjectFactory(program=ProgramFactory(manager=program_manager), product=product, status="active")


@pytest.fixture
def designer():
    return ResourceFactory(name="Dana Design", function="design")


@pytest.fixture
def pending(product, project, product_manager):
    return ResourceRequestFactory(product=product, project=project, requested_by=product_manager, function="design")


def body(product, target, **values):
    return {
        "product": product.pk,
        "project": target.pk,
        "function": "design",
        "percent": 50,
        "start_date": "2026-04-01",
        "end_date": "2026-06-30",
        "justification": "Two rounds of usability tests.",
    } | values


def test_a_product_manager_files_a_request_and_a_program_manager_approves_it(
    api_as, product_manager, program_manager, product, project, designer
):
    filed = api_as(product_manager).post(f"{API}/", body(product, project), format="json")
    assert filed.status_code == 201, filed.json()
    assert filed.json() | {"id": 0} == filed.json() | {
        "id": 0, "status": "pending", "requested_by": product_manager.pk, "version": 1, "allocation": None,
    }  # fmt: skip
    url = f"{API}/{filed.json()['id']}"
    approved = api_as(program_manager).post(
        f"{url}/approve/", {"resource": designer.pk, "note": "Dana is free."}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    allocation = Allocation.objects.get()
    assert approved.json() | {"decided_at": None} == approved.json() | {
        "decided_at": None, "status": "approved", "decided_by": program_manager.pk, "allocation": allocation.pk,
        "decision_note": "Dana is free.", "version": 2,
    }  # fmt: skip
    assert (allocation.resource, allocation.percent) == (designer, 50)
    again = api_as(program_manager).post(f"{url}/reject/", {"note": "No."}, format="json")
    assert again.status_code == 409
    assert again.json()["current"]["status"] == "approved"


def test_a_rejection_needs_its_note_and_a_second_decision_is_a_409(api_as, program_manager, pending):
    url = f"{API}/{pending.pk}/reject/"
    missing = api_as(program_manager).post(url, {}, format="json")
    assert (missing.status_code, list(missing.json()["errors"])) == (400, ["note"])
    blank = api_as(program_manager).post(url, {"note": "   "}, format="json")
    assert (blank.status_code, list(blank.json()["errors"])) == (400, ["note"])
    assert ResourceRequest.objects.get().status == "pending"
    assert api_as(program_manager).post(url, {"note": "Nobody free."}, format="json").status_code == 200
    assert api_as(program_manager).post(url, {"note": "Again."}, format="json").status_code == 409


def test_a_person_of_another_function_needs_the_override(api_as, program_manager, pending):
    engineer = ResourceFactory(function="engineering")
    url = f"{API}/{pending.pk}/approve/"
    refused = api_as(program_manager).post(url, {"resource": engineer.pk}, format="json")
    assert (refused.status_code, list(refused.json()["errors"])) == (400, ["resource"])
    assert not Allocation.objects.exists()
    overridden = api_as(program_manager).post(url, {"resource": engineer.pk, "override_function": True}, format="json")
    assert overridden.status_code == 200
    assert Allocation.objects.get().resource == engineer


def test_an_inactive_person_is_refused_and_the_request_stays_pending(api_as, program_manager, pending):
    retired = ResourceFactory(function="design", active=False)
    response = api_as(program_manager).post(f"{API}/{pending.pk}/approve/", {"resource": retired.pk}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["resource"])
    assert not Allocation.objects.exists()
    assert ResourceRequest.objects.get().status == "pending"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"percent": 0}, "percent"),
        ({"percent": 101}, "percent"),
        ({"percent": "50"}, "percent"),
        ({"start_date": "2026-07-01", "end_date": "2026-06-30"}, "end_date"),
        ({"function": "astronaut"}, "function"),
        ({"justification": ""}, "justification"),
        ({"project": 10**9}, "project"),
    ],
)
def test_a_bad_request_is_a_400_naming_the_field_and_files_nothing(
    api_as, product_manager, product, project, values, field
):
    response = api_as(product_manager).post(f"{API}/", body(product, project, **values), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ResourceRequest.objects.exists()


def test_a_request_for_a_closed_project_is_a_400(api_as, product_manager, product, project):
    Project.objects.filter(pk=project.pk).update(status="completed")
    response = api_as(product_manager).post(f"{API}/", body(product, project), format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["project"])


def test_a_request_for_a_product_one_does_not_edit_is_refused(api_as, project):
    stranger = UserFactory(roles=[roles.PRODUCT_MANAGERS])
    response = api_as(stranger).post(f"{API}/", body(ProductFactory(), project), format="json")
    assert response.status_code == 403
    assert not ResourceRequest.objects.exists()


def test_a_product_manager_cannot_approve_and_leadership_only_reads(api_as, product_manager, leader, pending, designer):
    for user in (product_manager, leader):
        client = api_as(user)
        assert client.post(f"{API}/{pending.pk}/approve/", {"resource": designer.pk}, format="json").status_code == 403
        assert client.post(f"{API}/{pending.pk}/reject/", {"note": "No."}, format="json").status_code == 403
        assert client.get(f"{API}/{pending.pk}/").status_code == 200
    assert api_as(leader).post(f"{API}/{pending.pk}/cancel/", format="json").status_code == 403
    assert ResourceRequest.objects.get().status == "pending"


def test_a_program_manager_of_another_program_cannot_decide(api_as, pending, designer):
    other = UserFactory(roles=[roles.PROGRAM_MANAGERS])
    ProgramFactory(manager=other)
    response = api_as(other).post(f"{API}/{pending.pk}/approve/", {"resource": designer.pk}, format="json")
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_the_requester_cancels_while_pending_and_then_gets_a_409(api_as, product_manager, pending):
    client = api_as(product_manager)
    cancelled = client.post(f"{API}/{pending.pk}/cancel/", format="json")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert cancelled.json()["decided_at"] is not None
    assert client.post(f"{API}/{pending.pk}/cancel/", format="json").status_code == 409


def test_the_list_filters_by_program_function_status_and_requester(
    api_as, member, product_manager, program_manager, pending, product
):
    other_program = ProgramFactory()
    elsewhere = ResourceRequestFactory(
        product=product, project=ProjectFactory(program=other_program), function="engineering", status="cancelled",
        decided_at="2026-03-01T10:00:00Z",
    )  # fmt: skip
    client = api_as(member)
    assert result_ids(client.get(f"{API}/?program={pending.project.program_id}")) == [pending.pk]
    assert result_ids(client.get(f"{API}/?program={other_program.pk}")) == [elsewhere.pk]
    assert result_ids(client.get(f"{API}/?function=design")) == [pending.pk]
    assert result_ids(client.get(f"{API}/?status=cancelled")) == [elsewhere.pk]
    assert result_ids(client.get(f"{API}/?requested_by={product_manager.pk}")) == [pending.pk]
    assert result_ids(client.get(f"{API}/?product={product.pk}&ordering=id")) == [pending.pk, elsewhere.pk]
    assert client.get(f"{API}/?program=abc").status_code == 400


def test_the_list_takes_as_many_queries_for_50_requests_as_for_5(api_as, member, product, project):
    client = api_as(member)
    ResourceRequestFactory.create_batch(5, product=product, project=project)
    few, _ = queries_for(client, f"{API}/")
    ResourceRequestFactory.create_batch(45, product=product, project=project)
    many, listed = queries_for(client, f"{API}/?page_size=50")
    assert many == few
    assert len(listed["results"]) == 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_approvals_over_http_approve_each_request_once_and_refuse_the_rest(
    live_server, program_manager, product_manager
):
    """Twenty real HTTP requests at once, five for each of four requests for the same designer: four 200s, sixteen
    409s, and one allocation per approval."""
    import json
    import threading
    import urllib.error
    import urllib.request

    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=program_manager).key
    product = ProductFactory(owner=product_manager)
    project = ProjectFactory(program=ProgramFactory(manager=program_manager), product=product, status="active")
    designer = ResourceFactory(function="design")
    requests = [
        ResourceRequestFactory(product=product, project=project, requested_by=product_manager, function="design")
        for _ in range(4)
    ]
    barrier = threading.Barrier(20)
    codes: list[tuple[int, int]] = []

    def approve(pk):
        body = json.dumps({"resource": designer.pk}).encode()
        call = urllib.request.Request(
            f"{live_server.url}{API}/{pk}/approve/",
            data=body,
            method="POST",
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        barrier.wait(timeout=20)
        try:
            with urllib.request.urlopen(call, timeout=30) as response:
                codes.append((pk, response.status))
        except urllib.error.HTTPError as error:
            codes.append((pk, error.code))

    threads = [threading.Thread(target=approve, args=(requests[i % 4].pk,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(code for _, code in codes) == [200] * 4 + [409] * 16, codes
    assert sorted(pk for pk, code in codes if code == 200) == sorted(request.pk for request in requests)
    assert Allocation.objects.filter(resource=designer).count() == 4
    assert set(ResourceRequest.objects.values_list("status", flat=True)) == {"approved"}
