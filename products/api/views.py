"""Read-only API of the products app: every list paginated, filtered by its FilterSet and ordered."""

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.viewsets import ReadOnlyModelViewSet
from products import filters, selectors
from products.api import serializers


class ProductViewSet(ReadOnlyModelViewSet):
    """Products, with their members and objectives."""

    serializer_class = serializers.ProductSerializer
    filterset_class = filters.ProductFilter
    ordering_fields = ["name", "lifecycle_stage", "id", *TIMESTAMPS]
    ordering = list(selectors.PRODUCT_ORDERING)

    def get_queryset(self):
        return selectors.product_list()


class ThemeViewSet(ReadOnlyModelViewSet):
    """Roadmap themes (swimlanes) of the products."""

    serializer_class = serializers.ThemeSerializer
    filterset_class = filters.ThemeFilter
    ordering_fields = ["position", "name", "id", *TIMESTAMPS]
    ordering = list(selectors.THEME_ORDERING)

    def get_queryset(self):
        return selectors.theme_list()


class ReleaseViewSet(ReadOnlyModelViewSet):
    """Releases of the products."""

    serializer_class = serializers.ReleaseSerializer
    filterset_class = filters.ReleaseFilter
    ordering_fields = ["target_date", "released_on", "name", "status", "id", *TIMESTAMPS]
    ordering = list(selectors.RELEASE_ORDERING)

    def get_queryset(self):
        return selectors.release_list()


class FeatureViewSet(ReadOnlyModelViewSet):
    """Features with their RICE score and the demand from linked feedback."""

    serializer_class = serializers.FeatureSerializer
    filterset_class = filters.FeatureFilter
    ordering_fields = [
        "rice_score",
        "demand",
        "demand_count",
        "position",
        "title",
        "status",
        "reach",
        "impact",
        "confidence",
        "effort",
        "start_date",
        "end_date",
        "id",
        *TIMESTAMPS,
    ]
    ordering = list(selectors.FEATURE_ORDERING)

    def get_queryset(self):
        return selectors.feature_list()


class FeedbackViewSet(ReadOnlyModelViewSet):
    """Customer feedback, with the ids of the features it is linked to."""

    serializer_class = serializers.FeedbackSerializer
    filterset_class = filters.FeedbackFilter
    ordering_fields = ["received_at", "summary", "company", "id", *TIMESTAMPS]
    ordering = list(selectors.FEEDBACK_ORDERING)

    def get_queryset(self):
        return selectors.feedback_list()


class CompetitorViewSet(ReadOnlyModelViewSet):
    """Competitors of the products."""

    serializer_class = serializers.CompetitorSerializer
    filterset_class = filters.CompetitorFilter
    ordering_fields = ["name", "id", *TIMESTAMPS]
    ordering = list(selectors.COMPETITOR_ORDERING)

    def get_queryset(self):
        return selectors.competitor_list()


class MarketInsightViewSet(ReadOnlyModelViewSet):
    """Market insights (opportunities, trends, threats, customer needs)."""

    serializer_class = serializers.MarketInsightSerializer
    filterset_class = filters.MarketInsightFilter
    ordering_fields = ["title", "kind", "estimated_value", "id", *TIMESTAMPS]
    ordering = list(selectors.INSIGHT_ORDERING)

    def get_queryset(self):
        return selectors.insight_list()


class ProductMetricViewSet(ReadOnlyModelViewSet):
    """Product metrics (KPIs) with their most recent readings."""

    serializer_class = serializers.ProductMetricSerializer
    filterset_class = filters.ProductMetricFilter
    ordering_fields = ["name", "id", *TIMESTAMPS]
    ordering = list(selectors.METRIC_ORDERING)

    def get_queryset(self):
        return selectors.metric_list()


class MetricReadingViewSet(ReadOnlyModelViewSet):
    """Dated readings of the product metrics (the full series)."""

    serializer_class = serializers.MetricReadingSerializer
    filterset_class = filters.MetricReadingFilter
    ordering_fields = ["date", "value", "id", *TIMESTAMPS]
    ordering = list(selectors.METRIC_READING_ORDERING)

    def get_queryset(self):
        return selectors.metric_reading_list()
