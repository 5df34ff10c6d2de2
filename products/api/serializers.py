"""Serializers of the products collections; derived figures are read-only."""

from decimal import Decimal

from rest_framework import serializers

from portfolio.core.api.fields import TIMESTAMPS
from products.models import (
    CONFIDENCE_MESSAGE,
    CONFIDENCE_VALUES,
    IMPACT_MESSAGE,
    IMPACT_VALUES,
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)


def _rice_scale(values: list[Decimal], message: str) -> serializers.DecimalField:
    """A RICE scale as a decimal string like ``"0.80"`` (a ChoiceField would render it as a JSON float)."""

    def one_of(value: Decimal) -> None:
        if value not in values:
            raise serializers.ValidationError(message)

    return serializers.DecimalField(max_digits=3, decimal_places=2, validators=[one_of], help_text=message)


class ProductMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = ProductMember
        fields = ["user", "name", "function", "role"]


class ProductSerializer(serializers.ModelSerializer):
    members = ProductMemberSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "vision",
            "owner",
            "lifecycle_stage",
            "objectives",
            "members",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "product", "name", "colour", "position", *TIMESTAMPS]


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = [
            "id",
            "product",
            "name",
            "description",
            "target_date",
            "status",
            "released_on",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version"]


class FeatureSerializer(serializers.ModelSerializer):
    impact = _rice_scale(IMPACT_VALUES, IMPACT_MESSAGE)
    confidence = _rice_scale(CONFIDENCE_VALUES, CONFIDENCE_MESSAGE)
    rice_score = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    demand = serializers.IntegerField(read_only=True, help_text="Linked feedback weighted by importance (1–3).")
    demand_count = serializers.IntegerField(read_only=True, help_text="Number of linked feedback items.")
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Feature
        fields = [
            "id",
            "product",
            "title",
            "description",
            "status",
            "horizon",
            "release",
            "theme",
            "start_date",
            "end_date",
            "position",
            "owner",
            "objectives",
            "reach",
            "impact",
            "confidence",
            "effort",
            "rice_score",
            "demand",
            "demand_count",
            "version",
            *TIMESTAMPS,
        ]


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = [
            "id",
            "product",
            "summary",
            "body",
            "channel",
            "customer_name",
            "company",
            "email",
            "segment",
            "sentiment",
            "importance",
            "received_at",
            "status",
            "features",
            *TIMESTAMPS,
        ]


class CompetitorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competitor
        fields = [
            "id",
            "product",
            "name",
            "website",
            "positioning",
            "strengths",
            "weaknesses",
            "pricing",
            "threat_level",
            *TIMESTAMPS,
        ]


class MarketInsightSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarketInsight
        fields = [
            "id",
            "product",
            "kind",
            "title",
            "segment",
            "evidence",
            "estimated_value",
            "features",
            *TIMESTAMPS,
        ]


class MetricReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MetricReading
        fields = ["id", "metric", "date", "value", *TIMESTAMPS]


class LatestReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MetricReading
        fields = ["date", "value"]


class ProductMetricSerializer(serializers.ModelSerializer):
    latest_readings = LatestReadingSerializer(
        many=True,
        read_only=True,
        help_text="The most recent readings, newest first (the full series is at metric-readings).",
    )

    class Meta:
        model = ProductMetric
        fields = ["id", "product", "name", "unit", "target", "direction", "latest_readings", *TIMESTAMPS]
