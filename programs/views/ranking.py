"""The ranking pages: a portfolio's or a program's open projects in rank order, with the budget cut line."""

from django.shortcuts import get_object_or_404, render

from programs import selectors
from programs.models import Portfolio, Program

ORDERS = (("strategic", "Strategic score"), ("wsjf", "WSJF"))


def _order(request) -> str:
    """The order asked for in ``?order=``; anything else ranks by strategic score (the default)."""
    order = request.GET.get("order", "strategic")
    return order if order in selectors.RANKING_ORDERS else "strategic"


def _render(request, *, scope: str, title: str, ranking, path: str):
    projects = ranking["projects"]
    # The cut-line row goes before the first project below the line.
    cut_at = next((p.rank for p in projects if p.above_line is False), None)
    return render(
        request,
        "programs/ranking.html",
        {
            "ranking": ranking,
            "projects": projects,
            "cut_at": cut_at,
            "scope": scope,
            "title": title,
            "orders": ORDERS,
            "path": path,
        },
    )


def portfolio_ranking(request, pk: int):
    """A portfolio's open projects ranked by strategic score or WSJF; the line is the portfolio's budget."""
    portfolio = get_object_or_404(Portfolio, pk=pk)
    ranking = selectors.project_ranking(portfolio=portfolio, order=_order(request))
    return _render(request, scope="portfolio", title=portfolio.name, ranking=ranking, path=request.path)


def program_ranking(request, pk: int):
    """A program's open projects ranked by strategic score or WSJF; the line is the program's budget."""
    program = get_object_or_404(Program.objects.select_related("portfolio"), pk=pk)
    ranking = selectors.project_ranking(program=program, order=_order(request))
    return _render(request, scope="program", title=program.name, ranking=ranking, path=request.path)
