"""The portfolio, program and project pages: what they show, who sees the controls, what a refused or bad write
leaves, and a fixed number of queries whatever the number of rows."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from programs.models import Program, Project
from tests.core.factories import UserFactory
from tests.products.factories import FeatureFactory, ProductFactory
from tests.programs.factories import (
    AllocationFactory,
    DependencyFactory,
    MilestoneFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
    StatusReportFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 7, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def owner():
    return UserFactory(username="owner")


@pytest.fixture
def portfolio(owner):
    return PortfolioFactory(owner=owner, name="Core Platform")


@pytest.fixture
def program(portfolio, program_manager):
    return ProgramFactory(portfolio=portfolio, manager=program_manager, name="Payments")


@pytest.fixture
def project(program):
    return ProjectFactory(program=program, name="Checkout")


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_portfolio_list_shows_owner_counts_and_health_in_words(client, portfolio, program, project, member):
    MilestoneFactory(project=project, due_date=datetime.date(2026, 7, 1))

    page = signed_in(client, member).get(reverse("programs:portfolio_list")).content.decode()

    assert "Core Platform" in page and str(portfolio.owner) in page
    assert "0 green, 1 amber, 0 red" in page


def test_an_archived_portfolio_leaves_the_list_and_comes_back_on_request(client, portfolio, member):
    PortfolioFactory(name="Old", archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    client = signed_in(client, member)

    assert "Old" not in client.get(reverse("programs:portfolio_list")).content.decode()
    assert "Old" in client.get(reverse("programs:portfolio_list") + "?archived=true").content.decode()


def test_the_portfolio_page_lists_programs_with_their_projects_and_budgets(client, portfolio, program, project, member):
    page = signed_in(client, member).get(reverse("programs:portfolio_detail", args=[portfolio.pk])).content.decode()

    assert "Payments" in page and "Checkout" in page and "Program total" in page
    assert "Health: Green" in page


def test_an_archived_project_leaves_the_program_page_until_asked_for(client, program, project, member):
    ProjectFactory(program=program, name="Sunset", archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    client = signed_in(client, member)
    url = reverse("programs:program_detail", args=[program.pk])

    assert "Sunset" not in client.get(url).content.decode()
    assert "Sunset" in client.get(url + "?archived=true").content.decode()


def test_the_project_page_says_why_a_project_is_late(client, project, member):
    MilestoneFactory(project=project, name="Beta", due_date=datetime.date(2026, 6, 15), is_key=True)
    MilestoneFactory(project=project, name="GA", due_date=datetime.date(2026, 9, 1))

    page = signed_in(client, member).get(reverse("programs:project_detail", args=[project.pk])).content.decode()

    assert "Health: Red" in page
    assert "Late: 1 milestone past due, the oldest 30 days" in page
    assert "30 days past due" in page


def test_the_project_page_shows_dependencies_both_ways_features_people_and_reports(client, project, member):
    other = ProjectFactory(program=project.program, name="Ledger")
    DependencyFactory(from_project=other, to_project=project)
    product = ProductFactory()
    feature = FeatureFactory(product=product, title="One-click pay")
    Project.objects.filter(pk=project.pk).update(product=product)
    project.features.add(feature)
    AllocationFactory(project=project, resource__name="Ada")
    StatusReportFactory(project=project, summary="Going well.")

    page = signed_in(client, member).get(reverse("programs:project_detail", args=[project.pk])).content.decode()

    assert "Ledger</a> blocks Checkout" in page
    assert reverse("products:feature_detail", kwargs={"slug": product.slug, "pk": feature.pk}) in page
    assert "Ada" in page and "Going well." in page


def test_a_program_manager_sees_the_controls_of_their_project_and_not_of_another(
    client, portfolio, project, program_manager
):
    foreign = ProjectFactory(program=ProgramFactory(portfolio=portfolio))
    client = signed_in(client, program_manager)

    assert (
        reverse("programs:project_update", args=[project.pk])
        in client.get(reverse("programs:project_detail", args=[project.pk])).content.decode()
    )
    assert (
        reverse("programs:project_update", args=[foreign.pk])
        not in client.get(reverse("programs:project_detail", args=[foreign.pk])).content.decode()
    )


def test_a_program_manager_edits_their_project(client, project, program_manager):
    response = signed_in(client, program_manager).post(
        reverse("programs:project_update", args=[project.pk]),
        {
            "name": "Checkout v2",
            "manager": program_manager.pk,
            "status": "active",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "budget": "100000",
            "business_value": 1,
            "time_criticality": 1,
            "risk_reduction": 1,
            "job_size": 1,
            "version": 1,
        },
    )

    assert response.status_code == 302
    assert Project.objects.get().name == "Checkout v2"


def test_an_end_before_the_start_is_a_400_with_the_field_marked_and_saves_nothing(client, project, program_manager):
    response = signed_in(client, program_manager).post(
        reverse("programs:project_update", args=[project.pk]),
        {
            "name": "Checkout",
            "manager": program_manager.pk,
            "status": "active",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
            "budget": "100000",
            "business_value": 1,
            "time_criticality": 1,
            "risk_reduction": 1,
            "job_size": 1,
            "version": 1,
        },
    )

    assert response.status_code == 400
    assert "end date must be on or after" in response.content.decode()
    assert Project.objects.get().end_date == datetime.date(2026, 12, 31)


@pytest.mark.parametrize("who", ["leader", "outsider"])
def test_leadership_and_outsiders_may_not_edit_archive_or_delete_a_project(client, project, who, request):
    client = signed_in(client, request.getfixturevalue(who))

    assert client.get(reverse("programs:project_update", args=[project.pk])).status_code == 403
    assert client.post(reverse("programs:project_archive", args=[project.pk])).status_code == 403
    assert client.post(reverse("programs:project_delete", args=[project.pk])).status_code == 403
    assert Project.objects.get().archived_at is None


def test_deleting_a_program_with_projects_is_refused_offering_archiving(client, program, project, owner):
    response = signed_in(client, owner).post(reverse("programs:program_delete", args=[program.pk]))

    assert response.status_code == 409
    assert "Archive it instead" in response.content.decode()
    assert Program.objects.filter(pk=program.pk).exists()


def test_the_portfolio_owner_creates_a_program_from_the_portfolio_page(client, portfolio, owner, program_manager):
    response = signed_in(client, owner).post(
        reverse("programs:program_create", args=[portfolio.pk]),
        {"name": "Data", "manager": program_manager.pk, "status": "active", "budget": "5000"},
    )

    assert response.status_code == 302
    assert Program.objects.get(name="Data").manager == program_manager


def test_an_empty_project_is_deleted_from_its_confirm_page(client, project, program_manager):
    client = signed_in(client, program_manager)

    assert client.get(reverse("programs:project_delete", args=[project.pk])).status_code == 200
    assert client.post(reverse("programs:project_delete", args=[project.pk])).status_code == 302
    assert not Project.objects.exists()


def _queries(client, django_assert_num_queries, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(program, count):
    for _n in range(count):
        project = ProjectFactory(program=program)
        MilestoneFactory(project=project, due_date=datetime.date(2026, 6, 1))
        AllocationFactory(project=project)


def test_the_portfolio_pages_run_a_fixed_number_of_queries(client, portfolio, program, member):
    client = signed_in(client, member)
    urls = [
        reverse("programs:portfolio_list"),
        reverse("programs:portfolio_detail", args=[portfolio.pk]),
        reverse("programs:program_detail", args=[program.pk]),
    ]
    _fill(program, 5)
    few = [_queries(client, None, url) for url in urls]
    _fill(program, 45)
    PortfolioFactory.create_batch(5)

    assert [_queries(client, None, url) for url in urls] == few


def test_the_project_page_runs_a_fixed_number_of_queries(client, project, member):
    client = signed_in(client, member)
    url = reverse("programs:project_detail", args=[project.pk])

    def fill(count):
        for n in range(count):
            MilestoneFactory(project=project, due_date=datetime.date(2026, 6, 1) + datetime.timedelta(days=n))
            AllocationFactory(project=project)
            StatusReportFactory(project=project)
            DependencyFactory(to_project=project, from_project=ProjectFactory(program=project.program))

    fill(5)
    few = _queries(client, None, url)
    fill(45)

    assert _queries(client, None, url) == few
