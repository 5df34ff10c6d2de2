"""Every database constraint of the programs app rejects bad rows, and validation rejects them with a clear message.

Each case builds an unsaved row that breaks one rule (its parent rows saved), then:
- saving it without validation fails in the database (``IntegrityError``): check constraints are matched by name on
  every backend; unique ones by name on PostgreSQL or by "UNIQUE constraint failed: <columns>" on SQLite;
- ``full_clean()`` fails with exactly the expected ``message_dict``: a field key for a rule on one field, the
  non-field key ``__all__`` for a unique combination of fields (Django reports those there).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from portfolio.core.models import END_BEFORE_START
from programs.models import Dependency, Portfolio, Program, Project, ProjectObjective, StatusReport
from tests.constraints import (
    DEC_31,
    JAN_1,
    assert_database_rejects,
    assert_validation_rejects,
    same_as,
    unique_violation,
)
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import ProductFactory
from tests.programs.factories import (
    AllocationFactory,
    CostEntryFactory,
    DependencyFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ResourceFactory,
    ResourceRequestFactory,
    StatusReportFactory,
)

pytestmark = pytest.mark.django_db


NOT_NEGATIVE = "This cannot be negative."
PERCENT = "Percent must be between 1 and 100."
NOON = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
WSJF = "Use a value of 1 or more."


def portfolio(**values):
    return PortfolioFactory.build(owner=UserFactory(), **values)


def program(**values):
    return ProgramFactory.build(portfolio=PortfolioFactory(), manager=UserFactory(), **values)


def project(**values):
    return ProjectFactory.build(program=ProgramFactory(), manager=UserFactory(), **values)


def alignment(**values):
    return ProjectObjectiveFactory.build(project=ProjectFactory(), objective=ObjectiveFactory(), **values)


def allocation(**values):
    return AllocationFactory.build(resource=ResourceFactory(), project=ProjectFactory(), **values)


def resource_request(**values):
    return ResourceRequestFactory.build(
        product=ProductFactory(), project=ProjectFactory(), requested_by=UserFactory(), **values
    )


def self_dependency():
    same = ProjectFactory()
    return DependencyFactory.build(from_project=same, to_project=same)


CASES = [
    # Portfolio
    pytest.param(
        lambda: same_as(PortfolioFactory, "name", "owner"),
        unique_violation(Portfolio, "programs_portfolio_name_key", "name"),
        {"name": ["Portfolio with this Name already exists."]},
        id="a second portfolio with the same name",
    ),
    pytest.param(
        lambda: portfolio(budget=Decimal("-1")),
        "portfolio_budget_not_negative",
        {"budget": [NOT_NEGATIVE]},
        id="a portfolio with a negative budget",
    ),
    # Program
    pytest.param(
        lambda: same_as(ProgramFactory, "portfolio", "name", "manager"),
        unique_violation(Program, "program_unique_name_per_portfolio", "portfolio", "name"),
        {NON_FIELD_ERRORS: ["The portfolio already has a program with this name."]},
        id="two programs of a portfolio with the same name",
    ),
    pytest.param(
        lambda: program(budget=Decimal("-1")),
        "program_budget_not_negative",
        {"budget": [NOT_NEGATIVE]},
        id="a program with a negative budget",
    ),
    pytest.param(
        lambda: program(start_date=DEC_31, end_date=JAN_1),
        "program_end_after_start",
        {"end_date": [END_BEFORE_START]},
        id="a program that ends before it starts",
    ),
    # Project
    pytest.param(
        lambda: same_as(ProjectFactory, "program", "name", "manager"),
        unique_violation(Project, "project_unique_name_per_program", "program", "name"),
        {NON_FIELD_ERRORS: ["The program already has a project with this name."]},
        id="two projects of a program with the same name",
    ),
    pytest.param(
        lambda: project(start_date=DEC_31, end_date=JAN_1),
        "project_end_after_start",
        {"end_date": [END_BEFORE_START]},
        id="a project that ends before it starts",
    ),
    pytest.param(
        lambda: project(budget=Decimal("-1")),
        "project_budget_not_negative",
        {"budget": [NOT_NEGATIVE]},
        id="a project with a negative budget",
    ),
    *(
        pytest.param(
            lambda field=field: project(**{field: 0}),
            "project_wsjf_inputs_at_least_1",
            {field: [WSJF]},
            id=f"a project with {field.replace('_', ' ')} 0",
        )
        for field in ("business_value", "time_criticality", "risk_reduction", "job_size")
    ),
    # ProjectObjective
    pytest.param(
        lambda: same_as(ProjectObjectiveFactory, "project", "objective"),
        unique_violation(ProjectObjective, "project_objective_unique", "project", "objective"),
        {NON_FIELD_ERRORS: ["The project is already aligned to this objective."]},
        id="a project aligned twice to the same objective",
    ),
    *(
        pytest.param(
            lambda contribution=contribution: alignment(contribution=contribution),
            "project_objective_contribution_1_to_3",
            {"contribution": ["Contribution must be 1, 2 or 3."]},
            id=f"a contribution of {contribution}",
        )
        for contribution in (0, 4)
    ),
    # Dependency
    pytest.param(
        self_dependency,
        "dependency_not_self",
        {"to_project": ["A project cannot depend on itself."]},
        id="a project that depends on itself",
    ),
    pytest.param(
        lambda: same_as(DependencyFactory, "from_project", "to_project"),
        unique_violation(Dependency, "dependency_unique_pair", "from_project", "to_project"),
        {NON_FIELD_ERRORS: ["This dependency already exists."]},
        id="the same dependency twice",
    ),
    # Resource
    pytest.param(
        lambda: ResourceFactory.build(capacity_hours=Decimal("-1")),
        "resource_capacity_not_negative",
        {"capacity_hours": [NOT_NEGATIVE]},
        id="a resource with negative capacity",
    ),
    pytest.param(
        lambda: ResourceFactory.build(cost_rate=Decimal("-0.01")),
        "resource_cost_rate_not_negative",
        {"cost_rate": [NOT_NEGATIVE]},
        id="a resource with a negative cost rate",
    ),
    # Allocation
    *(
        pytest.param(
            lambda percent=percent: allocation(percent=percent),
            "allocation_percent_1_to_100",
            {"percent": [PERCENT]},
            id=f"an allocation of {percent} percent",
        )
        for percent in (0, 101)
    ),
    pytest.param(
        lambda: allocation(start_date=DEC_31, end_date=JAN_1),
        "allocation_end_after_start",
        {"end_date": [END_BEFORE_START]},
        id="an allocation that ends before it starts",
    ),
    # ResourceRequest
    *(
        pytest.param(
            lambda percent=percent: resource_request(percent=percent),
            "resource_request_percent_1_to_100",
            {"percent": [PERCENT]},
            id=f"a resource request for {percent} percent",
        )
        for percent in (0, 101)
    ),
    pytest.param(
        lambda: resource_request(start_date=DEC_31, end_date=JAN_1),
        "resource_request_end_after_start",
        {"end_date": [END_BEFORE_START]},
        id="a resource request that ends before it starts",
    ),
    pytest.param(
        lambda: resource_request(status="approved", decided_by=UserFactory(), decided_at=NOON),
        "resource_request_approved_has_allocation",
        {NON_FIELD_ERRORS: ["An approved request has its allocation, and only an approved one."]},
        id="an approved resource request without its allocation",
    ),
    pytest.param(
        lambda: resource_request(status="rejected", decided_at=NOON, decision_note="No one is free."),
        "resource_request_decided_has_who_and_when",
        {NON_FIELD_ERRORS: ["A decided request has who decided it and when."]},
        id="a rejected resource request without who rejected it",
    ),
    pytest.param(
        lambda: resource_request(status="rejected", decided_by=UserFactory(), decided_at=NOON),
        "resource_request_rejected_has_note",
        {NON_FIELD_ERRORS: ["A rejected request says why in its note."]},
        id="a rejected resource request without a note",
    ),
    pytest.param(
        lambda: resource_request(decided_at=NOON),
        "resource_request_pending_has_no_decision",
        {NON_FIELD_ERRORS: ["A pending request has no decision yet."]},
        id="a pending resource request with a decision time",
    ),
    pytest.param(
        lambda: resource_request(status="cancelled"),
        "resource_request_cancelled_has_when",
        {NON_FIELD_ERRORS: ["A cancelled request has when it was cancelled, and no decider."]},
        id="a cancelled resource request without when",
    ),
    # CostEntry
    pytest.param(
        lambda: CostEntryFactory.build(project=ProjectFactory(), amount=Decimal("-0.01")),
        "cost_entry_amount_not_negative",
        {"amount": [NOT_NEGATIVE]},
        id="a cost entry with a negative amount",
    ),
    # StatusReport
    pytest.param(
        lambda: same_as(StatusReportFactory, "project", "period_end", "author"),
        unique_violation(StatusReport, "status_report_one_per_project_period", "project", "period_end"),
        {NON_FIELD_ERRORS: ["The project already has a status report for this period."]},
        id="two status reports of a project for the same period",
    ),
]


@pytest.mark.parametrize(("make", "violation", "errors"), CASES)
def test_the_database_rejects(make, violation, errors):
    assert_database_rejects(make(), violation)


@pytest.mark.parametrize(("make", "violation", "errors"), CASES)
def test_validation_rejects_with_a_clear_message(make, violation, errors):
    assert_validation_rejects(make(), errors)


@pytest.mark.parametrize(
    "make",
    [
        lambda: portfolio(budget=0),
        lambda: program(budget=0, start_date=JAN_1, end_date=JAN_1),
        lambda: program(start_date=None, end_date=None),
        lambda: project(budget=0, start_date=JAN_1, end_date=JAN_1),
        lambda: alignment(contribution=1),
        lambda: alignment(contribution=3),
        lambda: ResourceFactory.build(capacity_hours=0, cost_rate=0),
        lambda: allocation(percent=1, start_date=JAN_1, end_date=JAN_1),
        lambda: allocation(percent=100),
        lambda: resource_request(percent=100, start_date=JAN_1, end_date=JAN_1),
        lambda: CostEntryFactory.build(project=ProjectFactory(), amount=0),
    ],
    ids=[
        "a portfolio with no budget",
        "a program with no budget over one day",
        "a program with no dates",
        "a project with no budget over one day",
        "a contribution of 1",
        "a contribution of 3",
        "a resource with no capacity and no cost",
        "a one-day allocation of 1 percent",
        "an allocation of 100 percent",
        "a one-day resource request for 100 percent",
        "a cost entry of zero",
    ],
)
def test_a_row_at_the_edge_of_a_rule_passes_validation_and_saves(make):
    row = make()
    row.full_clean()
    row.save()


def test_the_model_leaves_the_cycle_check_to_the_service():
    """``dependency_add`` checks for cycles under a lock; ``clean()`` would race with a concurrent add."""
    a, b = ProjectFactory(), ProjectFactory()
    Dependency.objects.create(from_project=a, to_project=b)
    Dependency(from_project=b, to_project=a, kind=Dependency.Kind.BLOCKS).full_clean()
