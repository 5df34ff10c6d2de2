"""Reads of the programs app: list querysets and every derived figure (DESIGN §3 "Derived figures")."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from django.db import models
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Cast, Ceil, Coalesce, Greatest, Least, Round
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from portfolio.core.models import END_BEFORE_START, StrategicObjective
from portfolio.core.scales import Severity, severity_floor
from portfolio.core.selectors import objectives_with_progress
from products.models import Feature, Product
from programs.models import (
    RAG,
    RAG_BY_RANK,
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


def burn_percent_of(actual: Decimal, planned: Decimal) -> Decimal | None:
    if not planned:
        return None
    return (actual / planned * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def project_budget(*, project: Project, today: datetime.date | None = None) -> Budget:
    """Return planned (budget), actual (Σ cost entries), forecast (actual + remaining labour) and burn %."""
    (row,) = projects_with_health(_one(project), today)
    return Budget(
        planned=row.budget,
        actual=row.budget_actual,
        forecast=row.budget_forecast,
        burn_percent=burn_percent_of(row.budget_actual, row.budget),
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
# Health is computed by the database, so the API can filter and sort by it at any size: ``with_health`` annotates
# the inputs, the three colours (schedule, budget, risk) and the overall colour in one query, and a caller cannot
# get a project with half of them.

CLOSED_PROJECT_STATUSES = (Project.Status.COMPLETED, Project.Status.CANCELLED)


def live_projects() -> QuerySet[Project]:
    """Projects that neither they, their program nor their portfolio archived: what dashboards and reports cover."""
    return Project.objects.filter(
        archived_at__isnull=True,
        program__archived_at__isnull=True,
        program__portfolio__archived_at__isnull=True,
    )


HEALTH_RANK = {colour: rank for rank, colour in enumerate(RAG_BY_RANK)}


class DaysBetween(Func):
    """Whole days from ``start`` to ``end`` (negative when ``end`` comes first), on PostgreSQL and SQLite."""

    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def _parts(self, compiler):
        (end_sql, end_params), (start_sql, start_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return end_sql, start_sql, (*end_params, *start_params)

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: a date minus a date is an integer number of days.
        end_sql, start_sql, params = self._parts(compiler)
        return f"({end_sql} - {start_sql})", params

    def as_sqlite(self, compiler, connection, **extra):
        end_sql, start_sql, params = self._parts(compiler)
        return f"CAST(ROUND(julianday({end_sql}) - julianday({start_sql})) AS INTEGER)", params


class Fractional(Func):
    """The amount as it is on PostgreSQL; on SQLite made a real number first.

    SQLite stores whole amounts as integers and divides integers as integers: 25,000 × 100 / 1,000,000 would
    be 2, not 2.5.
    """

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s * 1.0)", **extra)


LABOUR = DecimalField(max_digits=30, decimal_places=10)
ROLLUP_FIELDS = ("projects_budget", "budget_actual", "budget_forecast", "burn_percent")  # see with_budget_rollup


def _labour_cost(first_day) -> Func:
    """An allocation's labour cost from ``first_day`` to its end, both inclusive (see ``_remaining_labour``).

    One flat product: Django's SQLite backend wraps each step of ``a * b * c`` in a cast of its own, and the nesting
    of health (which holds this twice over) would pass SQLite's parser depth.
    """
    days = DaysBetween(F("end_date"), first_day) + 1
    return Func(
        F("percent"),
        F("resource__capacity_hours"),
        F("resource__cost_rate"),
        days,
        # 700.0, not 700: SQLite stores whole numbers as integers and would divide them as integers.
        template="(%(expressions)s) / 700.0",
        arg_joiner=" * ",
        output_field=LABOUR,
    )


def _remaining_labour(today: datetime.date, key: str, **match) -> Subquery:
    """Σ per ``key`` of the remaining labour cost of the allocations matching ``match`` that still run on or after
    ``today``.

    An allocation costs percent × capacity hours a week × cost rate per calendar day from ``today`` (inclusive) to
    its end (inclusive): divided last, by 100 % × 7 days a week, so whole weeks give exact amounts.
    """
    cost = _labour_cost(Greatest(F("start_date"), Value(today, output_field=DateField())))
    total = (
        Allocation.objects.filter(end_date__gte=today, **match)
        .order_by()
        .values(key)
        .annotate(total=Sum(cost))
        .values("total")
    )
    return Subquery(total, output_field=LABOUR)


def _sum_of(qs: QuerySet, key: str, field: str) -> Coalesce:
    total = qs.order_by().values(key).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def with_budget_rollup(qs: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Annotate portfolios or programs with their projects' budgets summed (archived projects left out, and for a
    portfolio the projects of archived programs too): ``projects_budget`` (Σ planned), ``budget_actual`` (Σ cost
    entries), ``budget_forecast`` (actual + the labour still to be spent, 2 decimals) and ``burn_percent`` (actual
    as a percentage of the portfolio's or program's own budget, 1 decimal; null without a budget).
    """
    today = _today(today)
    path = "program__portfolio" if qs.model is Portfolio else "program"
    live = {"archived_at__isnull": True} | ({"program__archived_at__isnull": True} if qs.model is Portfolio else {})
    of_live_projects = {f"project__{path}": OuterRef("pk")} | {f"project__{k}": v for k, v in live.items()}
    projects = Project.objects.filter(**{path: OuterRef("pk")}, **live)
    costs = CostEntry.objects.filter(**of_live_projects)
    remaining = _remaining_labour(today, f"project__{path}", **of_live_projects)
    return qs.annotate(
        projects_budget=_sum_of(projects, path, "budget"),
        budget_actual=_sum_of(costs, f"project__{path}", "amount"),
    ).annotate(
        budget_forecast=Round(F("budget_actual") + Coalesce(remaining, Value(ZERO)), 2, output_field=MONEY),
        burn_percent=Case(
            When(budget__gt=0, then=Round(Fractional(F("budget_actual")) * 100 / F("budget"), 1)),
            default=None,
            output_field=DecimalField(max_digits=8, decimal_places=1),
        ),
    )


def budget_rollup(*, obj: Portfolio | Program, today: datetime.date | None = None) -> dict:
    """The figures of ``with_budget_rollup`` for one portfolio or program, as a dict."""
    return with_budget_rollup(type(obj).objects.filter(pk=obj.pk), today).values(*ROLLUP_FIELDS).get()


def with_health(qs: QuerySet[Project], today: datetime.date | None = None) -> QuerySet[Project]:
    """Annotate projects with health and what it is made of, all computed by the database.

    - ``budget_actual`` (Σ cost entries), ``budget_forecast`` (actual + the labour still to be spent, 2 decimals);
    - ``late_milestones``, ``days_late`` (the most overdue open milestone), ``key_days_late`` (the same for key
      milestones); a completed or cancelled project has no late milestones;
    - ``top_open_risk_score``;
    - ``schedule_rank``, ``budget_rank``, ``risk_rank``: 0 green, 1 amber, 2 red each, by the thresholds above;
    - ``health_rank``: the override's rank, else the worst of the three.

    The colours are read as ``project.health``, ``health_schedule``, ``health_budget`` and ``health_risk``
    (``Project`` names the ranks). Each rank refers to its inputs once: the database computes a subquery again
    wherever it is named, so an expression that named its inputs in every branch would cost many times over.
    """
    today = _today(today)
    today_value = Value(today, output_field=DateField())
    late = (
        Milestone.objects.filter(_late_milestones(today), project=OuterRef("pk"))
        .exclude(project__status__in=CLOSED_PROJECT_STATUSES)
        .order_by()
        .values("project")
    )
    # The project itself joined to its risks: a subquery without importing the risks app and without GROUP BY.
    top_risk = Project.objects.filter(pk=OuterRef("pk"), risks__status__in=OPEN_RISK_STATUSES).order_by("-risks__score")
    risk_rank = top_risk.annotate(
        rank=Case(
            When(risks__score__gte=CRITICAL_RISK_SCORE, then=Value(2)),
            When(risks__score__gte=HIGH_RISK_SCORE, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).values("rank")[:1]
    days_late = Coalesce(DaysBetween(today_value, Subquery(late.annotate(d=Min("due_date")).values("d"))), 0)
    key_days_late = Coalesce(
        DaysBetween(today_value, Subquery(late.filter(is_key=True).annotate(d=Min("due_date")).values("d"))), 0
    )
    forecast = Round(
        F("budget_actual") + Coalesce(_remaining_labour(today, "project", project=OuterRef("pk")), Value(ZERO)),
        2,
        output_field=MONEY,
    )
    # Over budget by up to 10 % (of the budget) is amber, by more red: the 10 % steps, rounded up, capped at 2.
    overrun_steps = Ceil((forecast - F("budget")) / (F("budget") * (RED_FORECAST_RATIO - AMBER_FORECAST_RATIO)))
    schedule_rank = Case(
        When(GreaterThan(key_days_late, RED_KEY_MILESTONE_DAYS_LATE), then=Value(2)),
        When(GreaterThan(days_late, 0), then=Value(1)),
        default=Value(0),
    )
    budget_rank = Case(
        # A project without a budget (0) has nothing to overrun: only schedule and risks count then.
        When(budget__gt=0, then=Least(Value(2), Greatest(Value(0), Cast(overrun_steps, IntegerField())))),
        default=Value(0),
    )
    risk_rank = Coalesce(Subquery(risk_rank, output_field=IntegerField()), 0)
    override_rank = Case(
        *(When(health_override=colour, then=Value(rank)) for colour, rank in HEALTH_RANK.items()), default=None
    )
    return with_budget_actual(qs).annotate(
        late_milestones=Coalesce(Subquery(late.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
        top_open_risk_score=Subquery(top_risk.values("risks__score")[:1], output_field=IntegerField()),
        budget_forecast=forecast,
        days_late=days_late,
        key_days_late=key_days_late,
        schedule_rank=ExpressionWrapper(schedule_rank, output_field=IntegerField()),
        budget_rank=ExpressionWrapper(budget_rank, output_field=IntegerField()),
        risk_rank=risk_rank,
        health_rank=ExpressionWrapper(
            Coalesce(override_rank, Greatest(schedule_rank, budget_rank, risk_rank)), output_field=IntegerField()
        ),
    )


def project_health(*, project: Project, today: datetime.date | None = None) -> str:
    """Return the project's health: its override, else red/amber/green from milestones, budget and open risks."""
    return with_health(_one(project), today).get().health


def projects_with_health(qs: QuerySet[Project], today: datetime.date | None = None) -> list[Project]:
    """Return the projects with ``health`` and its parts (see ``with_health``), in one query whatever their number."""
    return list(with_health(qs, today))


# --- Utilisation ---------------------------------------------------------------------------------


class UtilizationWeek(TypedDict):
    week_start: datetime.date
    percent: int
    over: bool


class UtilizationRow(TypedDict):
    resource: Resource
    weeks: list[UtilizationWeek]


class Availability(TypedDict):
    resource: Resource
    booked_percent: int
    free_percent: int


# Projects whose allocations no longer take anyone's time: CLOSED_PROJECT_STATUSES (above).
WORKING_DAYS = 5  # Monday to Friday


def week_start(day: datetime.date) -> datetime.date:
    """Return the Monday of the ISO week holding ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def week_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The Mondays of the weeks from ``start``'s week to ``end``'s week, both included."""
    first, last = week_start(start), week_start(end)
    return [first + datetime.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def _working_days(first: datetime.date, last: datetime.date) -> int:
    """Mondays to Fridays from ``first`` to ``last`` (both included, in the same week)."""
    return max(0, min(last.weekday(), WORKING_DAYS - 1) - first.weekday() + 1)


def counted_allocations() -> QuerySet[Allocation]:
    """Allocations that take someone's time: of an active resource, on a project neither completed nor cancelled."""
    return Allocation.objects.filter(resource__active=True).exclude(project__status__in=CLOSED_PROJECT_STATUSES)


def weekly_load(*, allocations: QuerySet[Allocation], first_monday: datetime.date, weeks: int) -> dict[int, list[int]]:
    """Return, per resource id, the percent of capacity booked in each of ``weeks`` weeks from ``first_monday``.

    An allocation counts in a week by the working days (Monday–Friday) it overlaps there: percent × days / 5,
    so 100 % Monday–Wednesday and 100 % Thursday–Friday make 100 %. One query, then one pass over the
    allocation rows: the partial first and last weeks are added directly and the whole weeks between as a
    range on a difference array, so the cost is allocations + resources × weeks, never their product.
    The heat map, the API and ``resource_availability`` all count with this.
    """
    if weeks <= 0:
        return {}
    last_sunday = first_monday + datetime.timedelta(weeks=weeks, days=-1)
    rows = allocations.filter(start_date__lte=last_sunday, end_date__gte=first_monday).values_list(
        "resource_id", "percent", "start_date", "end_date"
    )
    # Percent × working days per week (a fifth of it is the figure), and the difference array of whole weeks.
    days: dict[int, list[int]] = defaultdict(lambda: [0] * weeks)
    whole: dict[int, list[int]] = defaultdict(lambda: [0] * (weeks + 1))
    for resource_id, percent, start_date, end_date in rows:
        first_day, last_day = max(start_date, first_monday), min(end_date, last_sunday)
        first_week = (first_day - first_monday).days // 7
        last_week = (last_day - first_monday).days // 7
        if first_week == last_week:
            days[resource_id][first_week] += percent * _working_days(first_day, last_day)
            continue
        first_sunday = first_monday + datetime.timedelta(weeks=first_week, days=6)
        last_week_monday = first_monday + datetime.timedelta(weeks=last_week)
        days[resource_id][first_week] += percent * _working_days(first_day, first_sunday)
        days[resource_id][last_week] += percent * _working_days(last_week_monday, last_day)
        if last_week - first_week > 1:
            whole[resource_id][first_week + 1] += percent
            whole[resource_id][last_week] -= percent
    load: dict[int, list[int]] = {}
    for resource_id in days.keys() | whole.keys():
        running, partial, steps = 0, days[resource_id], whole[resource_id]
        figures = []
        for index in range(weeks):
            running += steps[index]
            total = partial[index] + running * WORKING_DAYS
            figures.append((total * 2 + WORKING_DAYS) // (2 * WORKING_DAYS))  # / 5, halves rounded up
        load[resource_id] = figures
    return load


def resource_utilization(*, resources_qs: QuerySet[Resource], start: datetime.date, weeks: int) -> list[UtilizationRow]:
    """Return, per resource of ``resources_qs`` and ISO week from ``start``'s week, the percent of capacity booked
    (counted as ``weekly_load`` counts: by working days; closed projects and inactive resources count nothing)."""
    first = week_start(start)
    mondays = [first + datetime.timedelta(weeks=n) for n in range(weeks)]
    resources = list(resources_qs)
    allocations = counted_allocations().filter(resource_id__in=[r.pk for r in resources])
    load = weekly_load(allocations=allocations, first_monday=first, weeks=weeks)
    empty = [0] * weeks
    return [
        UtilizationRow(
            resource=resource,
            weeks=[
                UtilizationWeek(week_start=monday, percent=percent, over=percent > FULL_ALLOCATION_PERCENT)
                for monday, percent in zip(mondays, load.get(resource.pk, empty), strict=True)
            ],
        )
        for resource in resources
    ]


def _availability(
    resources: QuerySet[Resource], allocations: QuerySet[Allocation], start: datetime.date, end: datetime.date
) -> list[Availability]:
    mondays = week_starts(start, end)
    load = weekly_load(allocations=allocations, first_monday=mondays[0], weeks=len(mondays))
    rows = []
    for resource in resources:
        booked = max(load.get(resource.pk, [0]))
        rows.append(Availability(resource=resource, booked_percent=booked, free_percent=max(0, 100 - booked)))
    return rows


def resource_availability(
    *, function: str, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> list[Availability]:
    """Return each active resource of ``function`` with their peak weekly booking over the weeks from ``start`` to
    ``end`` and what is left of their capacity, the freest first (then by name). Two queries.

    ``today`` is accepted for symmetry with the other selectors: the figure depends on the period alone.
    """
    resources = Resource.objects.filter(function=function, active=True).order_by("name", "id")
    allocations = counted_allocations().filter(resource__function=function)
    rows = _availability(resources, allocations, start, end)
    rows.sort(key=lambda row: -row["free_percent"])  # stable: by name within the same free percent
    return rows


def availability_by_name(*, start: datetime.date, end: datetime.date) -> list[Availability]:
    """Every active resource by name, with their peak booking and what is free from ``start`` to ``end``. Two
    queries (the choices of the allocation form)."""
    resources = Resource.objects.filter(active=True).order_by("name", "id")
    return _availability(resources, counted_allocations(), start, end)


def with_planned_cost(qs: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """Annotate allocations with ``planned_cost``: the labour from their first day to their last, 2 decimals (as the
    budget forecast counts it)."""
    return qs.annotate(planned_cost=Round(_labour_cost(F("start_date")), 2, output_field=MONEY))


def project_allocations(*, project: Project) -> list[Allocation]:
    """The project's allocations with their person, by start, each with its ``planned_cost``. One query."""
    rows = list(
        with_planned_cost(Allocation.objects.filter(project=project))
        .select_related("resource")
        .order_by("start_date", "resource__name")
    )
    for allocation in rows:
        allocation.project = project
    return rows


def resource_allocations(*, resource: Resource) -> list[Allocation]:
    """The person's allocations with their project (and its program), latest first. One query."""
    rows = list(
        with_planned_cost(Allocation.objects.filter(resource=resource))
        .select_related("project__program")
        .order_by("-start_date", "-id")
    )
    for allocation in rows:
        allocation.resource = resource
    return rows


def resource_page_list() -> QuerySet[Resource]:
    """Resources for the list page, by name, each with its ``allocation_count`` (filtered by ``ResourceFilter``)."""
    return (
        Resource.objects.select_related("user").annotate(allocation_count=Count("allocations")).order_by("name", "id")
    )


class HeatCell(TypedDict):
    week_start: datetime.date
    percent: int
    over: bool
    over_by: int  # percent above 100 (0 when not over)


class HeatRow(TypedDict):
    resource: Resource
    cells: list[HeatCell]


class FunctionWeek(TypedDict):
    week_start: datetime.date
    average: int
    over_people: int


class FunctionTotal(TypedDict):
    function: str
    label: str
    people: int
    weeks: list[FunctionWeek]


class UtilizationGrid(TypedDict):
    weeks: list[datetime.date]
    rows: list[HeatRow]
    totals: list[FunctionTotal]


MAX_GRID_WEEKS = 104
DEFAULT_GRID_WEEKS = 13  # this week and the 12 after it
TOO_MANY_WEEKS = f"The period spans more than {MAX_GRID_WEEKS} weeks: choose a shorter one."


def heat_map_period(
    *, start: datetime.date | None, end: datetime.date | None, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period a heat map shows: ``start`` (this week's Monday) to ``end`` (12 weeks after ``start``'s week)."""
    start = start or week_start(today)
    return start, end or week_start(start) + datetime.timedelta(weeks=DEFAULT_GRID_WEEKS, days=-1)


def heat_map_period_errors(*, start: datetime.date, end: datetime.date) -> dict[str, str]:
    """The field errors of a heat map period: an end before the start, more than 104 weeks."""
    if end < start:
        return {"end": END_BEFORE_START}
    if (week_start(end) - week_start(start)).days // 7 + 1 > MAX_GRID_WEEKS:
        return {"end": TOO_MANY_WEEKS}
    return {}


def _rounded_average(values: list[int]) -> int:
    return (sum(values) * 2 + len(values)) // (2 * len(values)) if values else 0


def utilization_grid(*, start: datetime.date, end: datetime.date, function: str | None = None) -> UtilizationGrid:
    """The heat map: every active resource (of ``function`` if given) by function then name, × the weeks from
    ``start``'s to ``end``'s, each cell the percent of capacity booked (as ``weekly_load`` counts); and per function
    and week the average utilisation of its people and how many of them are over 100 %. Two queries."""
    mondays = week_starts(start, end)
    resources = Resource.objects.filter(active=True)
    allocations = counted_allocations()
    if function:
        resources = resources.filter(function=function)
        allocations = allocations.filter(resource__function=function)
    load = weekly_load(allocations=allocations, first_monday=mondays[0], weeks=len(mondays))
    empty = [0] * len(mondays)
    rows: list[HeatRow] = []
    by_function: dict[str, list[list[int]]] = {}
    for resource in resources.order_by("function", "name", "id"):
        figures = load.get(resource.pk, empty)
        by_function.setdefault(resource.function, []).append(figures)
        rows.append(
            HeatRow(
                resource=resource,
                cells=[
                    HeatCell(
                        week_start=monday,
                        percent=percent,
                        over=percent > FULL_ALLOCATION_PERCENT,
                        over_by=max(0, percent - FULL_ALLOCATION_PERCENT),
                    )
                    for monday, percent in zip(mondays, figures, strict=True)
                ],
            )
        )
    labels = dict(Resource._meta.get_field("function").choices)
    totals = [
        FunctionTotal(
            function=name,
            label=labels.get(name, name),
            people=len(people),
            weeks=[
                FunctionWeek(
                    week_start=monday,
                    average=_rounded_average([figures[index] for figures in people]),
                    over_people=sum(1 for figures in people if figures[index] > FULL_ALLOCATION_PERCENT),
                )
                for index, monday in enumerate(mondays)
            ],
        )
        for name, people in by_function.items()
    ]
    return UtilizationGrid(weeks=mondays, rows=rows, totals=totals)


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
    """Projects with strategic score, WSJF, and health with what it is made of (see ``with_health``)."""
    qs = Project.objects.select_related("program", "manager", "product").prefetch_related(
        Prefetch("features", queryset=Feature.objects.only("id").order_by("id")),
        Prefetch("objectives", queryset=StrategicObjective.objects.only("id").order_by("id")),
    )
    return with_health(with_wsjf(with_strategic_score(qs)), today)


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


# --- Status reports: the draft from live data ----------------------------------------------------
# The rules the draft proposes RAG by, one colour at a time (shown on the report's edit page too).
STATUS_RED_KEY_DAYS_LATE = RED_KEY_MILESTONE_DAYS_LATE  # a key milestone late by more than 14 days: schedule red
STATUS_RED_BURN_AHEAD = Decimal("20")  # burn more than 20 points ahead of time elapsed: budget red
STATUS_AMBER_BURN_AHEAD = Decimal("5")  # burn more than 5 points ahead of time elapsed: budget amber
STATUS_RAG_RULES = {
    "schedule": (
        f"Red if a key milestone is late by more than {STATUS_RED_KEY_DAYS_LATE} days; amber if any key milestone "
        "is late or any milestone slipped since the last report (its due date passed without completion, or "
        "its due date moved later); green otherwise."
    ),
    "budget": (
        f"Red if the burn (actual cost / budget) is more than {STATUS_RED_BURN_AHEAD} points ahead of the share of "
        f"the project's time elapsed; amber if more than {STATUS_AMBER_BURN_AHEAD} points ahead; green otherwise "
        "(and green for a project without a budget)."
    ),
    "scope": (
        "Red if half or more of the project's features are parked; amber if any of its features was parked since "
        "the last report; green otherwise."
    ),
    "risks": "Red if an open critical risk; amber if an open high risk; green otherwise.",
    "overall": "The worst of schedule, budget, scope and risks.",
}
_RAG_ORDER = {RAG.GREEN.value: 0, RAG.AMBER.value: 1, RAG.RED.value: 2}


class StatusReportDraftData(TypedDict):
    period_end: datetime.date
    since: datetime.date
    previous_report: int | None
    milestones_done: list[dict]
    milestones_slipped: list[dict]
    budget: dict
    features_shipped: list[dict]
    features_parked: list[dict]
    allocation_changes: list[dict]
    risks: dict
    rag: dict[str, str]
    reasons: dict[str, str]


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the site's time zone (history rows are timestamps)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def status_report_previous(*, project: Project, period_end: datetime.date) -> StatusReport | None:
    """Return the project's latest published report of a period before ``period_end``."""
    return (
        project.status_reports.filter(status=StatusReport.Status.PUBLISHED, period_end__lt=period_end)
        .order_by("-period_end")
        .first()
    )


def status_milestones_done(*, project: Project, after: datetime.date, today: datetime.date) -> list[dict]:
    """Return the project's milestones completed after ``after`` up to ``today``."""
    rows = project.milestones.filter(completed_on__gt=after, completed_on__lte=today).order_by("completed_on", "id")
    return [
        {"id": m.pk, "name": m.name, "due_date": m.due_date, "completed_on": m.completed_on, "is_key": m.is_key}
        for m in rows
    ]


def status_milestones_slipped(*, project: Project, after: datetime.date, today: datetime.date) -> list[dict]:
    """Return the open milestones that slipped after ``after``: due date passed, or due date moved later.

    A move is read from the milestone's history: its due date as it stood when the period began (or when it
    was created, if later) against its due date now.
    """
    milestones = list(project.milestones.filter(completed_on__isnull=True).order_by("due_date", "id"))
    began = _start_of(after + datetime.timedelta(days=1))
    baseline: dict[int, datetime.date] = {}
    history = (
        Milestone.history.filter(id__in=[m.pk for m in milestones])
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "due_date")
    )
    for pk, when, due in history:
        if when < began or pk not in baseline:
            baseline[pk] = due
    slipped = []
    for m in milestones:
        was_due = baseline.get(m.pk, m.due_date)
        passed = after < m.due_date < today
        moved = m.due_date > was_due
        if passed or moved:
            slipped.append(
                {
                    "id": m.pk,
                    "name": m.name,
                    "due_date": m.due_date,
                    "was_due": was_due,
                    "is_key": m.is_key,
                    "days_late": max((today - m.due_date).days, 0),
                    "why": "due date moved" if moved else "due date passed",
                }
            )
    return slipped


def status_budget_burn(*, project: Project, today: datetime.date) -> dict:
    """Return budget, actual, forecast, burn % and the share of the project's time elapsed (%, 0–100)."""
    budget = project_budget(project=project, today=today)
    length = (project.end_date - project.start_date).days
    done = (today - project.start_date).days
    elapsed = Decimal(100) if length <= 0 else Decimal(min(max(done, 0), length) * 100) / length
    elapsed = elapsed.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    burn = budget["burn_percent"]
    return {**budget, "elapsed_percent": elapsed, "burn_ahead": None if burn is None else burn - elapsed}


def _feature_ids(project: Project) -> list[int]:
    return list(project.features.values_list("pk", flat=True))


def status_features_shipped(*, project: Project, after: datetime.date) -> list[dict]:
    """Return the project's features now shipped that first became shipped after ``after`` (Feature history)."""
    began = _start_of(after + datetime.timedelta(days=1))
    first_shipped = dict(
        Feature.history.filter(id__in=project.features.values("pk"), status=Feature.Status.SHIPPED)
        .order_by()
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    rows = project.features.filter(status=Feature.Status.SHIPPED, pk__in=list(first_shipped)).order_by("title", "id")
    return [{"id": f.pk, "title": f.title} for f in rows if first_shipped[f.pk] >= began]


def status_features_parked(*, project: Project, after: datetime.date) -> list[dict]:
    """Return the project's features now parked that were not parked when the period began (Feature history)."""
    began = _start_of(after + datetime.timedelta(days=1))
    parked = list(project.features.filter(status=Feature.Status.PARKED).order_by("title", "id"))
    status_then: dict[int, str] = {}
    history = (
        Feature.history.filter(id__in=[f.pk for f in parked], history_date__lt=began)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "status")
    )
    for pk, status in history:
        status_then[pk] = status
    return [{"id": f.pk, "title": f.title} for f in parked if status_then.get(f.pk) != Feature.Status.PARKED]


def status_allocation_changes(*, project: Project, after: datetime.date) -> list[dict]:
    """Return who was added to, changed on or removed from the project after ``after`` (Allocation history)."""
    began = _start_of(after + datetime.timedelta(days=1))
    rows = (
        Allocation.history.filter(project_id=project.pk, history_date__gte=began)
        .select_related("resource")
        .order_by("history_date", "history_id")
    )
    changes: dict[int, dict] = {}
    for row in rows:
        kind = {"+": "added", "~": "changed", "-": "removed"}[row.history_type]
        earlier = changes.get(row.id)
        if earlier is not None and earlier["change"] == "added" and kind == "changed":
            kind = "added"
        changes[row.id] = {
            "id": row.id,
            "resource": row.resource.name if row.resource else "",
            "change": kind,
            "percent": row.percent,
            "start_date": row.start_date,
            "end_date": row.end_date,
        }
    removed = [pk for pk, c in changes.items() if c["change"] == "removed"]
    existed = _before(project, began) if removed else set()
    # An allocation added and removed within the period is no news.
    return [c for c in changes.values() if c["change"] != "removed" or c["id"] in existed]


def _before(project: Project, began: datetime.datetime) -> set[int]:
    """Allocations of ``project`` that existed before ``began``."""
    return set(Allocation.history.filter(project_id=project.pk, history_date__lt=began).values_list("id", flat=True))


def status_risks(*, project: Project, after: datetime.date) -> dict:
    """Return how many open risks are critical or high, and the risks raised after ``after``."""
    began = _start_of(after + datetime.timedelta(days=1))
    open_risks = project.risks.filter(status__in=OPEN_RISK_STATUSES)
    counts = open_risks.aggregate(
        critical=Count("pk", filter=Q(score__gte=CRITICAL_RISK_SCORE)),
        high=Count("pk", filter=Q(score__gte=HIGH_RISK_SCORE, score__lt=CRITICAL_RISK_SCORE)),
    )
    new = project.risks.filter(created_at__gte=began).order_by("-score", "id").values("id", "title", "score")
    return {"open_critical": counts["critical"], "open_high": counts["high"], "new": list(new)}


def status_rag_schedule(*, key_days_late: int, slipped: list[dict]) -> tuple[str, str]:
    """Propose the schedule colour (see ``STATUS_RAG_RULES``) and say why."""
    if key_days_late > STATUS_RED_KEY_DAYS_LATE:
        return RAG.RED.value, f"A key milestone is {key_days_late} days late."
    if key_days_late:
        return RAG.AMBER.value, f"A key milestone is {key_days_late} days late."
    if slipped:
        return RAG.AMBER.value, f"{len(slipped)} milestone(s) slipped since the last report."
    return RAG.GREEN.value, "No key milestone is late and no milestone slipped."


def status_rag_budget(*, burn_ahead: Decimal | None) -> tuple[str, str]:
    """Propose the budget colour from how far the burn runs ahead of time elapsed, in points."""
    if burn_ahead is None:
        return RAG.GREEN.value, "The project has no budget to burn."
    if burn_ahead > STATUS_RED_BURN_AHEAD:
        return RAG.RED.value, f"Burn is {burn_ahead} points ahead of time elapsed."
    if burn_ahead > STATUS_AMBER_BURN_AHEAD:
        return RAG.AMBER.value, f"Burn is {burn_ahead} points ahead of time elapsed."
    if burn_ahead > 0:
        return RAG.GREEN.value, f"Burn is {burn_ahead} points ahead of time elapsed, within {STATUS_AMBER_BURN_AHEAD}."
    return RAG.GREEN.value, f"Burn is {-burn_ahead} points behind time elapsed."


def status_rag_scope(*, features: int, parked: int, parked_since: int) -> tuple[str, str]:
    """Propose the scope colour from the project's parked features."""
    if parked and parked * 2 >= features:
        return RAG.RED.value, f"{parked} of the project's {features} features are parked."
    if parked_since:
        return RAG.AMBER.value, f"{parked_since} feature(s) parked since the last report."
    return RAG.GREEN.value, "No feature was parked since the last report."


def status_rag_risks(*, open_critical: int, open_high: int) -> tuple[str, str]:
    """Propose the risk colour from the open critical and high risks."""
    if open_critical:
        return RAG.RED.value, f"{open_critical} open critical risk(s)."
    if open_high:
        return RAG.AMBER.value, f"{open_high} open high risk(s)."
    return RAG.GREEN.value, "No open critical or high risk."


def worst_rag(colours: Iterable[str]) -> str:
    """Return the worst of the colours (red over amber over green)."""
    return max(colours, key=_RAG_ORDER.__getitem__, default=RAG.GREEN.value)


def status_report_draft_data(*, project: Project, today: datetime.date | None = None) -> StatusReportDraftData:
    """Return what changed since the project's previous published report (or its start) and the RAG proposed.

    The RAG is proposed colour by colour by ``STATUS_RAG_RULES``; ``overall`` is the worst of them.
    """
    today = _today(today)
    previous = status_report_previous(project=project, period_end=today)
    # Changes are those after the previous period's end, or from the project's first day.
    after = previous.period_end if previous else project.start_date - datetime.timedelta(days=1)
    slipped = status_milestones_slipped(project=project, after=after, today=today)
    budget = status_budget_burn(project=project, today=today)
    schedule = project_schedule(project=project, today=today)
    parked = status_features_parked(project=project, after=after)
    features = project.features.aggregate(total=Count("pk"), parked=Count("pk", filter=Q(status=Feature.Status.PARKED)))
    risks = status_risks(project=project, after=after)
    proposed = {
        "schedule": status_rag_schedule(key_days_late=schedule["key_days_late"], slipped=slipped),
        "budget": status_rag_budget(burn_ahead=budget["burn_ahead"]),
        "scope": status_rag_scope(features=features["total"], parked=features["parked"], parked_since=len(parked)),
        "risks": status_rag_risks(open_critical=risks["open_critical"], open_high=risks["open_high"]),
    }
    rag = {name: colour for name, (colour, _why) in proposed.items()}
    rag["overall"] = worst_rag(rag.values())
    reasons = {name: why for name, (_colour, why) in proposed.items()}
    reasons["overall"] = STATUS_RAG_RULES["overall"]
    return StatusReportDraftData(
        period_end=today,
        since=after + datetime.timedelta(days=1),
        previous_report=previous.pk if previous else None,
        milestones_done=status_milestones_done(project=project, after=after, today=today),
        milestones_slipped=slipped,
        budget=budget,
        features_shipped=status_features_shipped(project=project, after=after),
        features_parked=parked,
        allocation_changes=status_allocation_changes(project=project, after=after),
        risks=risks,
        rag=rag,
        reasons=reasons,
    )


def status_reports_of_project(*, project: Project) -> QuerySet[StatusReport]:
    """The project's status reports, newest period first, with their author."""
    return StatusReport.objects.filter(project=project).select_related("author").order_by("-period_end", "-id")


def status_report_of_project(*, project: Project, pk: int) -> StatusReport:
    """The report ``pk`` of ``project`` with its author (``StatusReport.DoesNotExist`` for another project's)."""
    report = StatusReport.objects.select_related("author").get(project=project, pk=pk)
    report.project = project
    return report


def project_for_reports(*, pk: int) -> Project:
    """The project a status report page is about, with its program (the rules read its manager)."""
    return Project.objects.select_related("program").get(pk=pk)


# --- Delivery ------------------------------------------------------------------------------------------


def project_objective_list() -> QuerySet[ProjectObjective]:
    """A project's alignments with the strategic objectives, with both ends."""
    return ProjectObjective.objects.select_related("project", "objective")


def project_for_delivery(*, pk: int) -> Project:
    """The project of a delivery page, with its program and portfolio (the rules read them)."""
    return Project.objects.select_related("program__portfolio", "manager").get(pk=pk)


def project_milestones(*, project: Project) -> QuerySet[Milestone]:
    """The project's milestones by due date."""
    return Milestone.objects.filter(project=project).order_by("due_date", "id")


def project_dependencies(*, project: Project) -> dict[str, list[Dependency]]:
    """The project's links: ``out`` (this project blocks or relates to) and ``in`` (others to this one)."""
    rows = Dependency.objects.filter(Q(from_project=project) | Q(to_project=project)).select_related(
        "from_project", "to_project"
    )
    links: dict[str, list[Dependency]] = {"out": [], "in": []}
    for row in rows.order_by("kind", "id"):
        links["out" if row.from_project_id == project.pk else "in"].append(row)
    return links


def dependency_candidates(*, project: Project) -> QuerySet[Project]:
    """The projects a dependency from ``project`` may name: the others of its portfolio, still running."""
    return (
        Project.objects.filter(program__portfolio_id=project.program.portfolio_id)
        .exclude(pk=project.pk)
        .exclude(status__in=[Project.Status.COMPLETED, Project.Status.CANCELLED])
        .select_related("program")
        .order_by("name", "id")
    )


def project_cost_entries(*, project: Project) -> QuerySet[CostEntry]:
    """The project's cost entries, latest first."""
    return CostEntry.objects.filter(project=project).order_by("-date", "-id")


def project_cost_totals(*, project: Project) -> list[dict]:
    """Σ of the project's cost entries per category (label, total), largest first."""
    labels = dict(CostEntry.Category.choices)
    rows = CostEntry.objects.filter(project=project).values("category").annotate(total=Sum("amount"))
    totals = [{"category": labels[row["category"]], "total": row["total"]} for row in rows]
    return sorted(totals, key=lambda row: (-row["total"], row["category"]))


def project_alignments(*, project: Project) -> QuerySet[ProjectObjective]:
    """The project's alignments with the strategic objectives, by objective."""
    return ProjectObjective.objects.filter(project=project).select_related("objective").order_by("objective__title")


# --- Ranking with a budget cut line --------------------------------------------------------------

# Completed and cancelled projects no longer compete for money: the ranking leaves them out.
RANKED_STATUSES = (
    Project.Status.PROPOSED,
    Project.Status.APPROVED,
    Project.Status.ACTIVE,
    Project.Status.ON_HOLD,
)
RANKING_ORDERS = ("strategic", "wsjf")


class Ranking(TypedDict):
    order: str
    portfolio: Portfolio | None
    program: Program | None
    budget: Decimal | None
    funded: Decimal
    unfunded: Decimal
    projects: list[Project]


def _ranking_keys(order: str) -> list:
    # Ties are broken by the other score, then by name and id, so the same data always ranks the same way.
    if order == "wsjf":
        return [F("wsjf").desc(), F("strategic_score").desc(), F("name").asc(), F("pk").asc()]
    return [F("strategic_score").desc(), F("wsjf").desc(), F("name").asc(), F("pk").asc()]


def project_ranking(
    *, portfolio: Portfolio | None = None, program: Program | None = None, order: str = "strategic"
) -> Ranking:
    """Rank open projects by strategic score or WSJF with their cumulative budget and the budget cut line.

    The line is the program's budget with a program, else the portfolio's (none organisation-wide). The first
    project whose cumulative budget passes the line is the first below it (``above_line`` False), and so is every
    project after it. The cumulative sum is a window function: one query whatever the number of projects.
    """
    if order not in RANKING_ORDERS:
        raise ValueError(f"Unknown ranking order {order!r}.")
    qs = Project.objects.filter(status__in=RANKED_STATUSES).select_related("program")
    if program is not None:
        qs = qs.filter(program=program)
    if portfolio is not None:
        qs = qs.filter(program__portfolio=portfolio)
    keys = _ranking_keys(order)
    qs = with_wsjf(with_strategic_score(qs))
    qs = qs.annotate(
        cumulative_budget=Window(Sum("budget"), order_by=keys, frame=RowRange(start=None, end=0)),
    ).order_by(*keys)
    line = program.budget if program is not None else (portfolio.budget if portfolio is not None else None)
    projects = list(qs)
    funded = unfunded = ZERO
    for rank, project in enumerate(projects, start=1):
        project.rank = rank
        project.above_line = None if line is None else project.cumulative_budget <= line
        if project.above_line is False:
            unfunded += project.budget
        else:
            funded += project.budget
    return Ranking(
        order=order,
        portfolio=portfolio,
        program=program,
        budget=line,
        funded=funded,
        unfunded=unfunded,
        projects=projects,
    )


# --- Strategy: objectives and what serves them ---------------------------------------------------
# Here, not in core: what serves an objective is products, features and projects, all above core.


def _objectives_served(qs: QuerySet[StrategicObjective]) -> QuerySet[StrategicObjective]:
    return objectives_with_progress(qs.select_related("owner", "parent")).prefetch_related(
        "key_results",
        Prefetch(
            "alignments",
            queryset=ProjectObjective.objects.select_related("project__program").order_by(
                "-contribution", "project__name", "project_id"
            ),
        ),
        Prefetch("products", queryset=Product.objects.order_by("name")),
        Prefetch("features", queryset=Feature.objects.select_related("product").order_by("product__name", "title")),
    )


def _serves(objective: StrategicObjective) -> bool:
    return bool(objective.alignments.all() or objective.products.all() or objective.features.all())


class StrategyOverview(TypedDict):
    objectives: list[StrategicObjective]
    unserved: list[StrategicObjective]


def strategy_overview() -> StrategyOverview:
    """Every objective with progress, key results and the projects, products and features serving it (5 queries).

    ``unserved`` lists the objectives that no project, product or feature serves.
    """
    objectives = list(_objectives_served(StrategicObjective.objects.order_by("-weight", "title", "pk")))
    return StrategyOverview(objectives=objectives, unserved=[o for o in objectives if not _serves(o)])


def objective_detail(*, pk: int) -> StrategicObjective:
    """One objective as ``strategy_overview`` reads it (raises ``StrategicObjective.DoesNotExist``)."""
    return _objectives_served(StrategicObjective.objects.all()).get(pk=pk)


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
    qs = with_budget_rollup(portfolio_list()).annotate(
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
    """Hang each program's projects on it (``project_rows``) with how many are red, amber and green."""
    by_program: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        by_program[project.program_id].append(project)
    for program in programs:
        rows = by_program[program.pk]
        program.project_rows = rows
        program.health_summary = health_summary(rows)


def program_rows(
    *, portfolio: Portfolio | None = None, program: Program | None = None, archived: bool = False, today=None
) -> list[Program]:
    """The programs of ``portfolio`` (or ``program`` alone) with their projects, health and budgets rolled up."""
    programs = with_budget_rollup(Program.objects.select_related("manager").order_by("name", "id"), today)
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
        "burn_percent": burn_percent_of(row.budget_actual, row.budget),
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


# --- Resource requests: the program manager's queue, a product's requests, the home page -----------------------
from django.db.models import Q  # noqa: E402

from portfolio.core import roles  # noqa: E402
from programs.models import ResourceRequest  # noqa: E402

HOME_DECIDED_DAYS = 30  # how far back the home page shows the requester's decided requests


def resource_request_scope(*, user) -> str:
    """Whose requests the queue shows the user: ``"all"`` (administrators and leadership, who only read),
    ``"programs"`` (the requests for projects of the programs they decide for), or ``"mine"`` (those they filed)."""
    if user.is_superuser or user.groups.filter(name=roles.LEADERSHIP).exists():
        return "all"
    decides = Program.objects.filter(Q(manager=user) | Q(portfolio__owner=user)).exists()
    return "programs" if decides else "mine"


def _decided_for(user) -> Q:
    """The requests for projects of programs ``user`` manages, or of portfolios they own."""
    return Q(project__program__manager=user) | Q(project__program__portfolio__owner=user)


def resource_request_queue(*, user, scope: str | None = None) -> QuerySet[ResourceRequest]:
    """The requests the queue shows ``user`` (see ``resource_request_scope``), oldest pending first."""
    scope = scope or resource_request_scope(user=user)
    queryset = ResourceRequest.objects.select_related(
        "product", "project__program__portfolio", "requested_by", "resource", "decided_by", "allocation__resource"
    ).order_by("created_at", "id")
    if scope == "programs":
        queryset = queryset.filter(_decided_for(user))
    elif scope == "mine":
        queryset = queryset.filter(requested_by=user)
    return queryset


def resource_request_queue_programs(*, user, scope: str) -> QuerySet[Program]:
    """The programs the queue's filter offers: those the user decides for, or all."""
    programs = Program.objects.order_by("name")
    if scope == "programs":
        programs = programs.filter(Q(manager=user) | Q(portfolio__owner=user))
    return programs


class CapacityImpact(Availability):
    after_percent: int  # the busiest week's booking once the request is approved with this person
    fits: bool  # the request's percent fits in what the person has free


def resource_request_capacity(*, requests: Iterable[ResourceRequest]) -> dict[int, list[CapacityImpact]]:
    """Who in the function asked for is free over each pending request's period, by how much, and where an
    approval would take them (the freest first), by request id. Two queries per distinct function and period
    (``resource_availability``)."""
    seen: dict[tuple, list[Availability]] = {}
    impact = {}
    for request in requests:
        if not request.is_pending:
            continue
        key = (request.function, request.start_date, request.end_date)
        if key not in seen:
            seen[key] = resource_availability(function=request.function, start=request.start_date, end=request.end_date)
        impact[request.pk] = [
            CapacityImpact(
                **line,
                after_percent=line["booked_percent"] + request.percent,
                fits=line["free_percent"] >= request.percent,
            )
            for line in seen[key]
        ]
    return impact


def product_resource_requests(*, product: Product) -> QuerySet[ResourceRequest]:
    """The product's requests, newest first, with the decision and the person allocated."""
    return ResourceRequest.objects.filter(product=product).select_related(
        "project", "requested_by", "resource", "decided_by", "allocation__resource"
    )


def resource_request_open_projects() -> QuerySet[Project]:
    """The projects people may be requested for: not completed, cancelled or archived."""
    return (
        Project.objects.exclude(status__in=CLOSED_PROJECT_STATUSES)
        .filter(archived_at__isnull=True)
        .select_related("program")
        .order_by("name", "id")
    )


def home_resource_requests(*, user) -> dict[str, list[ResourceRequest]]:
    """The requester's pending requests and those decided in the last 30 days (newest decision first)."""
    since = timezone.now() - datetime.timedelta(days=HOME_DECIDED_DAYS)
    rows = list(
        ResourceRequest.objects.filter(requested_by=user)
        .filter(Q(status=ResourceRequest.Status.PENDING) | Q(decided_at__gte=since))
        .exclude(status=ResourceRequest.Status.CANCELLED)
        .select_related("product", "project", "decided_by", "allocation__resource")
        .order_by("-decided_at", "-created_at", "-id")
    )
    return {
        "pending": [row for row in rows if row.is_pending],
        "decided": [row for row in rows if not row.is_pending],
    }


def resource_request_waiting_count(*, user) -> int:
    """How many pending requests wait for ``user``'s decision (for programs they manage or portfolios they own)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    pending = ResourceRequest.objects.filter(status=ResourceRequest.Status.PENDING)
    return pending.filter(_decided_for(user)).count()
