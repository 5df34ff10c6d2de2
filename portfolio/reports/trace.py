"""A feature's trace, from customer to boardroom: who asked for it, who builds it, what it costs, what threatens it.

``feature_trace`` reads, in seven queries whatever the data size:
- the feedback linked to the feature (archived items left out, as demand leaves them out), its most important
  items, and the companies and segments that asked, with their items by importance and their demand;
- the projects delivering it (``Project.features``), each with its health (``programs.selectors.with_health``);
- the people allocated to those projects, each allocation with its planned cost
  (``programs.selectors.with_planned_cost``), and their total;
- the risks not closed on those projects and on the feature's product, highest score first;
- the strategic objectives it serves: its own, and those its projects are aligned to.

The feature page's trace panel and ``GET features/{id}/trace/`` both show what this returns.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from portfolio.core.models import StrategicObjective
from products.models import Feature, Feedback
from products.selectors import IMPORTANCE_WEIGHTS, importance_weight
from programs.models import Allocation, Project, ProjectObjective
from programs.selectors import projects_with_health, with_planned_cost
from risks.models import Risk
from risks.selectors import NOT_CLOSED, escalated_q, risks_with_severity, with_escalated

# How many feedback items and risks the trace lists (the counts cover them all).
TRACE_FEEDBACK = 10
TRACE_RISKS = 10
IMPORTANCES = [value for value, _label in Feedback.Importance.choices]


def _asked(feature: Feature):
    return Feedback.objects.filter(features=feature).exclude(status=Feedback.Status.ARCHIVED)


def _who_asked(rows: list[dict], key: str) -> list[dict]:
    """``rows`` (company, segment, importance, n) summed up by ``key``: items by importance and demand."""
    groups: dict[str, dict] = defaultdict(lambda: {"items": 0, "demand": 0, **dict.fromkeys(IMPORTANCES, 0)})
    for row in rows:
        group = groups[row[key]]
        group["items"] += row["n"]
        group[row["importance"]] += row["n"]
        group["demand"] += row["n"] * IMPORTANCE_WEIGHTS[row["importance"]]
    ordered = sorted(groups.items(), key=lambda item: (-item[1]["demand"], -item[1]["items"], item[0].lower()))
    return [{"name": name, **figures} for name, figures in ordered]


def feature_trace(*, feature: Feature, today: datetime.date | None = None) -> dict:
    """Who asked for ``feature``, which projects and people deliver it at what planned cost, its risks and objectives.

    Seven queries whatever the data size.
    """
    asked = _asked(feature)
    feedback = list(
        asked.annotate(weight=importance_weight("importance")).order_by("-weight", "-received_at", "-id")[
            :TRACE_FEEDBACK
        ]
    )
    rows = list(asked.order_by().values("company", "segment", "importance").annotate(n=Count("id")))
    projects = projects_with_health(
        Project.objects.filter(features=feature).select_related("program", "manager").order_by("name", "id"), today
    )
    project_ids = [project.pk for project in projects]
    allocations = list(
        with_planned_cost(Allocation.objects.filter(project_id__in=project_ids))
        .select_related("resource", "project")
        .order_by("resource__name", "start_date", "id")
    )
    on_scope = Q(project_id__in=project_ids) | Q(product_id=feature.product_id)
    risks = with_escalated(risks_with_severity(Risk.objects.filter(on_scope, status__in=NOT_CLOSED)))
    risk_totals = risks.order_by().aggregate(count=Count("id"), escalated=Count("id", filter=escalated_q()))
    risk_rows = list(risks.select_related("project", "owner").order_by("-score", "id")[:TRACE_RISKS])
    own = Feature.objectives.through.objects.filter(feature_id=feature.pk, strategicobjective_id=OuterRef("pk"))
    aligned = ProjectObjective.objects.filter(project_id__in=project_ids, objective_id=OuterRef("pk"))
    contribution = Sum("alignments__contribution", filter=Q(alignments__project_id__in=project_ids))
    objectives = list(
        StrategicObjective.objects.annotate(by_feature=Exists(own), by_projects=Exists(aligned))
        .filter(Q(by_feature=True) | Q(by_projects=True))
        .annotate(project_contribution=contribution)
        .order_by("-weight", "title", "id")
    )
    planned_cost = sum((allocation.planned_cost for allocation in allocations), Decimal("0.00"))
    return {
        "feature": feature,
        "feedback_count": sum(row["n"] for row in rows),
        "demand": sum(row["n"] * IMPORTANCE_WEIGHTS[row["importance"]] for row in rows),
        "feedback": feedback,
        "companies": _who_asked(rows, "company"),
        "segments": _who_asked(rows, "segment"),
        "projects": projects,
        "allocations": allocations,
        "people_count": len({allocation.resource_id for allocation in allocations}),
        "planned_cost": planned_cost,
        "risks": risk_rows,
        "risk_count": risk_totals["count"],
        "escalated_risk_count": risk_totals["escalated"],
        "objectives": objectives,
    }
