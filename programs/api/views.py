"""Read-only API of the programs app: thin viewsets over ``programs.selectors`` and ``programs.filters``."""

import datetime

from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.viewsets import ReadOnlyModelViewSet
from programs import filters, selectors
from programs.api import serializers


class PortfolioViewSet(ReadOnlyModelViewSet):
    """Portfolios: the yearly envelope of programs."""

    serializer_class = serializers.PortfolioSerializer
    filterset_class = filters.PortfolioFilter
    ordering_fields = ["name", "fiscal_year", "budget", "id", *TIMESTAMPS]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.portfolio_list()


class ProgramViewSet(ReadOnlyModelViewSet):
    """Programs of a portfolio."""

    serializer_class = serializers.ProgramSerializer
    filterset_class = filters.ProgramFilter
    ordering_fields = ["name", "status", "budget", "start_date", "end_date", "id", *TIMESTAMPS]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.program_list()


class ProjectViewSet(ReadOnlyModelViewSet):
    """Projects with strategic score, WSJF, actual and forecast cost, and health."""

    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter
    ordering_fields = [
        "name",
        "status",
        "start_date",
        "end_date",
        "budget",
        "budget_actual",
        "wsjf",
        "strategic_score",
        "id",
        *TIMESTAMPS,
    ]
    ordering = ["name"]

    @cached_property
    def today(self) -> datetime.date:
        """One date for the whole request, so the list and the health of its rows agree."""
        return timezone.localdate()

    def get_queryset(self):
        return selectors.project_list(today=self.today)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.project_health_attach(page, self.today)

    def get_object(self):
        return selectors.project_health_attach([super().get_object()], self.today)[0]

    @extend_schema(
        summary="Projects ranked by strategic score or WSJF, with cumulative budget and the budget cut line",
        description=(
            "Open projects (completed and cancelled ones are left out) in rank order, not paginated: the cut line "
            "needs the whole list. With `program` the line is the program's budget, else with `portfolio` the "
            "portfolio's; organisation-wide there is no line (`above_line` null). Ties are broken by the other "
            "score, then name and id."
        ),
        parameters=[serializers.RankingQuerySerializer],
        responses={200: serializers.RankingSerializer},
    )
    @action(detail=False, methods=["get"], url_path="ranking", filter_backends=[], pagination_class=None)
    def ranking(self, request):
        # A plain dict, not the QueryDict: an empty `?order=` is then a 400, not the default.
        query = serializers.RankingQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        ranking = selectors.project_ranking(**query.validated_data)
        return Response(serializers.RankingSerializer(ranking).data)


class MilestoneViewSet(ReadOnlyModelViewSet):
    """Milestones of projects."""

    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilter
    ordering_fields = ["due_date", "completed_on", "name", "id", *TIMESTAMPS]
    ordering = ["due_date"]

    def get_queryset(self):
        return selectors.milestone_list()


class DependencyViewSet(ReadOnlyModelViewSet):
    """Dependencies between projects."""

    serializer_class = serializers.DependencySerializer
    filterset_class = filters.DependencyFilter
    ordering_fields = ["kind", "id", *TIMESTAMPS]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.dependency_list()


class ResourceViewSet(ReadOnlyModelViewSet):
    """People who can be allocated to projects."""

    serializer_class = serializers.ResourceSerializer
    filterset_class = filters.ResourceFilter
    ordering_fields = ["name", "function", "capacity_hours", "cost_rate", "id", *TIMESTAMPS]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.resource_list()


class AllocationViewSet(ReadOnlyModelViewSet):
    """Allocations of resources to projects."""

    serializer_class = serializers.AllocationSerializer
    filterset_class = filters.AllocationFilter
    ordering_fields = ["start_date", "end_date", "percent", "id", *TIMESTAMPS]
    ordering = ["start_date"]

    def get_queryset(self):
        return selectors.allocation_list()


class ResourceRequestViewSet(ReadOnlyModelViewSet):
    """Requests from product managers for people on a project."""

    serializer_class = serializers.ResourceRequestSerializer
    filterset_class = filters.ResourceRequestFilter
    ordering_fields = ["start_date", "end_date", "percent", "status", "decided_at", "id", *TIMESTAMPS]
    ordering = ["-created_at"]

    def get_queryset(self):
        return selectors.resource_request_list()


class CostEntryViewSet(ReadOnlyModelViewSet):
    """Costs booked on projects."""

    serializer_class = serializers.CostEntrySerializer
    filterset_class = filters.CostEntryFilter
    ordering_fields = ["date", "amount", "category", "id", *TIMESTAMPS]
    ordering = ["-date"]

    def get_queryset(self):
        return selectors.cost_entry_list()


class StatusReportViewSet(ReadOnlyModelViewSet):
    """Project status reports."""

    serializer_class = serializers.StatusReportSerializer
    filterset_class = filters.StatusReportFilter
    ordering_fields = ["period_end", "published_at", "overall", "id", *TIMESTAMPS]
    ordering = ["-period_end"]

    def get_queryset(self):
        return selectors.status_report_list()
