"""API of the programs app: thin viewsets over ``programs.selectors`` and ``programs.filters``; portfolios,
programs, projects, milestones, dependencies, cost entries and alignments are also written, and status reports
drafted from live data, edited, published and deleted, through ``programs.services``."""

import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.schema import ConflictResponseSerializer
from portfolio.core.api.viewsets import MalformedIdIs404, ModelViewSet, ReadOnlyModelViewSet
from portfolio.core.exceptions import Conflict
from portfolio.core.filters import parse_id
from products.models import Product
from programs import filters, selectors, services
from programs.api import serializers
from programs.models import Portfolio, Program
from programs.selectors import ROLLUP_FIELDS


class StructureWrites:
    """The writes of portfolios, programs and projects through ``programs.services``.

    JSON bodies checked for shape by a serializer, then the service (rules, model checks, one transaction); the
    answer is the object as a read gives it. A stale ``version`` or a refused delete is a 409 with the object as
    it is now. The list leaves archived ones out unless ``?archived=true`` (all) or ``?archived=only``; one is
    found by its id whether archived or not.
    """

    parser_classes = [JSONParser]
    kind: str  # "portfolio", "program" or "project"
    parent: str | None = None  # the field naming the parent a create hangs on
    create_serializer = update_serializer = None

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_permission_object_for_create(self, request):
        """The parent the new row names (None when it names none that exists: the serializer says why)."""
        if self.parent is None:
            return None
        value = request.data.get(self.parent) if isinstance(request.data, dict) else None
        if isinstance(value, bool) or not isinstance(value, int) or parse_id(value) is None:
            return None
        model = Portfolio if self.parent == "portfolio" else Program
        return model.objects.filter(pk=value).first()

    def create(self, request, *args, **kwargs):
        body = self._valid(self.create_serializer, request)
        create = getattr(services, f"{self.kind}_create")
        parents = {self.parent: body.pop(self.parent)} if self.parent else {}
        obj = create(user=request.user, **parents, data=body)
        return self._answer(obj, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        body = self._valid(self.update_serializer, request, partial=kwargs.get("partial", False))
        version = body.pop("version")
        try:
            obj = getattr(services, f"{self.kind}_update")(
                user=request.user, **{self.kind: obj}, version=version, data=body
            )
        except Conflict as conflict:
            conflict.extra.setdefault("current", self._current(obj))
            raise
        return self._answer(obj)

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            getattr(services, f"{self.kind}_delete")(user=request.user, **{self.kind: obj})
        except ValidationError as refused:
            # Its state, not the request, stands in the way: a 409 with the object as it is.
            raise Conflict(" ".join(refused.messages), extra={"current": self._current(obj)}) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _archive(self, request, archived: bool):
        service = getattr(services, f"{self.kind}_{'archive' if archived else 'restore'}")
        return self._answer(service(user=request.user, **{self.kind: self.get_object()}))

    @staticmethod
    def _valid(serializer_class, request, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _current(self, obj) -> dict:
        return self.get_serializer(self._read(obj)).data

    def _read(self, obj):
        return self.get_queryset().get(pk=obj.pk)

    def _answer(self, obj, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self._read(obj)).data, status=code)


def _structure_schema(kind: str, read, create, update, what: str):
    return extend_schema_view(
        create=extend_schema(request=create, responses={201: read}),
        update=extend_schema(request=update, responses=read),
        partial_update=extend_schema(request=update, responses=read),
        destroy=extend_schema(
            responses={
                204: OpenApiResponse(description="Deleted."),
                409: OpenApiResponse(
                    response=ConflictResponseSerializer,
                    description=(
                        f"Refused: the {kind} still has {what} or other records that refer to it. ``detail`` says "
                        f"what and offers archiving instead (``POST {kind}s/{{id}}/archive/``); ``current`` is the "
                        f"{kind}. Nothing was deleted."
                    ),
                ),
            }
        ),
    )


@_structure_schema(
    "portfolio",
    serializers.PortfolioSerializer,
    serializers.PortfolioCreateSerializer,
    serializers.PortfolioUpdateSerializer,
    "programs",
)
class PortfolioViewSet(StructureWrites, ModelViewSet):
    """Portfolios: the yearly envelope of programs; created, edited, archived, restored and deleted."""

    kind = "portfolio"
    create_serializer = serializers.PortfolioCreateSerializer
    update_serializer = serializers.PortfolioUpdateSerializer
    serializer_class = serializers.PortfolioSerializer
    filterset_class = filters.PortfolioFilter
    ordering_fields = ["name", "fiscal_year", "budget", *ROLLUP_FIELDS, "archived_at", "id", *TIMESTAMPS]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.with_budget_rollup(selectors.portfolio_list())

    @extend_schema(request=None, responses=serializers.PortfolioSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the portfolio: it leaves the default lists and keeps everything (again: no change)."""
        return self._archive(request, True)

    @extend_schema(request=None, responses=serializers.PortfolioSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring an archived portfolio back to the lists (one that is not archived stays as it is)."""
        return self._archive(request, False)


@_structure_schema(
    "program",
    serializers.ProgramSerializer,
    serializers.ProgramCreateSerializer,
    serializers.ProgramUpdateSerializer,
    "projects, risks",
)
class ProgramViewSet(StructureWrites, ModelViewSet):
    """Programs of a portfolio; created (by the portfolio's owner or its program managers), edited, archived,
    restored and deleted (by the portfolio's owner)."""

    kind = "program"
    parent = "portfolio"
    create_serializer = serializers.ProgramCreateSerializer
    update_serializer = serializers.ProgramUpdateSerializer
    serializer_class = serializers.ProgramSerializer
    filterset_class = filters.ProgramFilter
    ordering_fields = [
        "name",
        "status",
        "budget",
        *ROLLUP_FIELDS,
        "start_date",
        "end_date",
        "archived_at",
        "id",
        *TIMESTAMPS,
    ]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.with_budget_rollup(selectors.program_list())

    @extend_schema(request=None, responses=serializers.ProgramSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the program: it leaves the default lists and keeps everything (again: no change)."""
        return self._archive(request, True)

    @extend_schema(request=None, responses=serializers.ProgramSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring an archived program back to the lists (one that is not archived stays as it is)."""
        return self._archive(request, False)


@_structure_schema(
    "project",
    serializers.ProjectSerializer,
    serializers.ProjectCreateSerializer,
    serializers.ProjectUpdateSerializer,
    "milestones, allocations, cost entries, status reports, resource requests, risks",
)
class ProjectViewSet(StructureWrites, ModelViewSet):
    """Projects with strategic score, WSJF, actual and forecast cost, and health; created in a program, edited,
    archived, restored and deleted by the program's editors."""

    kind = "project"
    parent = "program"
    create_serializer = serializers.ProjectCreateSerializer
    update_serializer = serializers.ProjectUpdateSerializer
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
        "budget_forecast",
        "days_late",
        "health",
        "archived_at",
        "id",
        *TIMESTAMPS,
    ]
    ordering = ["name"]
    ordering_aliases = {"health": "health_rank"}  # red first when descending

    @cached_property
    def today(self) -> datetime.date:
        """One date for the whole request, so the list and the health of its rows agree."""
        return timezone.localdate()

    def get_queryset(self):
        return selectors.project_list(today=self.today)

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

    def _read(self, obj):
        return self.get_queryset().get(pk=obj.pk)

    @extend_schema(request=None, responses=serializers.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the project: it leaves the default lists and keeps everything (again: no change)."""
        return self._archive(request, True)

    @extend_schema(request=None, responses=serializers.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring an archived project back to the lists (one that is not archived stays as it is)."""
        return self._archive(request, False)


REQUEST_NO_LONGER_PENDING = OpenApiResponse(
    response=ConflictResponseSerializer,
    description="The request is no longer pending (decided or cancelled meanwhile); ``current`` is it now.",
)


@extend_schema_view(
    create=extend_schema(
        request=serializers.ResourceRequestCreateSerializer,
        responses={201: serializers.ResourceRequestSerializer},
        description=(
            "File a request for people on a project, for a product you edit (product managers). It starts pending."
        ),
    ),
)
class ResourceRequestViewSet(mixins.CreateModelMixin, ReadOnlyModelViewSet):
    """Requests from product managers for people on a project: filed, cancelled by the requester while pending,
    approved (with the allocation) or rejected by the program of the project."""

    serializer_class = serializers.ResourceRequestSerializer
    filterset_class = filters.ResourceRequestFilter
    ordering_fields = ["start_date", "end_date", "percent", "status", "decided_at", "id", *TIMESTAMPS]
    ordering = ["-created_at"]
    parser_classes = [JSONParser]
    # Cancelling is the service's question (the requester, and a 409 rather than a 403 once decided).
    action_permissions = {
        "approve": "programs.decide_resourcerequest",
        "reject": "programs.decide_resourcerequest",
        "cancel": "programs.view_resourcerequest",
    }

    def get_queryset(self):
        return selectors.resource_request_list()

    def get_permission_object_for_create(self, request):
        """The product the new request names (None when it names none that exists: the serializer says why)."""
        product = request.data.get("product") if isinstance(request.data, dict) else None
        if isinstance(product, bool) or not isinstance(product, int) or parse_id(product) is None:
            return None
        return Product.objects.filter(pk=product).first()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.ResourceRequestCreateSerializer, request)
        filed = services.resource_request_file(user=request.user, **body)
        return self._answer(filed, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ResourceRequestApproveSerializer,
        responses={200: serializers.ResourceRequestSerializer, 409: REQUEST_NO_LONGER_PENDING},
        description=(
            "Approve a pending request with the person allocated: the allocation (the request's percent and "
            "period) is made in the same transaction. A person of another function than the one asked for is a 400 "
            "unless `override_function` is true."
        ),
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the request, allocating the person chosen."""
        obj = self.get_object()
        body = self._valid(serializers.ResourceRequestApproveSerializer, request)
        with self._conflict_shows_current(obj):
            obj = services.resource_request_approve(user=request.user, request=obj, **body)
        return self._answer(obj)

    @extend_schema(
        request=serializers.ResourceRequestRejectSerializer,
        responses={200: serializers.ResourceRequestSerializer, 409: REQUEST_NO_LONGER_PENDING},
        description="Reject a pending request, saying why in `note` (required).",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the request with a note."""
        obj = self.get_object()
        body = self._valid(serializers.ResourceRequestRejectSerializer, request)
        with self._conflict_shows_current(obj):
            obj = services.resource_request_reject(user=request.user, request=obj, note=body["note"])
        return self._answer(obj)

    @extend_schema(
        request=None,
        responses={200: serializers.ResourceRequestSerializer, 409: REQUEST_NO_LONGER_PENDING},
        description="Withdraw a pending request you filed.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the request (its requester, while it is pending)."""
        obj = self.get_object()
        with self._conflict_shows_current(obj):
            obj = services.resource_request_cancel(user=request.user, request=obj)
        return self._answer(obj)

    @staticmethod
    def _valid(serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)

    @contextmanager
    def _conflict_shows_current(self, obj):
        try:
            yield
        except Conflict as conflict:
            conflict.extra.setdefault("current", self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)
            raise


STATUS_REPORT_DELETED = {204: OpenApiResponse(description="Deleted (a draft; a published report is refused, 400).")}


@extend_schema_view(
    update=extend_schema(
        request=serializers.StatusReportUpdateSerializer, responses=serializers.StatusReportSerializer
    ),
    partial_update=extend_schema(
        request=serializers.StatusReportUpdateSerializer,
        responses=serializers.StatusReportSerializer,
        description="Change a draft (RAG, texts, period end); a published report is frozen: 400.",
    ),
    destroy=extend_schema(responses=STATUS_REPORT_DELETED),
)
class StatusReportViewSet(
    MalformedIdIs404,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Project status reports: drafted from live data, edited while drafts, published, then frozen."""

    serializer_class = serializers.StatusReportSerializer
    filterset_class = filters.StatusReportFilter
    ordering_fields = ["period_end", "published_at", "overall", "id", *TIMESTAMPS]
    ordering = ["-period_end"]
    # JSON only: the body's fields take the JSON types the schema states (portfolio.core.api.fields).
    parser_classes = [JSONParser]

    def get_queryset(self):
        return selectors.status_report_list()

    def update(self, request, *args, **kwargs):
        report = self.get_object()
        body = self._valid(serializers.StatusReportUpdateSerializer, request)
        version = body.pop("version")
        with self._conflict_shows_current(report):
            report = services.status_report_update(user=request.user, report=report, version=version, data=body)
        return self._answer(report)

    def destroy(self, request, *args, **kwargs):
        services.status_report_delete(user=request.user, report=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=serializers.StatusReportDraftSerializer,
        responses={
            201: serializers.StatusReportSerializer,
            200: OpenApiResponse(
                response=serializers.StatusReportSerializer, description="The draft that exists for the period."
            ),
        },
        description=(
            "Draft the project's report for the period ending `period_end` (today) from live data: what changed "
            "since its previous published report and the RAG proposed (`live_data`). 200 with the existing draft "
            "if the period has one; 400 if it has a published report."
        ),
    )
    @action(detail=False, methods=["post"])
    def draft(self, request):
        """Draft a status report from live data."""
        body = self._valid(serializers.StatusReportDraftSerializer, request)
        report, created = services.status_report_draft(user=request.user, **body)
        return self._answer(report, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        request=serializers.StatusReportPublishSerializer,
        responses=serializers.StatusReportSerializer,
        description="Publish the draft; publishing a published report changes nothing.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the draft: it gets its publication time and is frozen."""
        report = self.get_object()
        body = self._valid(serializers.StatusReportPublishSerializer, request)
        with self._conflict_shows_current(report):
            report = services.status_report_publish(user=request.user, report=report, version=body["version"])
        return self._answer(report)

    @staticmethod
    def _valid(serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, report, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data, status=code)

    @contextmanager
    def _conflict_shows_current(self, report):
        """Answer a stale version with the report as it is now."""
        try:
            yield
        except Conflict as conflict:
            conflict.extra.setdefault("current", self.get_serializer(self.get_queryset().get(pk=report.pk)).data)
            raise


# --- Delivery: milestones, dependencies, cost entries and alignments written through ``programs.services`` ------

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view  # noqa: E402
from rest_framework import status  # noqa: E402
from rest_framework.parsers import JSONParser  # noqa: E402
from rest_framework.response import Response  # noqa: E402

from portfolio.core.api.viewsets import ModelViewSet  # noqa: E402
from programs.models import Project  # noqa: E402

DELETED = {204: OpenApiResponse(description="Deleted.")}


class WritesThroughDeliveryServices:
    """Strict JSON bodies, creates asked of the project they name, answers as a read gives them."""

    parser_classes = [JSONParser]
    project_field = "project"

    def get_permission_object_for_create(self, request):
        """The project the new row names (None when it names none that exists: the serializer says why)."""
        project = request.data.get(self.project_field) if isinstance(request.data, dict) else None
        if isinstance(project, bool) or not isinstance(project, int) or parse_id(project) is None:
            return None
        return Project.objects.select_related("program__portfolio").filter(pk=project).first()

    @staticmethod
    def _valid(serializer_class, request, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)


@extend_schema_view(
    create=extend_schema(
        request=serializers.MilestoneCreateSerializer, responses={201: serializers.MilestoneSerializer}
    ),
    update=extend_schema(request=serializers.MilestoneUpdateSerializer, responses=serializers.MilestoneSerializer),
    partial_update=extend_schema(
        request=serializers.MilestoneUpdateSerializer, responses=serializers.MilestoneSerializer
    ),
    destroy=extend_schema(responses=DELETED),
)
class MilestoneViewSet(WritesThroughDeliveryServices, ModelViewSet):
    """Milestones of projects; added, edited (a stale ``version`` is a 409), completed, reopened and deleted."""

    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilter
    ordering_fields = ["due_date", "completed_on", "name", "id", *TIMESTAMPS]
    ordering = ["due_date"]

    def get_queryset(self):
        return selectors.milestone_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.MilestoneCreateSerializer, request)
        milestone = services.milestone_create(user=request.user, project=body.pop("project"), data=body)
        return self._answer(milestone, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        milestone = self.get_object()
        body = self._valid(serializers.MilestoneUpdateSerializer, request, partial=kwargs.get("partial", False))
        version = body.pop("version")
        try:
            milestone = services.milestone_update(user=request.user, milestone=milestone, version=version, data=body)
        except Conflict as conflict:
            current = self.get_queryset().get(pk=milestone.pk)
            conflict.extra.setdefault("current", self.get_serializer(current).data)
            raise
        return self._answer(milestone)

    def destroy(self, request, *args, **kwargs):
        services.milestone_delete(user=request.user, milestone=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=serializers.DependencyCreateSerializer,
        responses={201: serializers.DependencySerializer},
        description="Link two projects; a dependency on itself, a duplicate or a cycle of blocks is a 400.",
    ),
    destroy=extend_schema(responses=DELETED),
)
class DependencyViewSet(WritesThroughDeliveryServices, ModelViewSet):
    """Dependencies between projects: added (never closing a cycle of "blocks") and removed."""

    serializer_class = serializers.DependencySerializer
    filterset_class = filters.DependencyFilter
    ordering_fields = ["kind", "id", *TIMESTAMPS]
    ordering = ["id"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    project_field = "from_project"

    def get_queryset(self):
        return selectors.dependency_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.DependencyCreateSerializer, request)
        dependency = services.dependency_add(user=request.user, **body)
        return self._answer(dependency, status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.dependency_remove(user=request.user, dependency=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=serializers.CostEntryCreateSerializer, responses={201: serializers.CostEntrySerializer}
    ),
    update=extend_schema(request=serializers.CostEntryUpdateSerializer, responses=serializers.CostEntrySerializer),
    partial_update=extend_schema(
        request=serializers.CostEntryUpdateSerializer, responses=serializers.CostEntrySerializer
    ),
    destroy=extend_schema(responses=DELETED),
)
class CostEntryViewSet(WritesThroughDeliveryServices, ModelViewSet):
    """Costs booked on projects (the actuals); booked, corrected and deleted."""

    serializer_class = serializers.CostEntrySerializer
    filterset_class = filters.CostEntryFilter
    ordering_fields = ["date", "amount", "category", "id", *TIMESTAMPS]
    ordering = ["-date"]

    def get_queryset(self):
        return selectors.cost_entry_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.CostEntryCreateSerializer, request)
        entry = services.cost_entry_create(user=request.user, project=body.pop("project"), data=body)
        return self._answer(entry, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        body = self._valid(serializers.CostEntryUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.cost_entry_update(user=request.user, entry=entry, data=body))

    def destroy(self, request, *args, **kwargs):
        services.cost_entry_delete(user=request.user, entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=serializers.ProjectObjectiveCreateSerializer, responses={201: serializers.ProjectObjectiveSerializer}
    ),
    update=extend_schema(
        request=serializers.ProjectObjectiveUpdateSerializer, responses=serializers.ProjectObjectiveSerializer
    ),
    partial_update=extend_schema(
        request=serializers.ProjectObjectiveUpdateSerializer, responses=serializers.ProjectObjectiveSerializer
    ),
    destroy=extend_schema(responses=DELETED),
)
class ProjectObjectiveViewSet(WritesThroughDeliveryServices, ModelViewSet):
    """How much each project contributes to a strategic objective (1–3); the strategic score sums them."""

    serializer_class = serializers.ProjectObjectiveSerializer
    filterset_class = filters.ProjectObjectiveFilter
    ordering_fields = ["contribution", "id", *TIMESTAMPS]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.project_objective_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.ProjectObjectiveCreateSerializer, request)
        alignment = services.project_objective_add(user=request.user, **body)
        return self._answer(alignment, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        alignment = self.get_object()
        body = self._valid(serializers.ProjectObjectiveUpdateSerializer, request, partial=kwargs.get("partial", False))
        contribution = body.get("contribution", alignment.contribution)
        return self._answer(
            services.project_objective_update(user=request.user, alignment=alignment, contribution=contribution)
        )

    def destroy(self, request, *args, **kwargs):
        services.project_objective_remove(user=request.user, alignment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
