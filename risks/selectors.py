"""Reads of the risk register: score, severity, residual figures and the list querysets."""

from django.db import models
from django.db.models import Case, F, Q, QuerySet, Value, When

from portfolio.core.scales import SEVERITY_BANDS, Severity
from risks.models import MitigationAction, Risk


def risk_score(*, probability: int, impact: int) -> int:
    """Return the score of a risk: probability × impact (the formula of the ``Risk.score`` column)."""
    return probability * impact


def risk_severity(*, score: int) -> str:
    """Return the severity band of a score: low ≤ 4 < medium ≤ 9 < high ≤ 14 < critical."""
    for severity, _low, high in SEVERITY_BANDS:
        if score <= high:
            return severity.value
    return Severity.CRITICAL.value


def risk_residual_score(*, risk: Risk) -> int | None:
    """Return the score left after mitigation, or None while either residual value is unset."""
    if risk.residual_probability is None or risk.residual_impact is None:
        return None
    return risk_score(probability=risk.residual_probability, impact=risk.residual_impact)


def risk_residual_severity(*, risk: Risk) -> str | None:
    """Return the severity left after mitigation, or None while either residual value is unset."""
    score = risk_residual_score(risk=risk)
    return None if score is None else risk_severity(score=score)


def severity_q(severity: str, field: str = "score") -> Q:
    """Return the condition "``field`` falls in the band of ``severity``" (usable in filters and Case/When)."""
    for name, low, high in SEVERITY_BANDS:
        if name == severity:
            return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    raise ValueError(f"Unknown severity {severity!r}")


def severity_expression(field: str = "score") -> Case:
    """Return a SQL expression giving the severity band of the score held in ``field`` (NULL stays NULL)."""
    whens = [When(Q(**{f"{field}__lte": high}), then=Value(name.value)) for name, _low, high in SEVERITY_BANDS]
    return Case(
        When(Q(**{f"{field}__isnull": True}), then=Value(None)),
        *whens,
        default=Value(Severity.CRITICAL.value),
        output_field=models.CharField(),
    )


def risks_with_severity(queryset: QuerySet[Risk]) -> QuerySet[Risk]:
    """Annotate ``severity``, ``residual_score`` and ``residual_severity`` so they can be filtered and ordered."""
    return queryset.annotate(
        severity=severity_expression("score"),
        # NULL when either residual value is unset: NULL × n is NULL in SQL.
        residual_score=models.ExpressionWrapper(
            F("residual_probability") * F("residual_impact"), output_field=models.PositiveSmallIntegerField()
        ),
    ).annotate(residual_severity=severity_expression("residual_score"))


def risk_list() -> QuerySet[Risk]:
    """Return every risk with its owner and scope joined and its severity figures annotated."""
    return risks_with_severity(Risk.objects.select_related("owner", "project", "program", "product"))


def mitigation_action_list() -> QuerySet[MitigationAction]:
    """Return every mitigation action with its risk and owner joined."""
    return MitigationAction.objects.select_related("risk", "owner")
