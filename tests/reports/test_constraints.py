"""Every database constraint of the reports app rejects bad rows, and validation rejects them with a clear message.

Each case builds an unsaved row that breaks one rule (its parent rows saved), then:
- saving it without validation fails in the database (``IntegrityError``): check constraints are matched by name on
  every backend; unique ones by name on PostgreSQL or by "UNIQUE constraint failed: <columns>" on SQLite;
- ``full_clean()`` fails with exactly the expected ``message_dict``: a field key for a rule on one field, the
  non-field key ``__all__`` for a unique combination of fields (Django reports those there).
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from portfolio.core.models import END_BEFORE_START
from portfolio.reports.models import AT_MOST_ONE_SCOPE, ReportDelivery, ReportSubscription, StakeholderReport
from tests.constraints import assert_database_rejects, assert_validation_rejects, same_as, unique_violation
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory
from tests.programs.factories import PortfolioFactory, ProgramFactory
from tests.reports.factories import ReportDeliveryFactory, ReportSubscriptionFactory, StakeholderReportFactory

pytestmark = pytest.mark.django_db


WEEKLY, MONTHLY = ReportSubscription.Frequency.WEEKLY, ReportSubscription.Frequency.MONTHLY
SCOPE_FACTORIES = {"portfolio": PortfolioFactory, "program": ProgramFactory, "product": ProductFactory}


def scoped(*scopes: str) -> dict:
    return {field: SCOPE_FACTORIES[field]() for field in scopes}


def subscription(*scopes: str, **values):
    return ReportSubscriptionFactory.build(recipient=UserFactory(), **scoped(*scopes), **values)


# ``data`` may not be blank: a generated report always carries its figures.
FIGURES = {"projects": 3}


def report(*scopes: str, **values):
    return StakeholderReportFactory.build(**scoped(*scopes), data=FIGURES, **values)


CASES = [
    # ReportSubscription
    *(
        pytest.param(
            lambda scopes=scopes: subscription(*scopes),
            "subscription_at_most_one_scope",
            {scopes[1]: [AT_MOST_ONE_SCOPE]},
            id=f"a subscription to a {' and a '.join(scopes)}",
        )
        for scopes in (("portfolio", "program"), ("program", "product"), ("portfolio", "program", "product"))
    ),
    pytest.param(
        lambda: subscription(frequency=WEEKLY, weekday=None, day_of_month=1),
        "subscription_schedule_complete",
        {"weekday": ["Weekly reports need a weekday."]},
        id="a weekly subscription without a weekday",
    ),
    pytest.param(
        lambda: subscription(frequency=MONTHLY, weekday=0, day_of_month=None),
        "subscription_schedule_complete",
        {"day_of_month": ["Monthly reports need a day of the month."]},
        id="a monthly subscription without a day of the month",
    ),
    pytest.param(
        lambda: subscription(hour=24),
        "subscription_hour_0_to_23",
        {"hour": ["Use an hour from 0 to 23."]},
        id="a subscription at hour 24",
    ),
    *(
        pytest.param(
            lambda day=day: subscription(frequency=MONTHLY, day_of_month=day),
            "subscription_day_1_to_28",
            {"day_of_month": ["Use a day from 1 to 28."]},
            id=f"a monthly subscription on day {day}",
        )
        for day in (0, 29)
    ),
    pytest.param(
        lambda: subscription(weekday=7),
        "subscription_weekday_0_to_6",
        {"weekday": ["Value 7 is not a valid choice."]},
        id="a weekly subscription on weekday 7",
    ),
    # StakeholderReport
    *(
        pytest.param(
            lambda scopes=scopes: report(*scopes),
            "report_at_most_one_scope",
            {scopes[1]: [AT_MOST_ONE_SCOPE]},
            id=f"a report on a {' and a '.join(scopes)}",
        )
        for scopes in (("portfolio", "program"), ("portfolio", "product"), ("portfolio", "program", "product"))
    ),
    pytest.param(
        lambda: report(period_start=datetime.date(2026, 11, 22), period_end=datetime.date(2026, 11, 16)),
        "report_period_end_after_start",
        {"period_end": [END_BEFORE_START]},
        id="a report whose period ends before it starts",
    ),
    pytest.param(
        lambda: same_as(StakeholderReportFactory, "portfolio", "program", "product", "period_key", data=FIGURES),
        unique_violation(StakeholderReport, "report_one_per_scope_and_period", "scope_key", "period_key"),
        {NON_FIELD_ERRORS: ["A report for this scope and period already exists."]},
        id="two reports on the same scope for the same period",
    ),
    # ReportDelivery
    pytest.param(
        lambda: same_as(ReportDeliveryFactory, "subscription", "report", "period_key"),
        unique_violation(ReportDelivery, "delivery_one_per_subscription_and_period", "subscription", "period_key"),
        {NON_FIELD_ERRORS: ["This subscription already has a delivery for the period."]},
        id="two deliveries of a subscription for the same period",
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
        lambda: subscription(),
        *(lambda scope=scope: subscription(scope) for scope in SCOPE_FACTORIES),
        lambda: subscription(frequency=WEEKLY, weekday=6, hour=0),
        lambda: subscription(frequency=MONTHLY, weekday=None, day_of_month=1, hour=23),
        lambda: subscription(frequency=MONTHLY, weekday=None, day_of_month=28),
        lambda: report(),
        *(lambda scope=scope: report(scope) for scope in SCOPE_FACTORIES),
        lambda: report(period_start=datetime.date(2026, 11, 1), period_end=datetime.date(2026, 11, 1)),
    ],
    ids=[
        "a subscription to the whole organisation",
        *(f"a subscription to one {scope}" for scope in SCOPE_FACTORIES),
        "a weekly subscription on Sunday at midnight",
        "a monthly subscription on the 1st at 23:00",
        "a monthly subscription on the 28th",
        "a report on the whole organisation",
        *(f"a report on one {scope}" for scope in SCOPE_FACTORIES),
        "a report on a one-day period",
    ],
)
def test_a_row_at_the_edge_of_a_rule_passes_validation_and_saves(make):
    row = make()
    row.full_clean()
    row.save()
