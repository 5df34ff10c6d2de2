"""Reads of the programs app: list querysets and every derived figure (DESIGN §3 "Derived figures")."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from django.db import models
from django.db.models import (
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from portfolio.core.models import StrategicObjective
from portfolio.core.scales import Severity, severity_floor
from products.models import Feature
from programs.models import (
    RAG,
    Allocation,
    CostEntry,
    Dependency,
    Milestone,
    Portfolio,
    Program,
    Project,
    ProjectObjective,
    Resource,
    ResourceRequest,
    StatusReport,
)

# --- Health thresholds ---------------------------------------------------------------------------
# Risks are read through the reverse relation ``risks`` (programs sits below risks and never imports it).
OPEN_RISK_STATUSES = ("open", "mitigating")
CRITICAL_RISK_SCORE = severity_floor(Severity.CRITICAL)  # an open critical risk: red
HIGH_RISK_SCORE = severity_floor(Severity.HIGH)  # an open high risk: amber
RED_FORECAST_RATIO = Decimal("1.10")  # forecast above 110 % of budget: red
AMBER_FORECAST_RATIO = Decimal("1.00")  # forecast above the budget: amber
RED_KEY_MILESTONE_DAYS_LATE = 14  # a key milestone more than 14 days late: red

# --- Utilisation ---------------------------------------------------------------------------------
FULL_ALLOCATION_PERCENT = 100  # above this a resource is over-allocated

CENT = Decimal("0.01")
ZERO = Decimal("0")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _today(today: datetime.date | None) -> datetime.date:
    return today if today is not None else timezone.localdate()


def _one(project: Project) -> QuerySet[Project]:
    """The project as a queryset, so one-project figures read the same annotations as lists do."""
    return Project.objects.filter(pk=project.pk)


# --- Strategic score -----------------------------------------------------------------------------


def project_strategic_score(*, project: Project) -> int:
    """Return Σ objective weight × contribution over the project's objective alignments."""
    return with_strategic_score(_one(project)).values_list("strategic_score", flat=True).get()


def with_strategic_score(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate projects with ``strategic_score`` (no row multiplication: a correlated subquery)."""
    total = (
        ProjectObjective.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(F("objective__weight") * F("contribution")))
        .values("total")
    )
    return qs.annotate(strategic_score=Coalesce(Subquery(total, output_field=IntegerField()), 0))


# --- WSJF ----------------------------------------------------------------------------------------


def project_wsjf(*, project: Project) -> Decimal:
    """Return WSJF = (business value + time criticality + risk reduction) / job size, to 2 decimals."""
    wsjf = with_wsjf(_one(project)).values_list("wsjf", flat=True).get()
    return Decimal(str(wsjf)).quantize(CENT, rounding=ROUND_HALF_UP)


def with_wsjf(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate projects with ``wsjf`` (2 decimals, computed by the database so it can be sorted on)."""
    cost_of_delay = Cast(F("business_value") + F("time_criticality") + F("risk_reduction"), FloatField())
    return qs.annotate(wsjf=Round(cost_of_delay / F("job_size"), 2, output_field=FloatField()))


# --- Budget --------------------------------------------------------------------------------------


class Budget(TypedDict):
    planned: Decimal
    actual: Decimal
    forecast: Decimal
    burn_percent: Decimal | None


def allocation_remaining_cost(
    *,
    percent: int,
    capacity_hours: Decimal,
    cost_rate: Decimal,
    start_date: datetime.date,
    end_date: datetime.date,
    today: datetime.date,
) -> Decimal:
    """Return the labour still to be spent on an allocation from ``today`` (inclusive) to its end."""
    first_day = max(today, start_date)
    if first_day > end_date:
        return ZERO
    days = (end_date - first_day).days + 1
    # Divide last (by 100 % × 7 days a week) so whole weeks give exact amounts.
    return Decimal(percent) * Decimal(capacity_hours) * Decimal(cost_rate) * days / 700


def _burn_percent(actual: Decimal, planned: Decimal) -> Decimal | None:
    if not planned:
        return None
    return (actual / planned * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _remaining_labour_by_project(project_ids: Iterable[int], today: datetime.date) -> dict[int, Decimal]:
    """One query: remaining planned labour of every allocation still running on or after ``today``."""
    rows = Allocation.objects.filter(project_id__in=list(project_ids), end_date__gte=today).values_list(
        "project_id", "percent", "resource__capacity_hours", "resource__cost_rate", "start_date", "end_date"
    )
    remaining: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for project_id, percent, capacity_hours, cost_rate, start_date, end_date in rows:
        remaining[project_id] += allocation_remaining_cost(
            percent=percent,
            capacity_hours=capacity_hours,
            cost_rate=cost_rate,
            start_date=start_date,
            end_date=end_date,
            today=today,
        )
    return remaining


def project_budget(*, project: Project, today: datetime.date | None = None) -> Budget:
    """Return planned (budget), actual (Σ cost entries), forecast (actual + remaining labour) and burn %."""
    (row,) = projects_with_health(_one(project), today)
    return Budget(
        planned=row.budget,
        actual=row.budget_actual,
        forecast=row.budget_forecast,
        burn_percent=_burn_percent(row.budget_actual, row.budget),
    )


def with_budget_actual(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate projects with ``budget_actual`` = Σ of their cost entries (0 when none)."""
    total = (
        CostEntry.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return qs.annotate(budget_actual=Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY))


# --- Schedule ------------------------------------------------------------------------------------


class Schedule(TypedDict):
    days_late: int
    late_milestones: int
    key_days_late: int


def _late_milestones(today: datetime.date) -> Q:
    return Q(completed_on__isnull=True, due_date__lt=today)


def _days_since(day: datetime.date | None, today: datetime.date) -> int:
    return (today - day).days if day else 0


def project_schedule(*, project: Project, today: datetime.date | None = None) -> Schedule:
    """Return how many days the project is late (its most overdue open milestone) and how many milestones are late."""
    (row,) = projects_with_health(_one(project), today)
    return Schedule(days_late=row.days_late, late_milestones=row.late_milestones, key_days_late=row.key_days_late)


# --- Health --------------------------------------------------------------------------------------


def _rag(
    *,
    override: str,
    budget: Decimal,
    forecast: Decimal,
    top_open_risk_score: int | None,
    late_milestones: int,
    key_days_late: int,
) -> str:
    """Decide RAG from the inputs annotated by ``with_health_inputs``."""
    if override:
        return override
    risk = top_open_risk_score or 0
    # A project without a budget (0) has nothing to overrun: only schedule and risks count then.
    over_red = bool(budget) and forecast > budget * RED_FORECAST_RATIO
    over_amber = bool(budget) and forecast > budget * AMBER_FORECAST_RATIO
    if risk >= CRITICAL_RISK_SCORE or over_red or key_days_late > RED_KEY_MILESTONE_DAYS_LATE:
        return RAG.RED.value
    if late_milestones or over_amber or risk >= HIGH_RISK_SCORE:
        return RAG.AMBER.value
    return RAG.GREEN.value


def project_health(*, project: Project, today: datetime.date | None = None) -> str:
    """Return the project's health: its override, else red/amber/green from milestones, budget and open risks."""
    (row,) = projects_with_health(_one(project), today)
    return row.health


def with_health_inputs(qs: QuerySet[Project], today: datetime.date) -> QuerySet[Project]:
    """Annotate what health needs besides allocations: actual cost, late milestones and the top open risk."""
    late = Milestone.objects.filter(_late_milestones(today), project=OuterRef("pk")).order_by().values("project")
    # The project itself joined to its risks: a subquery without importing the risks app and without GROUP BY.
    top_risk = (
        Project.objects.filter(pk=OuterRef("pk"), risks__status__in=OPEN_RISK_STATUSES)
        .order_by("-risks__score")
        .values("risks__score")
    )
    return with_budget_actual(qs).annotate(
        late_milestones=Coalesce(Subquery(late.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
        earliest_late_due=Subquery(late.annotate(d=Min("due_date")).values("d")),
        earliest_late_key_due=Subquery(late.filter(is_key=True).annotate(d=Min("due_date")).values("d")),
        top_open_risk_score=Subquery(top_risk[:1], output_field=IntegerField()),
    )


def project_health_attach(projects: Iterable[Project], today: datetime.date) -> list[Project]:
    """Set ``health``, ``budget_forecast`` and ``days_late`` on projects from ``with_health_inputs`` (1 query)."""
    projects = list(projects)
    remaining = _remaining_labour_by_project([p.pk for p in projects], today)
    for project in projects:
        project.budget_forecast = (project.budget_actual + remaining.get(project.pk, ZERO)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        project.days_late = _days_since(project.earliest_late_due, today)
        project.key_days_late = _days_since(project.earliest_late_key_due, today)
        project.health = _rag(
            override=project.health_override,
            budget=project.budget,
            forecast=project.budget_forecast,
            top_open_risk_score=project.top_open_risk_score,
            late_milestones=project.late_milestones,
            key_days_late=project.key_days_late,
        )
    return projects


def projects_with_health(qs: QuerySet[Project], today: datetime.date | None = None) -> list[Project]:
    """Return the projects with ``health`` (and ``budget_forecast``) set, in two queries whatever their number."""
    today = _today(today)
    return project_health_attach(with_health_inputs(qs, today), today)


# --- Utilisation ---------------------------------------------------------------------------------


class UtilizationWeek(TypedDict):
    week_start: datetime.date
    percent: int
    over: bool


class UtilizationRow(TypedDict):
    resource: Resource
    weeks: list[UtilizationWeek]


def week_start(day: datetime.date) -> datetime.date:
    """Return the Monday of the ISO week holding ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def resource_utilization(*, resources_qs: QuerySet[Resource], start: datetime.date, weeks: int) -> list[UtilizationRow]:
    """Return, per resource and ISO week from ``start``'s week, the Σ percent of overlapping allocations."""
    first = week_start(start)
    mondays = [first + datetime.timedelta(weeks=n) for n in range(weeks)]
    last = first + datetime.timedelta(weeks=weeks, days=-1)
    resources = list(resources_qs)
    allocations = Allocation.objects.filter(
        resource_id__in=[r.pk for r in resources], start_date__lte=last, end_date__gte=first
    ).values_list("resource_id", "percent", "start_date", "end_date")
    load: dict[int, list[int]] = defaultdict(lambda: [0] * weeks)
    for resource_id, percent, start_date, end_date in allocations:
        for index, monday in enumerate(mondays):
            if start_date <= monday + datetime.timedelta(days=6) and end_date >= monday:
                load[resource_id][index] += percent
    return [
        UtilizationRow(
            resource=resource,
            weeks=[
                UtilizationWeek(week_start=monday, percent=percent, over=percent > FULL_ALLOCATION_PERCENT)
                for monday, percent in zip(mondays, load[resource.pk], strict=True)
            ],
        )
        for resource in resources
    ]


# --- List querysets for the API and pages --------------------------------------------------------


def portfolio_list() -> QuerySet[Portfolio]:
    """Portfolios with their owner."""
    return Portfolio.objects.select_related("owner")


def program_list() -> QuerySet[Program]:
    """Programs with portfolio, manager and objective ids."""
    return Program.objects.select_related("portfolio", "manager").prefetch_related(
        Prefetch("objectives", queryset=StrategicObjective.objects.only("id").order_by("id"))
    )


def project_list(today: datetime.date | None = None) -> QuerySet[Project]:
    """Projects with strategic score, WSJF, actual cost and the inputs of health (see ``project_health_attach``)."""
    qs = Project.objects.select_related("program", "manager", "product").prefetch_related(
        Prefetch("features", queryset=Feature.objects.only("id").order_by("id")),
        Prefetch("objectives", queryset=StrategicObjective.objects.only("id").order_by("id")),
    )
    return with_health_inputs(with_wsjf(with_strategic_score(qs)), _today(today))


def milestone_list() -> QuerySet[Milestone]:
    """Milestones with their project."""
    return Milestone.objects.select_related("project")


def dependency_list() -> QuerySet[Dependency]:
    """Dependencies with both projects."""
    return Dependency.objects.select_related("from_project", "to_project")


def resource_list() -> QuerySet[Resource]:
    """Resources with their user."""
    return Resource.objects.select_related("user")


def allocation_list() -> QuerySet[Allocation]:
    """Allocations with resource and project."""
    return Allocation.objects.select_related("resource", "project")


def resource_request_list() -> QuerySet[ResourceRequest]:
    """Resource requests with product, project, requester, named resource and decider."""
    return ResourceRequest.objects.select_related("product", "project", "requested_by", "resource", "decided_by")


def cost_entry_list() -> QuerySet[CostEntry]:
    """Cost entries with their project."""
    return CostEntry.objects.select_related("project")


def status_report_list() -> QuerySet[StatusReport]:
    """Status reports with project and author."""
    return StatusReport.objects.select_related("project", "author")


# --- Portfolios, programs and projects: what stands in the way of a delete ---------------------------------------
# What a project's delete takes with it without a word: its alignments to objectives and its dependencies (links,
# not work); anything else that refers to a portfolio, program or project stops its delete.
STRUCTURE_PARTS = frozenset({"programs.projectobjective", "programs.dependency"})


def delete_blockers(*, obj: Portfolio | Program | Project) -> list[tuple[str, int]]:
    """``(what, how many)`` of every kind of row that refers to ``obj`` and would be lost or cut off with it.

    Found from the relations themselves (programs, projects, milestones, allocations, cost entries, status reports,
    resource requests, risks, report subscriptions, ...), so a higher layer's model that refers to a portfolio,
    program or project stops the delete without this app importing it.
    """
    counts: dict = {}
    for relation in type(obj)._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        model = relation.related_model
        # History rows keep a copy of the id (DO_NOTHING); an automatic link table (features, objectives) is its own.
        if relation.on_delete is models.DO_NOTHING or model._meta.auto_created:
            continue
        if model._meta.label_lower in STRUCTURE_PARTS:
            continue
        count = model._base_manager.filter(**{relation.field.name: obj}).count()
        if count:
            counts[model._meta] = counts.get(model._meta, 0) + count
    return [
        (str(opts.verbose_name if count == 1 else opts.verbose_name_plural), count) for opts, count in counts.items()
    ]


# --- The structure pages: portfolios, programs, projects (a fixed number of queries each) ------------------------


def portfolio_page_list(*, archived: str = "") -> QuerySet[Portfolio]:
    """Portfolios with owner and how many programs and projects they hold (archived ones left out of the counts)."""
    programs = Program.objects.filter(portfolio=OuterRef("pk"), archived_at__isnull=True).order_by().values("portfolio")
    projects = (
        Project.objects.filter(program__portfolio=OuterRef("pk"), archived_at__isnull=True)
        .order_by()
        .values("program__portfolio")
    )
    qs = portfolio_list().annotate(
        program_count=Coalesce(Subquery(programs.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
        project_count=Coalesce(Subquery(projects.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
    )
    if archived == "only":
        return qs.filter(archived_at__isnull=False)
    return qs if archived == "true" else qs.filter(archived_at__isnull=True)


def health_summary(projects: Iterable[Project]) -> dict[str, int]:
    """How many of ``projects`` (with health attached) are green, amber and red."""
    summary = {RAG.GREEN.value: 0, RAG.AMBER.value: 0, RAG.RED.value: 0}
    for project in projects:
        summary[project.health] += 1
    return summary


def portfolio_health_summaries(portfolios: Iterable[Portfolio], today: datetime.date | None = None) -> None:
    """Set ``health_summary`` on each portfolio from its projects (two queries whatever their number)."""
    portfolios = list(portfolios)
    rows = projects_with_health(
        Project.objects.filter(
            program__portfolio__in=portfolios, archived_at__isnull=True, program__archived_at__isnull=True
        ).select_related("program"),
        today,
    )
    by_portfolio: dict[int, list[Project]] = defaultdict(list)
    for project in rows:
        by_portfolio[project.program.portfolio_id].append(project)
    for portfolio in portfolios:
        portfolio.health_summary = health_summary(by_portfolio[portfolio.pk])


def _rolled_up(programs: list[Program], projects: list[Project]) -> None:
    """Hang each program's projects on it (``project_rows``) with planned, actual and forecast summed."""
    by_program: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        by_program[project.program_id].append(project)
    for program in programs:
        rows = by_program[program.pk]
        program.project_rows = rows
        program.planned = sum((p.budget for p in rows), ZERO)
        program.actual = sum((p.budget_actual for p in rows), ZERO)
        program.forecast = sum((p.budget_forecast for p in rows), ZERO)
        program.health_summary = health_summary(rows)


def program_rows(
    *, portfolio: Portfolio | None = None, program: Program | None = None, archived: bool = False, today=None
) -> list[Program]:
    """The programs of ``portfolio`` (or ``program`` alone) with their projects, health and budgets rolled up."""
    programs = Program.objects.select_related("manager").order_by("name", "id")
    programs = programs.filter(pk=program.pk) if program is not None else programs.filter(portfolio=portfolio)
    if not archived and program is None:
        programs = programs.filter(archived_at__isnull=True)
    programs = list(programs)
    projects = Project.objects.filter(program__in=programs).select_related("manager").order_by("name", "id")
    if not archived:
        projects = projects.filter(archived_at__isnull=True)
    _rolled_up(programs, projects_with_health(projects, today))
    return programs


def project_page(*, project: Project, today: datetime.date | None = None) -> dict:
    """All the project page shows: the project with health and budget, its milestones (late ones flagged), its
    dependencies both ways, the features it delivers, the people allocated and its latest status reports."""
    today = _today(today)
    (row,) = projects_with_health(
        Project.objects.filter(pk=project.pk).select_related("program__portfolio", "manager", "product"), today
    )
    milestones = list(Milestone.objects.filter(project=project).order_by("due_date", "id"))
    for milestone in milestones:
        milestone.is_late = milestone.completed_on is None and milestone.due_date < today
        milestone.days_late = (today - milestone.due_date).days if milestone.is_late else 0
    return {
        "project": row,
        "today": today,
        "burn_percent": _burn_percent(row.budget_actual, row.budget),
        "milestones": milestones,
        "late_milestones": [m for m in milestones if m.is_late],
        "blocked_by": list(
            Dependency.objects.filter(to_project=project).select_related("from_project").order_by("from_project__name")
        ),
        "depends_out": list(
            Dependency.objects.filter(from_project=project).select_related("to_project").order_by("to_project__name")
        ),
        "features": list(project.features.select_related("product").order_by("title", "id")),
        "allocations": list(
            Allocation.objects.filter(project=project).select_related("resource").order_by("start_date", "id")
        ),
        "status_reports": list(
            StatusReport.objects.filter(project=project).select_related("author").order_by("-period_end")[:5]
        ),
    }
