"""The register's figures, each computed by hand: escalation (in Python and in SQL, which must agree), the scope of
a portfolio or program, the heat map's cells (inherent and residual), top risks and the score history."""

import datetime

import pytest

from risks import selectors, services
from risks.models import MitigationAction, Risk
from tests.programs.factories import PortfolioFactory, ProgramFactory, ProjectFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("probability", "impact", "status", "escalated"),
    [
        (3, 5, "open", True),  # 15: the threshold
        (2, 5, "open", False),  # 10: high, not escalated
        (5, 5, "mitigating", True),
        (5, 5, "closed", False),  # a closed risk goes down from the steering level
        (1, 1, "occurred", True),  # it happened, whatever its score
    ],
)
def test_one_rule_decides_escalation_in_python_and_in_sql(probability, impact, status, escalated):
    risk = RiskFactory(probability=probability, impact=impact, status=status)

    assert selectors.risk_is_escalated(risk=risk) is escalated
    assert selectors.with_escalated(Risk.objects.filter(pk=risk.pk)).get().escalated is escalated
    assert selectors.escalated_risks().filter(pk=risk.pk).exists() is escalated


def test_escalated_risks_are_counted_in_one_query(django_assert_num_queries):
    RiskFactory.create_batch(3, probability=4, impact=4)
    RiskFactory(probability=1, impact=1, status="occurred")
    RiskFactory(probability=1, impact=1)

    with django_assert_num_queries(1):
        assert selectors.escalated_risks().count() == 4


def test_a_portfolio_scope_holds_its_programs_and_their_projects_risks():
    portfolio = PortfolioFactory()
    program = ProgramFactory(portfolio=portfolio)
    on_program = RiskFactory(project=None, program=program)
    on_project = RiskFactory(project=ProjectFactory(program=program))
    RiskFactory()  # elsewhere

    in_portfolio = Risk.objects.filter(selectors.scope_q(portfolio=portfolio))
    in_program = Risk.objects.filter(selectors.scope_q(program=program))

    assert set(in_portfolio) == {on_program, on_project}
    assert set(in_program) == {on_program, on_project}


def test_the_heat_map_counts_open_risks_per_cell_and_places_unassessed_ones_by_their_inherent_scores():
    RiskFactory(probability=4, impact=5)  # inherent (4, 5); residual: stays at (4, 5)
    RiskFactory(probability=4, impact=5, residual_probability=2, residual_impact=3)  # residual (2, 3)
    RiskFactory(probability=4, impact=5, residual_probability=2)  # one residual value only: stays at (4, 5)
    RiskFactory(probability=1, impact=1, status="occurred")  # not closed: counted
    RiskFactory(probability=4, impact=5, status="closed")  # closed: left out

    inherent = {(c["probability"], c["impact"]): c for c in selectors.risk_heatmap()}
    residual = {(c["probability"], c["impact"]): c for c in selectors.risk_heatmap(residual=True)}

    assert len(inherent) == len(residual) == 25
    assert {key: c["count"] for key, c in inherent.items() if c["count"]} == {(4, 5): 3, (1, 1): 1}
    assert {key: c["count"] for key, c in residual.items() if c["count"]} == {(4, 5): 2, (2, 3): 1, (1, 1): 1}
    assert (inherent[(4, 5)]["severity"], inherent[(2, 3)]["severity"], inherent[(3, 4)]["severity"]) == (
        "critical",
        "medium",
        "high",
    )


def test_a_heat_map_cell_filter_finds_the_same_risks_the_cell_counts():
    moved = RiskFactory(probability=4, impact=5, residual_probability=2, residual_impact=3)
    stayed = RiskFactory(probability=4, impact=5)

    def cell(**kwargs):
        return set(Risk.objects.filter(selectors.heatmap_cell_q(**kwargs)))

    assert cell(probability=4, impact=5, residual=False) == {moved, stayed}
    assert cell(probability=4, impact=5, residual=True) == {stayed}
    assert cell(probability=2, impact=3, residual=True) == {moved}


def test_top_risks_are_the_highest_scored_not_closed_ones_of_the_scope():
    program = ProgramFactory()
    project = ProjectFactory(program=program)
    low = RiskFactory(project=project, probability=1, impact=2)
    high = RiskFactory(project=None, program=program, probability=4, impact=4)
    RiskFactory(project=project, probability=5, impact=5, status="closed")
    RiskFactory(probability=5, impact=5)  # another program's

    assert selectors.top_risks(scope=program) == [high, low]
    assert selectors.top_risks(scope=project) == [low]
    assert selectors.top_risks(scope=program, limit=1) == [high]


def test_the_score_history_lists_each_change_with_who_and_from_to(program_manager, django_assert_num_queries):
    project = ProjectFactory(program=ProgramFactory(manager=program_manager))
    risk = services.risk_create(
        user=program_manager, data={"project": project, "title": "X", "probability": 2, "impact": 2}
    )
    services.risk_update(user=program_manager, risk=risk, version=1, data={"title": "Y"})  # no score change
    services.risk_update(user=program_manager, risk=risk, version=2, data={"probability": 5})
    services.risk_update(
        user=program_manager, risk=risk, version=3, data={"residual_probability": 1, "residual_impact": 2}
    )

    with django_assert_num_queries(1):
        changes = selectors.risk_score_changes(risk=risk)

    assert [(c["from_score"], c["to_score"], c["from_residual"], c["to_residual"]) for c in changes] == [
        (None, 4, None, None),
        (4, 10, None, None),
        (10, 10, None, 2),
    ]
    assert {c["who"] for c in changes} == {program_manager}


def test_an_action_is_overdue_past_its_due_date_until_done():
    today = datetime.date(2026, 7, 10)
    late = MitigationAction(due_date=datetime.date(2026, 7, 9))
    due_today = MitigationAction(due_date=today)
    done = MitigationAction(
        due_date=datetime.date(2026, 7, 1), done_at=datetime.datetime(2026, 7, 2, tzinfo=datetime.UTC)
    )
    undated = MitigationAction(due_date=None)

    assert [
        selectors.mitigation_action_is_overdue(action=a, today=today) for a in (late, due_today, done, undated)
    ] == [
        True,
        False,
        False,
        False,
    ]
