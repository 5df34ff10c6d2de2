"""The dashboard pages: the organisation overview (leadership's landing page), a portfolio's and a program's.

Everyone signed in reads them; nothing on them writes. Each page draws what ``portfolio.reports.dashboard`` returns
(the same data as the API's dashboard endpoints) with the charts of ``portfolio.reports.charts``, in a fixed number
of queries.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from portfolio.reports import charts, dashboard
from programs.models import Portfolio, Program


def _part_rows(rows: list[dict], url_name: str) -> list[dict]:
    return [row | {"url": reverse(url_name, kwargs={"pk": row["id"]})} for row in rows]


def _scope_charts(data: dict, *, risks_link: str) -> dict:
    return {
        "timeline": charts.timeline_chart(timeline=data["timeline"], chart_id="timeline-chart"),
        "heatmap": charts.heatmap_chart(cells=data["risk_heatmap"], chart_id="heatmap-chart", link=risks_link),
        "utilisation": charts.utilisation_chart(utilisation=data["utilisation"], chart_id="utilisation-chart"),
    }


@require_GET
def organisation_overview(request):
    """Every portfolio at a glance: its state and why, projects by health, budget, milestones, risks, people."""
    data = dashboard.organisation_dashboard()
    rows = _part_rows(data["portfolios"], "reports:portfolio_dashboard")
    context = {
        "data": data,
        "rows": rows,
        "health_chart": charts.health_chart(rows=rows, chart_id="health-chart", what="portfolios"),
        "budget_chart": charts.budget_chart(rows=rows, chart_id="budget-chart", what="portfolios"),
    }
    return render(request, "reports/dashboard/organisation.html", context)


@require_GET
def portfolio_dashboard(request, pk: int):
    """One portfolio: the overview's figures per program, the timeline, risks, utilisation, alignment, changes."""
    portfolio = get_object_or_404(Portfolio, pk=pk)
    data = dashboard.portfolio_dashboard(portfolio=portfolio)
    rows = _part_rows(data["programs"], "reports:program_dashboard")
    context = {
        "portfolio": portfolio,
        "data": data,
        "rows": rows,
        "health_chart": charts.health_chart(rows=rows, chart_id="health-chart", what="programs"),
        "budget_chart": charts.budget_chart(rows=rows, chart_id="budget-chart", what="programs"),
        **_scope_charts(data, risks_link=f"{reverse('risks:risk_list')}?portfolio={portfolio.pk}"),
        "risks_query": f"&portfolio={portfolio.pk}",
        "requests_query": "",
        "projects_anchor": "#projects",
    }
    return render(request, "reports/dashboard/portfolio.html", context)


@require_GET
def program_dashboard(request, pk: int):
    """One program: its figures, its projects' timeline, risks, utilisation, alignment and changes."""
    program = get_object_or_404(Program.objects.select_related("portfolio"), pk=pk)
    data = dashboard.program_dashboard(program=program)
    context = {
        "program": program,
        "portfolio": program.portfolio,
        "data": data,
        **_scope_charts(data, risks_link=f"{reverse('risks:risk_list')}?program={program.pk}"),
        "risks_query": f"&program={program.pk}",
        "requests_query": f"?program={program.pk}",
        "projects_anchor": "#projects",
    }
    return render(request, "reports/dashboard/program.html", context)
