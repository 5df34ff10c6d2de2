from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.viewsets import ModelViewSet, ReadOnlyModelViewSet
from portfolio.core.permissions import can
from portfolio.reports import selectors, services, tasks
from portfolio.reports.api.serializers import (
    ReportSubscriptionSerializer,
    ReportSubscriptionWriteSerializer,
    SendNowResultSerializer,
    SendNowSerializer,
    StakeholderReportDetailSerializer,
    StakeholderReportSerializer,
)
from portfolio.reports.filters import ReportSubscriptionFilterSet, StakeholderReportFilterSet
from portfolio.reports.models import ReportSubscription, StakeholderReport


@extend_schema_view(
    create=extend_schema(request=ReportSubscriptionWriteSerializer, responses={201: ReportSubscriptionSerializer}),
    update=extend_schema(request=ReportSubscriptionWriteSerializer, responses=ReportSubscriptionSerializer),
    partial_update=extend_schema(request=ReportSubscriptionWriteSerializer, responses=ReportSubscriptionSerializer),
    destroy=extend_schema(responses={204: OpenApiResponse(description="Deleted.")}),
)
class ReportSubscriptionViewSet(ModelViewSet):
    """Scheduled stakeholder reports: each user sees and manages their own subscriptions (and those they made for
    others, a steering committee, on what they manage); superusers see all."""

    serializer_class = ReportSubscriptionSerializer
    filterset_class = ReportSubscriptionFilterSet
    parser_classes = [JSONParser]
    ordering_fields = [
        "id",
        "recipient",
        "frequency",
        "weekday",
        "day_of_month",
        "hour",
        "active",
        "next_due_at",
        *TIMESTAMPS,
    ]
    # By the column, not by the recipient's own ordering (a join and a sort on the user table).
    ordering_aliases = {"recipient": "recipient_id"}
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[ReportSubscription]:
        return selectors.subscription_list(user=self.request.user)

    def _valid(self, request, *, partial: bool = False) -> dict:
        serializer = ReportSubscriptionWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, subscription, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=subscription.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        subscription = services.subscription_create(user=request.user, data=self._valid(request))
        return self._answer(subscription, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        subscription = self.get_object()
        data = self._valid(request, partial=kwargs.get("partial", False))
        subscription = services.subscription_update(user=request.user, subscription=subscription, data=data)
        return self._answer(subscription)

    def destroy(self, request, *args, **kwargs):
        services.subscription_delete(user=request.user, subscription=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class StakeholderReportViewSet(ReadOnlyModelViewSet):
    """The report archive: the list is light; one report carries its data, HTML and text."""

    filterset_class = StakeholderReportFilterSet
    ordering_fields = ["id", "period_end", "period_start", "period_key", "scope_key", "generated_at"]
    ordering = ["-period_end", "scope_key"]
    action_permissions = {"send_now": "reports.send_report"}

    def get_serializer_class(self):
        return StakeholderReportDetailSerializer if self.action == "retrieve" else StakeholderReportSerializer

    def get_queryset(self) -> QuerySet[StakeholderReport]:
        return selectors.report_list(with_bodies=self.action == "retrieve")

    @extend_schema(
        request=SendNowSerializer,
        responses={202: SendNowResultSerializer},
        description="Administrators: queue one subscription's current period now (still once per period), or, "
        "without a subscription, the planner for what is due now. Answers 202 once queued.",
    )
    @action(detail=False, methods=["post"], url_path="send-now", parser_classes=[JSONParser])
    def send_now(self, request):
        """Queue the same as ``manage.py send_reports`` does in its own process."""
        if not can(request.user, "reports.send_report"):
            raise PermissionDenied("Only administrators send reports on demand.")
        body = SendNowSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        subscription = body.validated_data.get("subscription")
        if subscription is not None:
            tasks.send_subscription_now.delay(subscription.pk)
            result = {"queued": "subscription", "subscription": subscription.pk}
        else:
            tasks.plan_reports.delay()
            result = {"queued": "due", "subscription": None}
        return Response(SendNowResultSerializer(result).data, status=status.HTTP_202_ACCEPTED)
