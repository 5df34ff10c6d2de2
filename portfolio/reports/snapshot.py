"""The frozen content of a stakeholder report: figures read through the lower layers' selectors, and what
changed since the previous report of the same scope (the previous snapshot against this one, and the events
between the two). Everything is plain JSON, so the archive shows exactly what was sent."""

import datetime
from decimal import Decimal

from django.db.models import Min, Q, QuerySet
from django.urls import reverse

from portfolio.core.models import StrategicObjective
from portfolio.core.selectors import objectives_with_progress
from portfolio.reports.models import StakeholderReport
from portfolio.reports.periods import Period, local_date
from products.models import Feature, Product
from programs import selectors as program_selectors
from programs.models import RAG_BY_RANK, Milestone, Portfolio, Program, Project, ResourceRequest
from risks import selectors as risk_selectors
from risks.models import Risk

LIST_LIMIT = 15  # items per "what changed" list; the count says how many there were
TOP_RISKS = 5
AHEAD_DAYS = 42  # key milestones due in the next six weeks
HEALTH_ORDER = {colour: rank for rank, colour in enumerate(RAG_BY_RANK)}


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _percent(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.1")))


def _capped(rows: list) -> dict:
    return {"count": len(rows), "items": rows[:LIST_LIMIT]}


def scope_projects(scope) -> QuerySet[Project]:
    """The live projects a report covers: all, or those of a portfolio, a program or delivering a product."""
    projects = program_selectors.live_projects()
    if isinstance(scope, Portfolio):
        return projects.filter(program__portfolio=scope)
    if isinstance(scope, Program):
        return projects.filter(program=scope)
    if isinstance(scope, Product):
        return projects.filter(product=scope)
    return projects


def _risk_scope(scope) -> Q:
    return risk_selectors.scope_q(**{scope._meta.model_name: scope}) if scope is not None else Q()


def _risk_row(risk: Risk) -> dict:
    where = risk.project or risk.program or risk.product
    return {"id": risk.pk, "title": risk.title, "score": risk.score, "status": risk.status, "where": str(where or "")}


def report_budget(*, scope, projects: list[Project], today: datetime.date) -> dict:
    """Planned, actual, forecast and burn: the portfolio's or program's roll-up, else its projects' figures summed."""
    if isinstance(scope, (Portfolio, Program)):
        rollup = program_selectors.budget_rollup(obj=scope, today=today)
        return {
            "planned": _money(rollup["projects_budget"]),
            "actual": _money(rollup["budget_actual"]),
            "forecast": _money(rollup["budget_forecast"]),
            "burn_percent": _percent(rollup["burn_percent"]),
        }
    planned = sum((p.budget for p in projects), Decimal(0))
    actual = sum((p.budget_actual for p in projects), Decimal(0))
    forecast = sum((p.budget_forecast for p in projects), Decimal(0))
    burn = program_selectors.burn_percent_of(actual, planned)
    return {
        "planned": _money(planned),
        "actual": _money(actual),
        "forecast": _money(forecast),
        "burn_percent": _percent(burn),
    }


def report_top_risks(*, scope) -> list[dict]:
    """The highest-scored risks of the scope that are not closed (the risks app's ``top_risks``)."""
    if scope is not None:
        risks = risk_selectors.top_risks(scope=scope, limit=TOP_RISKS)
    else:
        risks = list(
            Risk.objects.filter(status__in=risk_selectors.NOT_CLOSED)
            .select_related("project", "program", "product")
            .order_by("-score", "id")[:TOP_RISKS]
        )
    return [_risk_row(risk) | {"severity": risk_selectors.risk_severity(score=risk.score)} for risk in risks]


def report_objectives(*, scope, projects: QuerySet[Project]) -> list[dict]:
    """The strategic objectives the scope serves, with their progress (the core app's figure)."""
    objectives = StrategicObjective.objects.all()
    if isinstance(scope, Product):
        objectives = objectives.filter(products=scope)
    elif scope is not None:
        objectives = objectives.filter(alignments__project__in=projects).distinct()
    rows = objectives_with_progress(objectives.order_by("-weight", "title", "pk"))
    return [{"id": o.pk, "title": o.title, "status": o.status, "progress": o.progress} for o in rows[:10]]


def report_milestones_ahead(*, projects: QuerySet[Project], today: datetime.date) -> list[dict]:
    """Open key milestones due from today to six weeks ahead."""
    rows = (
        Milestone.objects.filter(project__in=projects, is_key=True, completed_on__isnull=True)
        .filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=AHEAD_DAYS))
        .select_related("project")
        .order_by("due_date", "id")[:10]
    )
    return [{"id": m.pk, "name": m.name, "project": m.project.name, "due_date": m.due_date.isoformat()} for m in rows]


def _open_milestones(projects: QuerySet[Project]) -> dict[str, str]:
    rows = Milestone.objects.filter(project__in=projects, completed_on__isnull=True).values_list("pk", "due_date")
    return {str(pk): due.isoformat() for pk, due in rows}


def report_changes(
    *, scope, projects: QuerySet[Project], rows: list[Project], previous: dict | None, since, now, today
) -> tuple[dict, list[int]]:
    """What changed since the previous report (or the period's start, for the first one), and the ids of the risks
    escalated now (the next report's baseline)."""
    after = local_date(since)
    health_then = {p["id"]: p["health"] for p in (previous or {}).get("projects", [])}
    health = [
        {"project": p.name, "was": health_then[p.pk], "now": p.health}
        for p in rows
        if p.pk in health_then and health_then[p.pk] != p.health
    ]
    health.sort(key=lambda row: (-HEALTH_ORDER[row["now"]], row["project"]))
    milestones = Milestone.objects.filter(project__in=projects).select_related("project")
    was_due = (previous or {}).get("open_milestones", {})
    hit = [
        {"name": m.name, "project": m.project.name, "due_date": m.due_date.isoformat(), "is_key": m.is_key}
        | {"completed_on": m.completed_on.isoformat()}
        for m in milestones.filter(completed_on__gte=after, completed_on__lte=today).order_by("completed_on", "id")
        # Done on the previous report's day counts once: only if that report still had it open.
        if previous is None or m.completed_on > after or str(m.pk) in was_due
    ]
    slipped = []
    for m in milestones.filter(completed_on__isnull=True, due_date__lt=today + datetime.timedelta(days=AHEAD_DAYS)):
        before = was_due.get(str(m.pk))
        moved = before is not None and m.due_date.isoformat() > before
        passed = after <= m.due_date < today
        if moved or passed:
            slipped.append(
                {"name": m.name, "project": m.project.name, "due_date": m.due_date.isoformat(), "was_due": before}
                | {"is_key": m.is_key, "why": "due date moved" if moved else "due date passed"}
            )
    slipped.sort(key=lambda row: (not row["is_key"], row["due_date"], row["name"]))
    risks = Risk.objects.filter(_risk_scope(scope)).select_related("project", "program", "product")
    escalated_before = set((previous or {}).get("escalated_risk_ids", []))
    escalated_now = list(risk_selectors.escalated_risks(risks).order_by("-score", "id"))
    features = (
        Feature.objects.filter(product=scope)
        if isinstance(scope, Product)
        else Feature.objects.filter(projects__in=projects).distinct()
        if scope is not None
        else Feature.objects.all()
    )
    first_shipped = (
        Feature.history.filter(id__in=features.filter(status=Feature.Status.SHIPPED).values("pk"))
        .filter(status=Feature.Status.SHIPPED)
        .order_by()
        .values("id")
        .annotate(first=Min("history_date"))
        .filter(first__gt=since, first__lte=now)
        .values_list("id", flat=True)
    )
    shipped = Feature.objects.filter(pk__in=first_shipped).select_related("product").order_by("product__name", "title")
    requests = ResourceRequest.objects.filter(
        status__in=(ResourceRequest.Status.APPROVED, ResourceRequest.Status.REJECTED),
        decided_at__gt=since,
        decided_at__lte=now,
    )
    requests = requests.filter(product=scope) if isinstance(scope, Product) else requests.filter(project__in=projects)
    previous_burn = ((previous or {}).get("budget") or {}).get("burn_percent")
    return {
        "health": _capped(health),
        "milestones_hit": _capped(hit),
        "milestones_slipped": _capped(slipped),
        "burn_was": previous_burn,
        "risks_new": _capped([_risk_row(r) for r in risks.filter(created_at__gt=since, created_at__lte=now)]),
        "risks_escalated": _capped([_risk_row(r) for r in escalated_now if r.pk not in escalated_before])
        if previous is not None
        else _capped([]),
        "risks_closed": _capped(
            [_risk_row(r) for r in risks.filter(status=Risk.Status.CLOSED, closed_at__gt=since, closed_at__lte=now)]
        ),
        "features_shipped": _capped([{"title": f.title, "product": f.product.name} for f in shipped]),
        "requests_decided": _capped(
            [
                {"product": r.product.name, "project": r.project.name, "function": r.get_function_display()}
                | {"percent": r.percent, "status": r.status}
                for r in requests.select_related("product", "project").order_by("decided_at", "id")
            ]
        ),
    }, [r.pk for r in escalated_now]


def scope_link(scope) -> str:
    """The dashboard of the scope (the report's link to the live figures)."""
    if isinstance(scope, Portfolio):
        return reverse("reports:portfolio_dashboard", args=[scope.pk])
    if isinstance(scope, Program):
        return reverse("reports:program_dashboard", args=[scope.pk])
    if isinstance(scope, Product):
        return reverse("products:product_dashboard", args=[scope.slug])
    return reverse("reports:organisation_dashboard")


def previous_report(*, scope_key: str, period: Period) -> StakeholderReport | None:
    """The latest report of the same scope for an earlier period (the "changed since" baseline)."""
    return (
        StakeholderReport.objects.filter(scope_key=scope_key, period_start__lt=period.start)
        .only("pk", "period_key", "generated_at", "data")
        .order_by("-period_start")
        .first()
    )


def build_snapshot(*, scope, scope_key: str, scope_label: str, period: Period, now, previous) -> dict:
    """Read every figure of the report for ``scope`` as of ``now``."""
    today = local_date(now)
    projects = scope_projects(scope)
    rows = program_selectors.projects_with_health(projects.select_related("program").order_by("name", "id"), today)
    # The headline and "needs attention" count running projects, as the dashboards do; the baselines keep every
    # project, so a project completed since the last report still shows its milestones hit.
    running = [p for p in rows if p.status not in program_selectors.CLOSED_PROJECT_STATUSES]
    counts = program_selectors.health_summary(running)
    worst = program_selectors.worst_rag(p.health for p in running) if running else None
    since = (
        previous.generated_at
        if previous is not None
        else datetime.datetime.combine(period.start, datetime.time.min, tzinfo=now.tzinfo)
    )
    changes, escalated_ids = report_changes(
        scope=scope,
        projects=projects,
        rows=rows,
        previous=previous.data if previous else None,
        since=since,
        now=now,
        today=today,
    )
    budget = report_budget(scope=scope, projects=rows, today=today)
    attention = sorted((p for p in running if p.health != "green"), key=lambda p: (-p.health_rank, p.name))
    return {
        "scope": {"key": scope_key, "label": scope_label, "link": scope_link(scope)},
        "period": {"key": period.key, "start": period.start.isoformat(), "end": period.end.isoformat()}
        | {"label": period.label},
        "generated_at": now.isoformat(),
        "as_of": today.isoformat(),
        "previous": {"period_key": previous.period_key, "generated_at": previous.generated_at.isoformat()}
        if previous
        else None,
        "headline": {"health": worst, "counts": counts, "projects": len(running)},
        "budget": budget,
        "attention": [
            {"project": p.name, "program": p.program.name, "health": p.health} for p in attention[:LIST_LIMIT]
        ],
        "changes": changes,
        "top_risks": report_top_risks(scope=scope),
        "milestones_ahead": report_milestones_ahead(projects=projects, today=today),
        "objectives": report_objectives(scope=scope, projects=projects),
        # Baselines for the next report's "what changed"; not shown.
        "projects": [{"id": p.pk, "health": p.health} for p in rows],
        "open_milestones": _open_milestones(projects),
        "escalated_risk_ids": escalated_ids,
    }
