"""The dashboards: the organisation overview, a portfolio's and a program's, one function per figure.

Each figure is read over a *scope* (the whole organisation, one portfolio or one program) and, where the dashboard
shows one row per part, grouped by that part: the overview by portfolio, a portfolio's dashboard by program. The
figures come from the lower apps' selectors (health, budget roll-ups, weekly load, escalation, the heat map,
objective progress); this module only gathers them per scope. ``organisation_dashboard``, ``portfolio_dashboard``
and ``program_dashboard`` compose them into plain data (dicts, lists, numbers, dates, text) that the page draws and
the API returns as JSON, so the two cannot drift. Every figure runs a fixed number of queries whatever the data size.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portfolio.core.models import StrategicObjective, User
from portfolio.core.scales import Severity
from portfolio.core.selectors import objectives_with_progress
from products.models import Feature
from programs.models import Dependency, Milestone, Portfolio, Program, Project, ProjectObjective, ResourceRequest
from programs.selectors import (
    CLOSED_PROJECT_STATUSES,
    FULL_ALLOCATION_PERCENT,
    counted_allocations,
    live_projects,
    projects_with_health,
    week_start,
    weekly_load,
    with_budget_rollup,
)
from risks.models import Risk
from risks.selectors import escalated_q, risk_heatmap, risks_with_severity, scope_q, severity_q

DUE_SOON_DAYS = 30  # milestones due within this many days are "due soon"
RED_LIMIT = 25  # how many red projects a dashboard names (worst first; the count is in the totals)
LIST_LIMIT = 10  # how many items a dashboard lists under a count (the count links to all of them)
OVERLOAD_WEEKS = 13  # over-allocation is looked for this week and the 12 after it
UTILISATION_MONTHS = 6  # utilisation by function: this month and the 5 after it
CHANGE_DAYS = 7  # "changed since last week"
FUNCTION_LABELS = dict(User.Function.choices)
CENT = Decimal("0.01")
TOTAL = None  # the key of a figure for the whole scope


@dataclass(frozen=True)
class Scope:
    """What a dashboard covers: the organisation, one portfolio or one program, and what its rows are."""

    kind: str  # "organisation", "portfolio" or "program"
    obj: Portfolio | Program | None = None

    @property
    def group(self) -> str | None:
        """The field of ``Project`` the dashboard's rows are grouped by (None: one row, the scope itself)."""
        return {"organisation": "program__portfolio_id", "portfolio": "program_id"}.get(self.kind)

    def projects(self) -> QuerySet[Project]:
        """The scope's live projects (neither they, their program nor their portfolio archived)."""
        qs = live_projects()
        if self.kind == "portfolio":
            qs = qs.filter(program__portfolio=self.obj)
        elif self.kind == "program":
            qs = qs.filter(program=self.obj)
        return qs

    def open_projects(self) -> QuerySet[Project]:
        """The scope's live projects still running (neither completed nor cancelled)."""
        return self.projects().exclude(status__in=CLOSED_PROJECT_STATUSES)

    def risks(self) -> QuerySet[Risk]:
        """The scope's risks as the register filters them (the organisation's: every risk, products' too)."""
        if self.kind == "organisation":
            return Risk.objects.all()
        return Risk.objects.filter(scope_q(**{self.kind: self.obj}))


def _key(row: dict, group: str | None):
    return row["group"] if group else TOTAL


def _grouped(qs: QuerySet, group: str | None) -> QuerySet:
    return qs.annotate(group=F(group)) if group else qs.annotate(group=Value(0))


# --- The projects and their health -------------------------------------------------------------------------------


def dashboard_projects(*, scope: Scope, today: datetime.date) -> list[dict]:
    """The scope's running projects with health and what it is made of, worst first, then by name. One query."""
    qs = scope.open_projects().select_related("program__portfolio", "manager")
    rows = projects_with_health(qs, today)
    rows.sort(key=lambda p: (-p.health_rank, p.name, p.pk))
    return [
        {
            "id": p.pk,
            "name": p.name,
            "program": {"id": p.program_id, "name": p.program.name},
            "portfolio": {"id": p.program.portfolio_id, "name": p.program.portfolio.name},
            "manager": str(p.manager),
            "status": p.status,
            "start_date": p.start_date,
            "end_date": p.end_date,
            "health": p.health,
            "health_schedule": p.health_schedule,
            "health_budget": p.health_budget,
            "health_risk": p.health_risk,
            "days_late": p.days_late,
            "late_milestones": p.late_milestones,
            "budget": p.budget,
            "budget_actual": p.budget_actual,
            "budget_forecast": p.budget_forecast,
            "why": _why(p),
        }
        for p in rows
    ]


def _why(project: Project) -> str:
    """What makes the project's colour, in words (empty when green)."""
    if project.health == "green":
        return ""
    if project.health_override:
        return f"set to {project.health} by its manager"
    parts = []
    if project.health_schedule != "green":
        parts.append(f"{project.late_milestones} late milestone{'s' if project.late_milestones != 1 else ''}")
    if project.health_budget != "green":
        parts.append("forecast over budget")
    if project.health_risk != "green":
        parts.append("a critical open risk" if project.health_risk == "red" else "a high open risk")
    return ", ".join(parts)


def health_counts(*, projects: list[dict], group: str | None) -> dict:
    """Per group (or for the scope), how many running projects are green, amber and red."""
    counts: dict = defaultdict(lambda: {"green": 0, "amber": 0, "red": 0})
    for project in projects:
        key = (
            (project["portfolio"]["id"] if group == "program__portfolio_id" else project["program"]["id"])
            if group
            else TOTAL
        )
        counts[key][project["health"]] += 1
    return counts


# --- Budget ------------------------------------------------------------------------------------------------------


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _budget(row) -> dict:
    planned, forecast = _money(row.projects_budget), _money(row.budget_forecast)
    over = forecast - planned if planned and forecast > planned else Decimal("0.00")
    return {
        "budget": _money(row.budget),
        "planned": planned,
        "actual": _money(row.budget_actual),
        "forecast": forecast,
        "burn_percent": row.burn_percent,
        "over_budget": bool(planned) and forecast > planned,
        "over_percent": round(over * 100 / planned) if planned else 0,
    }


def budget_figures(*, scope: Scope, today: datetime.date) -> dict:
    """Planned (Σ project budgets), actual and forecast per row and for the scope (``with_budget_rollup``).

    The overview's rows are portfolios, a portfolio's its programs; a program's dashboard has the program alone.
    "Over budget" compares the forecast with the planned figure. One query per level (two at most).
    """
    figures: dict = {}
    if scope.kind == "organisation":
        rows = with_budget_rollup(Portfolio.objects.filter(archived_at__isnull=True), today)
        for row in rows:
            figures[row.pk] = _budget(row)
        total = {
            name: sum((f[name] for f in figures.values()), Decimal("0"))
            for name in ("budget", "planned", "actual", "forecast")
        }
        over = total["forecast"] - total["planned"]
        figures[TOTAL] = total | {
            "burn_percent": round(total["actual"] * 100 / total["budget"], 1) if total["budget"] else None,
            "over_budget": bool(total["planned"]) and over > 0,
            "over_percent": round(over * 100 / total["planned"]) if total["planned"] and over > 0 else 0,
        }
        return figures
    if scope.kind == "portfolio":
        for row in with_budget_rollup(scope.obj.programs.filter(archived_at__isnull=True), today):
            figures[row.pk] = _budget(row)
    (own,) = with_budget_rollup(type(scope.obj).objects.filter(pk=scope.obj.pk), today)
    figures[TOTAL] = _budget(own)
    return figures


# --- Milestones ----------------------------------------------------------------------------------------------------


def _milestone(m: Milestone, today: datetime.date) -> dict:
    return {
        "id": m.pk,
        "name": m.name,
        "project": {"id": m.project_id, "name": m.project.name},
        "due_date": m.due_date,
        "is_key": m.is_key,
        "days_late": max(0, (today - m.due_date).days),
    }


def milestone_figures(*, scope: Scope, today: datetime.date) -> dict:
    """Open milestones of running projects due in the next 30 days and those already late: counts per group and for
    the scope, and the first ten of each (the latest first, the soonest first). Three queries."""
    soon_end = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_ms = Milestone.objects.filter(project__in=scope.open_projects(), completed_on__isnull=True)
    soon_q = Q(due_date__gte=today, due_date__lte=soon_end)
    late_q = Q(due_date__lt=today)
    group = scope.group and f"project__{scope.group}"
    counts: dict = defaultdict(lambda: {"due_soon": 0, "late": 0})
    for row in (
        _grouped(open_ms.order_by(), group)
        .values("group")
        .annotate(due_soon=Count("pk", filter=soon_q), late=Count("pk", filter=late_q))
    ):
        counts[_key(row, group)] = {"due_soon": row["due_soon"], "late": row["late"]}
    if group:
        counts[TOTAL] = {
            name: sum(c[name] for k, c in counts.items() if k is not TOTAL) for name in ("due_soon", "late")
        }
    listed = open_ms.select_related("project")
    return {
        "counts": counts,
        "due_soon": [_milestone(m, today) for m in listed.filter(soon_q).order_by("due_date", "id")[:LIST_LIMIT]],
        "late": [_milestone(m, today) for m in listed.filter(late_q).order_by("due_date", "id")[:LIST_LIMIT]],
    }


# --- Risks -------------------------------------------------------------------------------------------------------


def _risk(r: Risk) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "score": r.score,
        "severity": r.severity,
        "status": r.status,
        "project": {"id": r.project_id, "name": r.project.name} if r.project_id else None,
    }


def escalated_risk_figures(*, scope: Scope) -> dict:
    """Escalated risks (``risks.selectors.escalated_q``): counts per group and for the scope, and the ten highest.

    The overview counts a portfolio's as the register's ``?portfolio=`` does (its programs' and their projects'),
    a portfolio's dashboard a program's with its projects'. Three queries.
    """
    escalated = scope.risks().filter(escalated_q())
    counts: dict = {}
    if scope.kind == "organisation":
        portfolio = Coalesce(F("project__program__portfolio_id"), F("program__portfolio_id"))
        grouped = escalated.order_by().annotate(group=portfolio).values("group").annotate(n=Count("pk"))
        counts = {row["group"]: row["n"] for row in grouped if row["group"] is not None}
    elif scope.kind == "portfolio":
        program = Coalesce(F("project__program_id"), F("program_id"))
        grouped = escalated.order_by().annotate(group=program).values("group").annotate(n=Count("pk"))
        counts = {row["group"]: row["n"] for row in grouped if row["group"] is not None}
    counts[TOTAL] = escalated.count()
    top = risks_with_severity(escalated.select_related("project")).order_by("-score", "id")[:LIST_LIMIT]
    return {"counts": counts, "top": [_risk(r) for r in top]}


def risk_heatmap_figure(*, scope: Scope) -> list[dict]:
    """The scope's 5×5 map of not-closed risks (``risks.selectors.risk_heatmap``). One query."""
    return risk_heatmap(queryset=scope.risks())


# --- Objectives and alignment ------------------------------------------------------------------------------------


def _objective(o: StrategicObjective) -> dict:
    return {"id": o.pk, "title": o.title, "status": o.status, "weight": o.weight, "progress": o.progress}


def objective_figures(*, scope: Scope) -> list[dict]:
    """The objectives the scope works for, with their progress (mean of key results): every objective for the
    organisation; for a portfolio or program, those its projects serve or its programs are aligned to. One query."""
    qs = StrategicObjective.objects.all()
    if scope.kind != "organisation":
        served = ProjectObjective.objects.filter(objective=OuterRef("pk"), project__in=scope.projects())
        programs = Program.objects.filter(pk__in=_programs(scope), objectives=OuterRef("pk"))
        qs = qs.filter(Exists(served) | Exists(programs))
    return [_objective(o) for o in objectives_with_progress(qs).order_by("-weight", "title", "pk")]


def _programs(scope: Scope) -> QuerySet[Program]:
    if scope.kind == "program":
        return Program.objects.filter(pk=scope.obj.pk)
    return Program.objects.filter(portfolio=scope.obj, archived_at__isnull=True)


def alignment_coverage(*, scope: Scope) -> dict:
    """Strategic alignment: the objectives the scope's programs are aligned to that none of its projects serves
    (achieved ones left out), and its running projects aligned to no objective. Two queries."""
    served = ProjectObjective.objects.filter(objective=OuterRef("pk"), project__in=scope.projects())
    unserved = (
        StrategicObjective.objects.filter(programs__in=_programs(scope))
        .exclude(status=StrategicObjective.Status.ACHIEVED)
        .exclude(Exists(served))
        .distinct()
        .order_by("-weight", "title", "pk")
    )
    aligned = ProjectObjective.objects.filter(project=OuterRef("pk"))
    unaligned = scope.open_projects().exclude(Exists(aligned)).order_by("name", "pk")
    return {
        "objectives_unserved": [{"id": o.pk, "title": o.title, "weight": o.weight} for o in unserved],
        "projects_unaligned": [{"id": p.pk, "name": p.name} for p in unaligned.only("pk", "name")],
    }


# --- People: over-allocation, utilisation, requests --------------------------------------------------------------


def overallocation_figures(*, scope: Scope, today: datetime.date) -> dict:
    """The people working on the scope's running projects who are booked over 100 % in some week of the next 13
    (counting all their work, as the capacity heat map does): how many per group, and per function for the scope.
    Three queries."""
    first = week_start(today)
    allocations = counted_allocations()
    if scope.kind != "organisation":  # only the people of the scope's projects, with all their work
        working = counted_allocations().filter(project__in=scope.open_projects()).values("resource_id")
        allocations = allocations.filter(resource_id__in=working)
    load = weekly_load(allocations=allocations, first_monday=first, weeks=OVERLOAD_WEEKS)
    over = {rid: max(figures) for rid, figures in load.items() if max(figures) > FULL_ALLOCATION_PERCENT}
    last = first + datetime.timedelta(weeks=OVERLOAD_WEEKS, days=-1)
    group = scope.group and f"project__{scope.group}"
    rows = (
        _grouped(
            counted_allocations().filter(
                project__in=scope.open_projects(),
                resource_id__in=list(over),
                start_date__lte=last,
                end_date__gte=first,
            ),
            group,
        )
        .values_list("group", "resource_id", "resource__function")
        .distinct()
    )
    people: dict = defaultdict(set)
    functions: dict = defaultdict(set)
    for key, resource_id, function in rows:
        people[key if group else TOTAL].add(resource_id)
        people[TOTAL].add(resource_id)
        functions[function].add(resource_id)
    counts = {key: len(ids) for key, ids in people.items()}
    counts.setdefault(TOTAL, 0)
    return {
        "counts": counts,
        "functions": [
            {"function": name, "label": FUNCTION_LABELS.get(name, name), "people": len(ids)}
            for name, ids in sorted(functions.items(), key=lambda item: (-len(item[1]), item[0]))
        ],
    }


def _month_start(day: datetime.date, offset: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


def utilisation_by_month(*, scope: Scope, today: datetime.date) -> dict:
    """Per function and month (this one and the five after it), the average utilisation of the people working on
    the scope's running projects (each person's weeks as ``weekly_load`` counts them, all their work included, the
    weeks starting in that month averaged) and how many of them are over 100 % in one of those weeks. Two queries."""
    months = [_month_start(today, n) for n in range(UTILISATION_MONTHS)]
    first = week_start(months[0])
    end = _month_start(today, UTILISATION_MONTHS) - datetime.timedelta(days=1)
    weeks = (week_start(end) - first).days // 7 + 1
    people = dict(
        counted_allocations()
        .filter(project__in=scope.open_projects(), start_date__lte=end, end_date__gte=first)
        .values_list("resource_id", "resource__function")
        .distinct()
    )
    allocations = counted_allocations().filter(resource_id__in=list(people))
    load = weekly_load(allocations=allocations, first_monday=first, weeks=weeks) if people else {}
    mondays = [first + datetime.timedelta(weeks=n) for n in range(weeks)]
    by_function: dict = defaultdict(list)
    for resource_id, function in people.items():
        by_function[function].append(load.get(resource_id, [0] * weeks))
    rows = []
    for function in sorted(by_function, key=lambda name: FUNCTION_LABELS.get(name, name)):
        figures = by_function[function]
        cells = []
        for month in months:
            indexes = [
                i for i, monday in enumerate(mondays) if (monday.year, monday.month) == (month.year, month.month)
            ]
            averages = [sum(person[i] for i in indexes) / len(indexes) for person in figures] if indexes else [0]
            over = sum(1 for person in figures if any(person[i] > FULL_ALLOCATION_PERCENT for i in indexes))
            cells.append({"month": month, "percent": round(sum(averages) / len(averages)), "over_people": over})
        rows.append(
            {
                "function": function,
                "label": FUNCTION_LABELS.get(function, function),
                "people": len(figures),
                "months": cells,
            }
        )
    return {"months": months, "rows": rows}


def requests_waiting(*, scope: Scope) -> dict:
    """Pending resource requests on the scope's live projects, per group and for the scope. One query."""
    group = scope.group and f"project__{scope.group}"
    pending = ResourceRequest.objects.filter(status=ResourceRequest.Status.PENDING, project__in=scope.projects())
    counts = {
        _key(row, group): row["n"]
        for row in _grouped(pending.order_by(), group).values("group").annotate(n=Count("pk"))
    }
    if group:
        counts[TOTAL] = sum(counts.values())
    counts.setdefault(TOTAL, 0)
    return counts


# --- The timeline ------------------------------------------------------------------------------------------------


def timeline(*, scope: Scope, projects: list[dict], today: datetime.date) -> dict:
    """The projects' bars with their milestones (late ones marked) and the "blocks" dependencies between them.
    Two queries (the projects come from ``dashboard_projects``)."""
    ids = [p["id"] for p in projects]
    milestones: dict = defaultdict(list)
    for m in Milestone.objects.filter(project_id__in=ids).order_by("due_date", "id"):
        milestones[m.project_id].append(
            {
                "id": m.pk,
                "name": m.name,
                "due_date": m.due_date,
                "completed_on": m.completed_on,
                "is_key": m.is_key,
                "late": m.completed_on is None and m.due_date < today,
            }
        )
    blocks = [
        {"from": d.from_project_id, "to": d.to_project_id}
        for d in Dependency.objects.filter(
            kind=Dependency.Kind.BLOCKS, from_project_id__in=ids, to_project_id__in=ids
        ).order_by("id")
    ]
    rows = [
        {
            "id": p["id"],
            "name": p["name"],
            "start_date": p["start_date"],
            "end_date": p["end_date"],
            "health": p["health"],
            "late": p["days_late"] > 0 or p["end_date"] < today,
            "milestones": milestones[p["id"]],
        }
        for p in sorted(projects, key=lambda p: (p["start_date"], p["name"], p["id"]))
    ]
    return {"today": today, "projects": rows, "blocks": blocks}


# --- Changed since last week -------------------------------------------------------------------------------------


def _since(today: datetime.date) -> datetime.datetime:
    day = today - datetime.timedelta(days=CHANGE_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _previous(history: QuerySet, field: str) -> Subquery:
    """The value of ``field`` in the history row before each row of the same object (rows are numbered in order)."""
    earlier = history.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    return Subquery(earlier.order_by("-history_id").values(field)[:1])


def health_changes(*, scope: Scope, since: datetime.datetime) -> list[dict]:
    """Projects whose health override was set, changed or cleared since ``since`` (Project history). One query."""
    history = Project.history.filter(id__in=scope.projects().values("pk"), history_date__gte=since, history_type="~")
    rows = history.annotate(was=_previous(history, "health_override")).order_by("-history_date", "-history_id")
    return [
        {
            "project": {"id": r.id, "name": r.name},
            "from": r.was or "derived",
            "to": r.health_override or "derived",
            "when": r.history_date,
        }
        for r in rows
        if r.was is not None and r.was != r.health_override
    ]


def slipped_milestones(*, scope: Scope, since: datetime.datetime, today: datetime.date) -> list[dict]:
    """Open milestones whose due date was moved later since ``since`` (Milestone history) or passed in that time.
    Two queries."""
    open_ms = Milestone.objects.filter(project__in=scope.open_projects(), completed_on__isnull=True)
    history = Milestone.history.filter(id__in=open_ms.values("pk"), history_date__gte=since, history_type="~")
    project_name = Subquery(Project.objects.filter(pk=OuterRef("project_id")).values("name")[:1])
    moved: dict = {}
    for r in history.annotate(was=_previous(history, "due_date"), project_name=project_name).order_by(
        "history_date", "history_id"
    ):
        if r.was is not None and r.due_date > r.was:
            first = moved.get(r.id, {}).get("was_due", r.was)
            moved[r.id] = {
                "id": r.id,
                "name": r.name,
                "project": {"id": r.project_id, "name": r.project_name},
                "was_due": first,
                "due_date": r.due_date,
                "why": "due date moved",
            }
    passed = open_ms.filter(due_date__gte=since.date(), due_date__lt=today).select_related("project")
    return list(moved.values()) + [
        {
            "id": m.pk,
            "name": m.name,
            "project": {"id": m.project_id, "name": m.project.name},
            "was_due": m.due_date,
            "due_date": m.due_date,
            "why": "due date passed",
        }
        for m in passed.order_by("due_date", "id")
        if m.pk not in moved
    ]


def new_critical_risks(*, scope: Scope, since: datetime.datetime) -> list[dict]:
    """Not-closed critical risks of the scope first logged since ``since`` (their creation in Risk history). One
    query."""
    created = Risk.history.filter(id=OuterRef("pk"), history_type="+", history_date__gte=since)
    qs = scope.risks().filter(severity_q(Severity.CRITICAL), Exists(created)).exclude(status=Risk.Status.CLOSED)
    return [_risk(r) for r in risks_with_severity(qs.select_related("project")).order_by("-score", "id")]


def decided_requests(*, scope: Scope, since: datetime.datetime) -> list[dict]:
    """Resource requests on the scope's projects approved or rejected since ``since``. One query."""
    qs = ResourceRequest.objects.filter(
        project__in=scope.projects(),
        status__in=(ResourceRequest.Status.APPROVED, ResourceRequest.Status.REJECTED),
        decided_at__gte=since,
    ).select_related("project", "product")
    return [
        {
            "id": r.pk,
            "status": r.status,
            "function": r.function,
            "percent": r.percent,
            "project": {"id": r.project_id, "name": r.project.name},
            "product": {"slug": r.product.slug, "name": r.product.name},
            "decided_at": r.decided_at,
        }
        for r in qs.order_by("-decided_at", "-id")
    ]


def features_shipped(*, scope: Scope, since: datetime.datetime) -> list[dict]:
    """Features delivered by the scope's projects that became shipped since ``since`` (Feature history) and still
    are. One query."""
    became = Feature.history.filter(id=OuterRef("pk"), status=Feature.Status.SHIPPED, history_date__gte=since)
    before = Feature.history.filter(id=OuterRef("pk"), status=Feature.Status.SHIPPED, history_date__lt=since)
    qs = (
        Feature.objects.filter(projects__in=scope.projects(), status=Feature.Status.SHIPPED)
        .filter(Exists(became))
        .exclude(Exists(before))
        .select_related("product")
        .distinct()
        .order_by("product__name", "title", "id")
    )
    return [{"id": f.pk, "title": f.title, "product": {"slug": f.product.slug, "name": f.product.name}} for f in qs]


def changes_since_last_week(*, scope: Scope, today: datetime.date) -> dict:
    """What changed in the last seven days, read from the change history. Six queries."""
    since = _since(today)
    return {
        "since": since.date(),
        "health_changes": health_changes(scope=scope, since=since),
        "slipped_milestones": slipped_milestones(scope=scope, since=since, today=today),
        "new_critical_risks": new_critical_risks(scope=scope, since=since),
        "decided_requests": decided_requests(scope=scope, since=since),
        "features_shipped": features_shipped(scope=scope, since=since),
    }


# --- The dashboards ------------------------------------------------------------------------------------------------


def _row_status(health: dict, budget: dict, milestones: dict, escalated: int) -> tuple[str, list[str]]:
    """A portfolio's or program's state in words: "trouble" (red projects, forecast over budget, escalated risks),
    "watch" (amber projects or late milestones) or "on-track", and the reasons."""
    reasons = []
    if health["red"]:
        reasons.append(f"{health['red']} red project{'s' if health['red'] != 1 else ''}")
    if budget.get("over_budget"):
        reasons.append(f"forecast {budget['over_percent']} % over plan")
    if escalated:
        reasons.append(f"{escalated} escalated risk{'s' if escalated != 1 else ''}")
    trouble = bool(reasons)
    if milestones["late"]:
        reasons.append(f"{milestones['late']} late milestone{'s' if milestones['late'] != 1 else ''}")
    if health["amber"]:
        reasons.append(f"{health['amber']} amber project{'s' if health['amber'] != 1 else ''}")
    if trouble:
        return "trouble", reasons
    return ("watch", reasons) if reasons else ("on-track", [])


def _rows(parts, *, health, budget, milestones, escalated, requests, overallocated) -> list[dict]:
    rows = []
    for part in parts:
        h = health.get(part.pk, {"green": 0, "amber": 0, "red": 0})
        b = budget.get(part.pk) or {
            "budget": part.budget,
            "planned": 0,
            "actual": 0,
            "forecast": 0,
            "burn_percent": None,
            "over_budget": False,
            "over_percent": 0,
        }
        m = milestones["counts"].get(part.pk, {"due_soon": 0, "late": 0})
        e = escalated["counts"].get(part.pk, 0)
        state, reasons = _row_status(h, b, m, e)
        rows.append(
            {
                "id": part.pk,
                "name": part.name,
                "state": state,
                "reasons": reasons,
                "health": h,
                "budget": b,
                "milestones": m,
                "escalated_risks": e,
                "requests_waiting": requests.get(part.pk, 0),
                "overallocated_people": overallocated["counts"].get(part.pk, 0),
            }
        )
    order = {"trouble": 0, "watch": 1, "on-track": 2}
    rows.sort(key=lambda row: (order[row["state"]], -row["health"]["red"], row["name"]))
    return rows


def _summary(scope: Scope, projects: list[dict], today: datetime.date) -> dict:
    """The figures every dashboard shows, per row and for the scope."""
    health = health_counts(projects=projects, group=scope.group)
    budget = budget_figures(scope=scope, today=today)
    milestones = milestone_figures(scope=scope, today=today)
    escalated = escalated_risk_figures(scope=scope)
    requests = requests_waiting(scope=scope)
    overallocated = overallocation_figures(scope=scope, today=today)
    whole_health = health_counts(projects=projects, group=None)[TOTAL]
    return {
        "parts": {
            "health": health,
            "budget": budget,
            "milestones": milestones,
            "escalated": escalated,
            "requests": requests,
            "overallocated": overallocated,
        },
        "totals": {
            "projects": len(projects),
            "health": whole_health,
            "budget": budget[TOTAL],
            "milestones": milestones["counts"].get(TOTAL, {"due_soon": 0, "late": 0}),
            "escalated_risks": escalated["counts"][TOTAL],
            "requests_waiting": requests[TOTAL],
            "overallocated_people": overallocated["counts"][TOTAL],
        },
        "red_projects": [p for p in projects if p["health"] == "red"][:RED_LIMIT],
        "milestones_due_soon": milestones["due_soon"],
        "milestones_late": milestones["late"],
        "escalated_risks": escalated["top"],
        "overallocated_functions": overallocated["functions"],
    }


def organisation_dashboard(*, today: datetime.date | None = None) -> dict:
    """The organisation overview: every live portfolio at a glance (its state and why, projects by health, budget,
    milestones, escalated risks, requests waiting, people over-allocated), the red projects, objectives' progress
    and the functions over-allocated. A fixed number of queries."""
    today = today or timezone.localdate()
    scope = Scope("organisation")
    projects = dashboard_projects(scope=scope, today=today)
    summary = _summary(scope, projects, today)
    portfolios = list(Portfolio.objects.filter(archived_at__isnull=True).order_by("name"))
    parts = summary.pop("parts")
    return {
        "scope": {"kind": "organisation", "id": None, "name": "Organisation"},
        "today": today,
        "portfolios": _rows(portfolios, **parts),
        **summary,
        "objectives": objective_figures(scope=scope),
    }


def _scoped(scope: Scope, today: datetime.date, parts) -> dict:
    projects = dashboard_projects(scope=scope, today=today)
    summary = _summary(scope, projects, today)
    figures = summary.pop("parts")
    return {
        "today": today,
        **({"programs": _rows(parts, **figures)} if parts is not None else {}),
        **summary,
        "projects": projects,
        "objectives": objective_figures(scope=scope),
        "timeline": timeline(scope=scope, projects=projects, today=today),
        "risk_heatmap": risk_heatmap_figure(scope=scope),
        "utilisation": utilisation_by_month(scope=scope, today=today),
        "alignment": alignment_coverage(scope=scope),
        "changes": changes_since_last_week(scope=scope, today=today),
    }


def portfolio_dashboard(*, portfolio: Portfolio, today: datetime.date | None = None) -> dict:
    """A portfolio's dashboard: the overview's figures per program and for the portfolio, plus the timeline, the
    risk heat map, utilisation by function per month, strategic alignment and what changed since last week."""
    today = today or timezone.localdate()
    programs = list(portfolio.programs.filter(archived_at__isnull=True).order_by("name"))
    return {
        "scope": {"kind": "portfolio", "id": portfolio.pk, "name": portfolio.name},
        **_scoped(Scope("portfolio", portfolio), today, programs),
    }


def program_dashboard(*, program: Program, today: datetime.date | None = None) -> dict:
    """A program's dashboard: the portfolio dashboard's figures for one program and its projects."""
    today = today or timezone.localdate()
    return {
        "scope": {
            "kind": "program",
            "id": program.pk,
            "name": program.name,
            "portfolio": {"id": program.portfolio_id, "name": program.portfolio.name},
        },
        **_scoped(Scope("program", program), today, None),
    }
