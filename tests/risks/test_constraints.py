"""Every database constraint of the risks app rejects bad rows, and validation rejects them with a field message.

Each case builds an unsaved risk that breaks one rule (its parent rows saved), then:
- saving it without validation fails in the database (``IntegrityError``), matched by constraint name;
- ``full_clean()`` fails with exactly the expected ``message_dict`` (a field key, a readable message).
"""

import pytest

from risks.models import ONE_SCOPE_MESSAGE, SCALE_MESSAGE
from tests.constraints import assert_database_rejects, assert_validation_rejects
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory
from tests.programs.factories import ProgramFactory, ProjectFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


SCOPE_FACTORIES = {"project": ProjectFactory, "program": ProgramFactory, "product": ProductFactory}


def risk(*scopes: str, **values):
    """An unsaved risk on a saved project, or on the given scopes (none, one or several)."""
    scopes = scopes or ("project",)
    return RiskFactory.build(
        owner=UserFactory(),
        **{field: (SCOPE_FACTORIES[field]() if field in scopes else None) for field in SCOPE_FACTORIES},
        **values,
    )


CASES = [
    *(
        pytest.param(
            lambda field=field, value=value: risk(**{field: value}),
            f"risk_{field}_1_to_5",
            {field: [SCALE_MESSAGE]},
            id=f"a risk with {field.replace('_', ' ')} {value}",
        )
        for field in ("probability", "impact", "residual_probability", "residual_impact")
        for value in (0, 6)
    ),
    pytest.param(
        lambda: RiskFactory.build(owner=UserFactory(), project=None),
        "risk_exactly_one_scope",
        {"project": [ONE_SCOPE_MESSAGE]},
        id="a risk on nothing",
    ),
    pytest.param(
        lambda: risk("project", "program"),
        "risk_exactly_one_scope",
        {"program": [ONE_SCOPE_MESSAGE]},
        id="a risk on a project and a program",
    ),
    pytest.param(
        lambda: risk("program", "product"),
        "risk_exactly_one_scope",
        {"product": [ONE_SCOPE_MESSAGE]},
        id="a risk on a program and a product",
    ),
    pytest.param(
        lambda: risk("project", "program", "product"),
        "risk_exactly_one_scope",
        {"program": [ONE_SCOPE_MESSAGE]},
        id="a risk on a project, a program and a product",
    ),
]


@pytest.mark.parametrize(("make", "violation", "errors"), CASES)
def test_the_database_rejects(make, violation, errors):
    assert_database_rejects(make(), violation)


@pytest.mark.parametrize(("make", "violation", "errors"), CASES)
def test_validation_rejects_with_a_clear_message(make, violation, errors):
    assert_validation_rejects(make(), errors)


@pytest.mark.parametrize("scope", SCOPE_FACTORIES)
def test_a_risk_on_exactly_one_scope_passes_validation_and_saves(scope):
    row = risk(scope)
    row.full_clean()
    row.save()


@pytest.mark.parametrize(
    "values",
    [
        {"probability": 1, "impact": 1, "residual_probability": 1, "residual_impact": 1},
        {"probability": 5, "impact": 5, "residual_probability": 5, "residual_impact": 5},
        {"residual_probability": None, "residual_impact": None},
    ],
    ids=["all 1", "all 5", "no residual assessment"],
)
def test_a_risk_at_the_edges_of_the_scale_passes_validation_and_saves(values):
    row = risk(**values)
    row.full_clean()
    row.save()
