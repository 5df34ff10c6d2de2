from decimal import Decimal

import pytest

from portfolio.core.models import StrategicObjective
from portfolio.core.selectors import key_result_list, objective_list, objective_progress, objectives_with_progress
from tests.core.factories import KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def progress_in_sql(objective):
    return objectives_with_progress(StrategicObjective.objects.filter(pk=objective.pk)).get().progress


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # (start, target, current) per key result → mean progress, rounded down
        ([(0, 100, 25)], 25),
        ([(0, 100, 25), (0, 100, 50)], 37),
        ([(0, 1, "0.29")], 29),  # 0.29 × 100 is 28.999… in floating point
        ([(100, 0, 40)], 60),  # a falling target: 100 → 40 of the way to 0 is 60 %
        ([(0, 100, 150), (0, 100, -20)], 50),  # clamped to 100 and 0
        ([(10, 40, 20), (0, 3, 1), (0, 10, 7)], 45),  # 33 + 33 + 70 = 136, / 3 = 45.3
        ([("0.00", "1000.00", "333.33")], 33),
    ],
)
def test_objective_progress_is_the_mean_of_its_key_results_in_python_and_sql(values, expected):
    objective = ObjectiveFactory()
    for start, target, current in values:
        KeyResultFactory(
            objective=objective,
            start_value=Decimal(start),
            target_value=Decimal(target),
            current_value=Decimal(current),
        )

    assert objective_progress(objective=objective) == expected
    assert progress_in_sql(objective) == expected


def test_an_objective_without_key_results_has_no_progress():
    objective = ObjectiveFactory()

    assert objective_progress(objective=objective) is None
    assert progress_in_sql(objective) is None


def test_objective_list_loads_key_results_in_a_fixed_number_of_queries(django_assert_num_queries):
    for _ in range(3):
        KeyResultFactory.create_batch(2, objective=ObjectiveFactory(parent=ObjectiveFactory()))

    with django_assert_num_queries(2):
        rows = [
            (objective.owner.username, objective.parent, objective.progress, len(objective.key_results.all()))
            for objective in objective_list()
        ]

    assert len(rows) == 6
    assert sorted(row[3] for row in rows) == [0, 0, 0, 2, 2, 2]


def test_key_result_list_joins_the_objective(django_assert_num_queries):
    KeyResultFactory.create_batch(3)

    with django_assert_num_queries(1):
        titles = [key_result.objective.title for key_result in key_result_list()]

    assert len(titles) == 3
