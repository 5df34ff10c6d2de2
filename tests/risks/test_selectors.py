import pytest

from portfolio.core.scales import Severity
from risks.models import Risk
from risks.selectors import (
    mitigation_action_list,
    risk_list,
    risk_residual_score,
    risk_residual_severity,
    risk_score,
    risk_severity,
    risks_with_severity,
)
from tests.risks.factories import MitigationActionFactory, RiskFactory


@pytest.mark.parametrize(
    ("probability", "impact", "score"),
    [(1, 1, 1), (2, 3, 6), (3, 2, 6), (4, 5, 20), (5, 5, 25)],
)
def test_risk_score_is_probability_times_impact(probability, impact, score):
    assert risk_score(probability=probability, impact=impact) == score


@pytest.mark.parametrize(
    ("score", "severity"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (14, "high"),
        (15, "critical"),
        (25, "critical"),
    ],
)
def test_risk_severity_bands_match_the_design(score, severity):
    assert risk_severity(score=score) == severity


@pytest.mark.django_db
def test_database_score_and_annotated_severity_agree_with_the_python_figures():
    for probability in range(1, 6):
        for impact in range(1, 6):
            RiskFactory(probability=probability, impact=impact)

    risks = list(risks_with_severity(Risk.objects.all()))

    assert len(risks) == 25
    for risk in risks:
        assert risk.score == risk_score(probability=risk.probability, impact=risk.impact)
        assert risk.severity == risk_severity(score=risk.score)


@pytest.mark.django_db
def test_severity_can_be_filtered_and_counted_in_the_database():
    RiskFactory(probability=1, impact=4)  # 4 low
    RiskFactory(probability=3, impact=3)  # 9 medium
    RiskFactory(probability=2, impact=5)  # 10 high
    RiskFactory(probability=3, impact=5)  # 15 critical
    RiskFactory(probability=5, impact=5)  # 25 critical

    counts = {severity: risk_list().filter(severity=severity).count() for severity in Severity.values}

    assert counts == {"low": 1, "medium": 1, "high": 1, "critical": 2}


@pytest.mark.django_db
def test_residual_figures_exist_only_when_both_residual_values_are_set():
    unset = RiskFactory(probability=4, impact=4)
    half = RiskFactory(probability=4, impact=4, residual_probability=2)
    set_ = RiskFactory(probability=4, impact=4, residual_probability=2, residual_impact=3)

    annotated = {risk.pk: risk for risk in risk_list()}

    for risk in (unset, half):
        assert risk_residual_score(risk=risk) is None
        assert risk_residual_severity(risk=risk) is None
        assert annotated[risk.pk].residual_score is None
        assert annotated[risk.pk].residual_severity is None
    assert risk_residual_score(risk=set_) == 6
    assert risk_residual_severity(risk=set_) == "medium"
    assert annotated[set_.pk].residual_score == 6
    assert annotated[set_.pk].residual_severity == "medium"
    assert annotated[set_.pk].severity == "critical"


@pytest.mark.django_db
def test_list_querysets_join_what_the_register_shows(django_assert_num_queries):
    MitigationActionFactory.create_batch(3)

    with django_assert_num_queries(1):
        names = [(risk.owner.username, str(risk.scope)) for risk in risk_list()]
    with django_assert_num_queries(1):
        actions = [(action.risk.title, action.owner) for action in mitigation_action_list()]

    assert len(names) == 3
    assert len(actions) == 3
