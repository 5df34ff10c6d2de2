"""Every database constraint of the core app rejects bad rows, and validation rejects them with a field message.

Each case builds an unsaved row that breaks one rule (its parent rows saved), then:
- saving it without validation fails in the database (``IntegrityError``): check constraints are matched by name on
  every backend; unique ones by name on PostgreSQL or by "UNIQUE constraint failed: <columns>" on SQLite;
- ``full_clean()`` fails with exactly the expected ``message_dict`` (a field key, a readable message).
"""

import pytest

from portfolio.core.models import END_BEFORE_START, User
from tests.constraints import (
    DEC_31,
    JAN_1,
    assert_database_rejects,
    assert_validation_rejects,
    same_as,
    unique_violation,
)
from tests.core.factories import KeyResultFactory, ObjectiveFactory, UserFactory

pytestmark = pytest.mark.django_db


def objective(**values):
    return ObjectiveFactory.build(owner=UserFactory(), **values)


def key_result(**values):
    return KeyResultFactory.build(objective=ObjectiveFactory(), **values)


CASES = [
    pytest.param(
        lambda: same_as(UserFactory, "email"),
        unique_violation(User, "core_user_email_key", "email"),
        {"email": ["User with this Email address already exists."]},
        id="a second user with the same email",
    ),
    pytest.param(
        lambda: objective(start_date=DEC_31, end_date=JAN_1),
        "objective_end_after_start",
        {"end_date": [END_BEFORE_START]},
        id="an objective that ends before it starts",
    ),
    pytest.param(
        lambda: objective(weight=0),
        "objective_weight_1_to_5",
        {"weight": ["Ensure this value is greater than or equal to 1."]},
        id="an objective weighing 0",
    ),
    pytest.param(
        lambda: objective(weight=6),
        "objective_weight_1_to_5",
        {"weight": ["Ensure this value is less than or equal to 5."]},
        id="an objective weighing 6",
    ),
    pytest.param(
        lambda: key_result(start_value=40, target_value=40),
        "key_result_target_differs_from_start",
        {"target_value": ["The target must differ from the start value."]},
        id="a key result whose target equals its start",
    ),
]


@pytest.mark.parametrize(("make", "violation", "errors"), CASES)
def test_the_database_rejects(make, violation, errors):
    assert_database_rejects(make(), violation)


@pytest.mark.parametrize(("make", "violation", "errors"), CASES)
def test_validation_rejects_with_a_clear_message(make, violation, errors):
    assert_validation_rejects(make(), errors)


def test_a_valid_objective_and_key_result_pass_validation_and_save():
    for row in (objective(start_date=JAN_1, end_date=JAN_1, weight=5), key_result(start_value=0, target_value=1)):
        row.full_clean()
        row.save()
