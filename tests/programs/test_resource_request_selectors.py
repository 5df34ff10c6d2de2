"""The resource request selectors, against hand-computed figures: whose requests the queue shows, how many wait
for a program manager, a request's capacity impact, and what the requester's home page lists."""

import datetime

import pytest
from django.utils import timezone

from programs import selectors
from tests.core.factories import UserFactory
from tests.programs.factories import (
    AllocationFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
    ResourceFactory,
    ResourceRequestFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 4, 6)
FRIDAY = MONDAY + datetime.timedelta(days=4)


def test_the_queue_shows_a_program_manager_their_programs_and_their_portfolios_programs(program_manager):
    owner = UserFactory()
    managed = ProgramFactory(manager=program_manager)
    owned = ProgramFactory(portfolio=PortfolioFactory(owner=program_manager))
    mine = ResourceRequestFactory(project=ProjectFactory(program=managed))
    portfolios = ResourceRequestFactory(project=ProjectFactory(program=owned))
    ResourceRequestFactory(project=ProjectFactory(program=ProgramFactory(portfolio=PortfolioFactory(owner=owner))))
    assert selectors.resource_request_scope(user=program_manager) == "programs"
    assert set(selectors.resource_request_queue(user=program_manager)) == {mine, portfolios}


def test_leadership_sees_every_request_and_anyone_else_those_they_filed(leader, product_manager):
    filed = ResourceRequestFactory(requested_by=product_manager)
    other = ResourceRequestFactory()
    assert selectors.resource_request_scope(user=leader) == "all"
    assert set(selectors.resource_request_queue(user=leader)) == {filed, other}
    assert selectors.resource_request_scope(user=product_manager) == "mine"
    assert list(selectors.resource_request_queue(user=product_manager)) == [filed]


def test_the_waiting_count_is_the_pending_requests_of_the_programs_one_decides(program_manager):
    program = ProgramFactory(manager=program_manager)
    project = ProjectFactory(program=program)
    ResourceRequestFactory.create_batch(2, project=project)
    ResourceRequestFactory(project=project, rejected=True)
    ResourceRequestFactory(project=project, approved=True)
    ResourceRequestFactory()  # another program's
    assert selectors.resource_request_waiting_count(user=program_manager) == 2


def test_the_capacity_impact_is_the_busiest_week_plus_the_request(program_manager):
    """Ann: 60 % Monday–Friday in the first week only: her busiest week is 60 %, 40 % free; a 50 % request takes
    her to 110 % and does not fit. Bob: free, 50 % fits and takes him to 50 %. Cid, of another function, is out."""
    ann = ResourceFactory(name="Ann", function="design")
    ResourceFactory(name="Bob", function="design")
    ResourceFactory(name="Cid", function="engineering")
    AllocationFactory(resource=ann, percent=60, start_date=MONDAY, end_date=FRIDAY)
    request = ResourceRequestFactory(
        function="design", percent=50, start_date=MONDAY, end_date=MONDAY + datetime.timedelta(weeks=3, days=4)
    )
    decided = ResourceRequestFactory(function="design", rejected=True)
    impact = selectors.resource_request_capacity(requests=[request, decided])
    assert list(impact) == [request.pk]
    assert [
        (line["resource"].name, line["booked_percent"], line["free_percent"], line["after_percent"], line["fits"])
        for line in impact[request.pk]
    ] == [("Bob", 0, 100, 50, True), ("Ann", 60, 40, 110, False)]


def test_the_home_page_lists_pending_and_recently_decided_requests_not_cancelled_or_old_ones(product_manager):
    pending = ResourceRequestFactory(requested_by=product_manager)
    recent = ResourceRequestFactory(requested_by=product_manager, rejected=True)
    ResourceRequestFactory(
        requested_by=product_manager, rejected=True, decided_at=timezone.now() - datetime.timedelta(days=31)
    )
    ResourceRequestFactory(requested_by=product_manager, status="cancelled", decided_at=timezone.now())
    ResourceRequestFactory()  # someone else's
    assert selectors.home_resource_requests(user=product_manager) == {"pending": [pending], "decided": [recent]}
