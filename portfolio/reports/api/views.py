from django.db.models import QuerySet

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.viewsets import ReadOnlyModelViewSet
from portfolio.reports import selectors
from portfolio.reports.api.serializers import (
    ReportSubscriptionSerializer,
    StakeholderReportDetailSerializer,
    StakeholderReportSerializer,
)
from portfolio.reports.filters import ReportSubscriptionFilterSet, StakeholderReportFilterSet
from portfolio.reports.models import ReportSubscription, StakeholderReport


class ReportSubscriptionViewSet(ReadOnlyModelViewSet):
    """Scheduled stakeholder reports: each user sees their own subscriptions, superusers see all."""

    serializer_class = ReportSubscriptionSerializer
    filterset_class = ReportSubscriptionFilterSet
    ordering_fields = [
        "id",
        "recipient",
        "frequency",
        "weekday",
        "day_of_month",
        "hour",
        "active",
        *TIMESTAMPS,
    ]
    # By the column, not by the recipient's own ordering (a join and a sort on the user table).
    ordering_aliases = {"recipient": "recipient_id"}
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[ReportSubscription]:
        return selectors.subscription_list(user=self.request.user)


class StakeholderReportViewSet(ReadOnlyModelViewSet):
    """The report archive: the list is light; one report carries its data, HTML and text."""

    filterset_class = StakeholderReportFilterSet
    ordering_fields = ["id", "period_end", "period_start", "period_key", "scope_key", "generated_at"]
    ordering = ["-period_end", "scope_key"]

    def get_serializer_class(self):
        return StakeholderReportDetailSerializer if self.action == "retrieve" else StakeholderReportSerializer

    def get_queryset(self) -> QuerySet[StakeholderReport]:
        return selectors.report_list(with_bodies=self.action == "retrieve")
