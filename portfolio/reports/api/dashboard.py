"""The dashboards in the API: ``GET dashboard/`` (the organisation), ``GET portfolios/{id}/dashboard/`` and
``GET programs/{id}/dashboard/``. Each returns what ``portfolio.reports.dashboard`` computes for the page, as JSON
(amounts as decimal strings, dates as ISO 8601), so the page and the API give the same figures."""

import datetime
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.core.api.viewsets import MalformedIdIs404
from portfolio.reports import dashboard
from programs.models import Portfolio, Program


def jsonable(value):
    """The dashboard's data as JSON values: decimals as strings (as the API writes amounts), dates in ISO 8601."""
    if isinstance(value, dict):
        return {("total" if key is None else str(key)): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


DASHBOARD = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "The dashboard's figures: scope, today, totals (projects by health, budget planned, actual and forecast, "
        "milestones due in 30 days and late, escalated risks, requests waiting, people over-allocated), the rows "
        "(portfolios or programs) with their state and reasons, red_projects, milestones, escalated risks, "
        "objectives and overallocated_functions; a portfolio's or program's also projects, timeline, risk_heatmap, "
        "utilisation, alignment and changes (since last week)."
    ),
)


class OrganisationDashboardView(APIView):
    """The organisation overview: every portfolio at a glance (the figures of the ``/dashboard/`` page)."""

    @extend_schema(responses=DASHBOARD, operation_id="dashboard_retrieve")
    def get(self, request):
        return Response(jsonable(dashboard.organisation_dashboard()))


class PortfolioDashboardViewSet(MalformedIdIs404, viewsets.GenericViewSet):
    """A portfolio's dashboard (the figures of its dashboard page)."""

    queryset = Portfolio.objects.all()
    pagination_class = None
    filter_backends: list = []

    @extend_schema(responses=DASHBOARD)
    @action(detail=True, methods=["get"])
    def dashboard(self, request, pk=None):
        return Response(jsonable(dashboard.portfolio_dashboard(portfolio=self.get_object())))


class ProgramDashboardViewSet(MalformedIdIs404, viewsets.GenericViewSet):
    """A program's dashboard (the figures of its dashboard page)."""

    queryset = Program.objects.select_related("portfolio")
    pagination_class = None
    filter_backends: list = []

    @extend_schema(responses=DASHBOARD)
    @action(detail=True, methods=["get"])
    def dashboard(self, request, pk=None):
        return Response(jsonable(dashboard.program_dashboard(program=self.get_object())))
