"""Reads of the risk register: score, severity, residual figures and the list querysets."""

from django.db import models
from django.db.models import Case, F, Q, QuerySet, Value, When

from portfolio.core.models import User
from portfolio.core.scales import SEVERITY_BANDS, Severity
from products.models import Product
from programs.models import Portfolio, Program, Project
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


# --- Escalation --------------------------------------------------------------------------------------------

ESCALATION_SCORE = 15
# Not closed: open, mitigating, and occurred (an issue is still being dealt with).
NOT_CLOSED = (Risk.Status.OPEN, Risk.Status.MITIGATING, Risk.Status.OCCURRED)


def risk_is_escalated(*, risk: Risk) -> bool:
    """Whether ``risk`` goes up to the steering level: not closed, and scored 15 or more or occurred."""
    if risk.status == Risk.Status.CLOSED:
        return False
    return risk.status == Risk.Status.OCCURRED or risk.probability * risk.impact >= ESCALATION_SCORE


def escalated_q() -> Q:
    """The SQL form of ``risk_is_escalated``, for filters and counts (dashboards count escalated risks with it)."""
    return ~Q(status=Risk.Status.CLOSED) & (Q(score__gte=ESCALATION_SCORE) | Q(status=Risk.Status.OCCURRED))


def with_escalated(queryset: QuerySet[Risk]) -> QuerySet[Risk]:
    """Annotate ``escalated`` (``risk_is_escalated`` computed by the database)."""
    return queryset.annotate(escalated=models.ExpressionWrapper(escalated_q(), output_field=models.BooleanField()))


def escalated_risks(queryset: QuerySet[Risk] | None = None) -> QuerySet[Risk]:
    """The escalated risks of ``queryset`` (every risk unless told)."""
    return (Risk.objects.all() if queryset is None else queryset).filter(escalated_q())


# --- Scope ---------------------------------------------------------------------------------------------------


def scope_q(*, portfolio=None, program=None, project=None, product=None) -> Q:
    """The risks of a scope: a portfolio's include its programs' and their projects', a program's its projects'."""
    condition = Q()
    if portfolio is not None:
        condition &= Q(program__portfolio=portfolio) | Q(project__program__portfolio=portfolio)
    if program is not None:
        condition &= Q(program=program) | Q(project__program=program)
    if project is not None:
        condition &= Q(project=project)
    if product is not None:
        condition &= Q(product=product)
    return condition


def review_overdue_q(today) -> Q:
    """Risks still being watched whose review date has passed."""
    return Q(review_date__lt=today, status__in=(Risk.Status.OPEN, Risk.Status.MITIGATING))


# --- The register, the detail and top risks --------------------------------------------------------------------


def risk_register() -> QuerySet[Risk]:
    """The register's rows: ``risk_list`` with ``escalated`` annotated."""
    return with_escalated(risk_list())


def risk_detail(*, pk: int) -> Risk:
    """One risk with owner, scope (and its program and portfolio) joined and its figures annotated."""
    return with_escalated(
        risks_with_severity(
            Risk.objects.select_related("owner", "project__program__portfolio", "program__portfolio", "product__owner")
        )
    ).get(pk=pk)


def risk_actions(*, risk: Risk, today) -> list[MitigationAction]:
    """The risk's mitigation actions by due date, each with ``overdue`` set (past due and not done)."""
    actions = list(MitigationAction.objects.filter(risk=risk).select_related("owner").order_by("due_date", "id"))
    for action in actions:
        action.overdue = mitigation_action_is_overdue(action=action, today=today)
    return actions


def mitigation_action_is_overdue(*, action: MitigationAction, today) -> bool:
    """Whether ``action`` is past its due date and not done."""
    return action.done_at is None and action.due_date is not None and action.due_date < today


def top_risks(*, scope, limit: int = 5) -> list[Risk]:
    """The ``limit`` highest-scored risks of ``scope`` (a project, program or product) that are not closed.

    A program's include its projects'. ``scope`` is told apart by its model so the lower apps can pass theirs.
    """
    label = scope._meta.model_name
    condition = scope_q(**{label: scope})
    queryset = with_escalated(risks_with_severity(Risk.objects.select_related("owner", "project")))
    return list(queryset.filter(condition, status__in=NOT_CLOSED).order_by("-score", "id")[:limit])


# --- Score history ---------------------------------------------------------------------------------------------

SCORED_FIELDS = ("probability", "impact", "residual_probability", "residual_impact")


def risk_score_changes(*, risk: Risk) -> list[dict]:
    """Each change of the risk's score or residual score, oldest first: who, when, from → to (one query).

    The first history row is the assessment the risk was logged with (``from`` None).
    """
    rows = (
        Risk.history.filter(id=risk.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
        .only("history_date", "history_user", "history_type", *SCORED_FIELDS)
    )
    changes, previous = [], None
    for row in rows:
        values = tuple(getattr(row, field) for field in SCORED_FIELDS)
        if previous is not None and values == previous:
            continue
        score = risk_score(probability=row.probability, impact=row.impact)
        residual = _residual(row.residual_probability, row.residual_impact)
        change = {
            "when": row.history_date,
            "who": row.history_user,
            "from_score": None,
            "to_score": score,
            "from_residual": None,
            "to_residual": residual,
        }
        if previous is not None:
            change["from_score"] = risk_score(probability=previous[0], impact=previous[1])
            change["from_residual"] = _residual(previous[2], previous[3])
        changes.append(change)
        previous = values
    return changes


def _residual(probability: int | None, impact: int | None) -> int | None:
    return None if probability is None or impact is None else risk_score(probability=probability, impact=impact)


# --- Heat map --------------------------------------------------------------------------------------------------


def heatmap_axes(residual: bool) -> tuple[models.Expression, models.Expression]:
    """The (probability, impact) a risk is placed at: residual values when both are set, else the inherent ones."""
    if not residual:
        return F("probability"), F("impact")
    both = Q(residual_probability__isnull=False, residual_impact__isnull=False)
    field = models.PositiveSmallIntegerField()
    return (
        Case(When(both, then=F("residual_probability")), default=F("probability"), output_field=field),
        Case(When(both, then=F("residual_impact")), default=F("impact"), output_field=field),
    )


def risk_heatmap(*, queryset: QuerySet[Risk] | None = None, residual: bool = False) -> list[dict]:
    """The 25 cells of the 5×5 map of the not-closed risks of ``queryset``: probability, impact, count, severity.

    Highest probability first, then impact from 1 to 5 (as the map is drawn). One query, grouped by (p, i).
    On the residual map a risk without both residual values stays where its inherent values put it.
    """
    queryset = Risk.objects.all() if queryset is None else queryset
    p, i = heatmap_axes(residual)
    counts = {
        (row["p"], row["i"]): row["count"]
        for row in queryset.filter(status__in=NOT_CLOSED)
        .order_by()
        .annotate(p=p, i=i)
        .values("p", "i")
        .annotate(count=models.Count("id"))
    }
    return [
        {
            "probability": probability,
            "impact": impact,
            "count": counts.get((probability, impact), 0),
            "severity": risk_severity(score=risk_score(probability=probability, impact=impact)),
        }
        for probability in range(5, 0, -1)
        for impact in range(1, 6)
    ]


def heatmap_cell_q(*, probability: int, impact: int, residual: bool) -> Q:
    """The risks of one cell of the map (the register's ``probability=&impact=`` filter)."""
    if not residual:
        return Q(probability=probability, impact=impact)
    both = Q(residual_probability__isnull=False, residual_impact__isnull=False)
    return (both & Q(residual_probability=probability, residual_impact=impact)) | (
        ~both & Q(probability=probability, impact=impact)
    )


# --- CSV -------------------------------------------------------------------------------------------------------

CSV_HEADER = (
    "id",
    "kind",
    "title",
    "category",
    "scope",
    "owner",
    "probability",
    "impact",
    "score",
    "severity",
    "residual_score",
    "escalated",
    "status",
    "response",
    "review_date",
    "trigger",
    "description",
)


def risk_csv_rows(queryset: QuerySet[Risk]):
    """The header and one row per risk of ``queryset`` (annotated by ``risk_register``), read in chunks."""
    yield CSV_HEADER
    for risk in queryset.iterator(chunk_size=500):
        yield (
            risk.pk,
            risk.get_kind_display(),
            risk.title,
            risk.get_category_display(),
            str(risk.scope or ""),
            str(risk.owner),
            risk.probability,
            risk.impact,
            risk.score,
            risk.severity,
            risk.residual_score,
            "yes" if risk.escalated else "no",
            risk.get_status_display(),
            risk.get_response_display(),
            risk.review_date,
            risk.trigger,
            risk.description,
        )


# --- What the pages offer to choose from -----------------------------------------------------------------------


def scope_choices(*, user) -> dict[str, QuerySet]:
    """The projects, programs and products a risk may be logged on by ``user`` (what their forms offer).

    The rules decide again when the risk is saved; this only keeps the lists short and relevant.
    """

    projects = (
        Project.objects.filter(archived_at__isnull=True).select_related("program").order_by("program__name", "name")
    )
    programs = Program.objects.filter(archived_at__isnull=True).order_by("name")
    products = Product.objects.filter(archived_at__isnull=True).order_by("name")
    if not user.is_superuser:
        projects = projects.filter(Q(program__manager=user) | Q(program__portfolio__owner=user) | Q(manager=user))
        programs = programs.filter(Q(manager=user) | Q(portfolio__owner=user))
        products = products.filter(
            Q(owner=user) | Q(pk__in=user.product_memberships.filter(role="editor").values("product_id"))
        )
    return {"project": projects, "program": programs, "product": products}


def register_scope_options() -> dict[str, QuerySet]:
    """Every portfolio, program, project and product, by name, for the register's and heat map's scope filter."""

    return {
        "portfolio": Portfolio.objects.filter(archived_at__isnull=True).order_by("name").only("id", "name"),
        "program": Program.objects.filter(archived_at__isnull=True).order_by("name").only("id", "name"),
        "project": Project.objects.filter(archived_at__isnull=True).order_by("name").only("id", "name"),
        "product": Product.objects.filter(archived_at__isnull=True).order_by("name").only("id", "name"),
    }


def risk_owner_options() -> QuerySet:
    """The people who own at least one risk, by name (the register's owner filter)."""

    return User.objects.filter(pk__in=Risk.objects.values("owner_id")).order_by("first_name", "last_name", "username")


def people() -> QuerySet:
    """Active people, by name, who may own a risk or an action."""

    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
