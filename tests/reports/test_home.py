"""The home page lists the signed-in user's products, programs and report subscriptions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.reports.selectors import home_summary
from tests.products.factories import FeatureFactory, ProductFactory, ProductMemberFactory
from tests.programs.factories import PortfolioFactory, ProgramFactory, ProjectFactory
from tests.reports.factories import ReportSubscriptionFactory

pytestmark = pytest.mark.django_db


def queries_for_home(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_product_manager_sees_owned_and_member_products_with_feature_counts(client, product_manager, member):
    owned = ProductFactory(name="Route Planner", owner=product_manager)
    FeatureFactory.create_batch(3, product=owned)
    joined = ProductFactory(name="Dispatch Board", owner=member)
    ProductMemberFactory(product=joined, user=product_manager, role="editor")
    ProductFactory(name="Unrelated Product", owner=member)

    client.force_login(product_manager)
    response = client.get("/")

    assert [product.name for product in response.context["products"]] == ["Dispatch Board", "Route Planner"]
    body = response.content.decode()
    assert "3 features" in body and "Owner" in body and "Editor" in body
    assert "Unrelated Product" not in body


def test_archived_products_leave_the_home_page(client, product_manager):
    ProductFactory(name="Route Planner", owner=product_manager)
    ProductFactory(name="Old Client", owner=product_manager, archived_at="2026-11-01T00:00:00Z")

    client.force_login(product_manager)
    response = client.get("/")

    assert [product.name for product in response.context["products"]] == ["Route Planner"]


def test_program_manager_sees_managed_programs_and_programs_of_owned_portfolios(client, program_manager, member):
    managed = ProgramFactory(name="Reliability", manager=program_manager, portfolio__owner=member)
    ProjectFactory.create_batch(2, program=managed, manager=program_manager)
    own_portfolio = PortfolioFactory(name="Growth", owner=program_manager)
    ProgramFactory(name="Onboarding", portfolio=own_portfolio, manager=member)
    ProgramFactory(name="Not mine", manager=member, portfolio__owner=member)

    client.force_login(program_manager)
    response = client.get("/")

    assert {program.name for program in response.context["programs"]} == {"Reliability", "Onboarding"}
    body = response.content.decode()
    assert "2 projects" in body and "0 projects" in body
    assert "managed by member" in body  # programs of an owned portfolio name their manager
    assert "Not mine" not in body


def test_leader_sees_their_report_subscriptions(client, leader, member):
    portfolio = PortfolioFactory(name="Core Platform", owner=member)
    ReportSubscriptionFactory(recipient=leader, frequency="weekly", weekday=0, hour=8)
    ReportSubscriptionFactory(recipient=leader, frequency="monthly", weekday=None, day_of_month=1, portfolio=portfolio)
    ReportSubscriptionFactory(recipient=member)

    client.force_login(leader)
    response = client.get("/")

    assert len(response.context["subscriptions"]) == 2
    body = response.content.decode()
    assert "Weekly report on the whole organisation" in body and "Mondays at 08:00" in body
    assert "Monthly report on Core Platform" in body and "day 1 of the month" in body


def test_user_with_nothing_sees_three_empty_states(client, outsider, member):
    ProductFactory(owner=member)
    ProgramFactory(manager=member, portfolio__owner=member)
    ReportSubscriptionFactory(recipient=member)

    client.force_login(outsider)
    body = client.get("/").content.decode()

    assert "Welcome, outsider" in body
    assert "You don't own or belong to any product yet." in body
    assert "You don't manage any program" in body
    assert "You don't receive any stakeholder report by email." in body


def test_home_summary_reads_everything_in_three_queries(django_assert_num_queries, product_manager):
    product = ProductFactory(owner=product_manager)
    FeatureFactory.create_batch(5, product=product)
    ProgramFactory(manager=product_manager, portfolio__owner=product_manager)
    ReportSubscriptionFactory(recipient=product_manager)

    with django_assert_num_queries(3):
        summary = home_summary(user=product_manager)
        assert [p.feature_count for p in summary["products"]] == [5]


def test_product_manager_home_query_count_does_not_grow_with_products(client, product_manager):
    client.force_login(product_manager)
    for _ in range(5):
        FeatureFactory(product=ProductFactory(owner=product_manager))
    baseline = queries_for_home(client)

    for _ in range(45):
        FeatureFactory(product=ProductFactory(owner=product_manager))
    assert queries_for_home(client) == baseline


def test_program_manager_home_query_count_does_not_grow_with_programs(client, program_manager, member):
    client.force_login(program_manager)
    own_portfolio = PortfolioFactory(owner=program_manager)
    other_portfolio = PortfolioFactory(owner=member)

    def add_program(portfolio, manager):
        ProjectFactory(program=ProgramFactory(portfolio=portfolio, manager=manager), manager=manager)

    for _ in range(5):
        add_program(own_portfolio, member)
    baseline = queries_for_home(client)

    for _ in range(45):
        add_program(other_portfolio, program_manager)
    assert queries_for_home(client) == baseline


def test_leader_home_query_count_does_not_grow_with_subscriptions(client, leader):
    client.force_login(leader)
    portfolio = PortfolioFactory(owner=leader)
    program, product = ProgramFactory(portfolio=portfolio, manager=leader), ProductFactory(owner=leader)
    scopes = [{"portfolio": portfolio}, {"program": program}, {"product": product}, {}]
    for index in range(5):
        ReportSubscriptionFactory(recipient=leader, **scopes[index % 4])
    baseline = queries_for_home(client)

    for index in range(45):
        ReportSubscriptionFactory(recipient=leader, **scopes[index % 4])
    assert queries_for_home(client) == baseline
