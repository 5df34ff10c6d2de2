"""``GET products/{id}/dashboard/``: the product dashboard's figures as JSON, from ``products.dashboard`` as the
page reads them."""

from rest_framework import serializers

from products.models import Feature, Feedback, ProductMetric

STATUS_HELP = "Features by status: " + ", ".join(value for value, _label in Feature.Status.choices) + "."
SENTIMENT_HELP = "Items by sentiment: " + ", ".join(value for value, _label in Feedback.Sentiment.choices) + "."


class QuarterColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="`2026-Q4`, or `earlier`, `later` and `undated` for the rest.")
    label = serializers.CharField()
    start_date = serializers.DateField(source="start", allow_null=True, help_text="First end date counted.")
    end_date = serializers.DateField(source="end", allow_null=True, help_text="Last end date counted.")
    counts = serializers.DictField(child=serializers.IntegerField(min_value=0), help_text=STATUS_HELP)
    total = serializers.IntegerField(min_value=0)


class DemandFeatureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Feature.Status.choices)
    demand = serializers.IntegerField(min_value=0, help_text="Linked feedback weighed by importance (1, 2, 3).")
    demand_count = serializers.IntegerField(min_value=0, help_text="Linked feedback items.")
    rice_score = serializers.DecimalField(max_digits=16, decimal_places=2)


class FeedbackMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The month's first day (organisation time zone).")
    counts = serializers.DictField(child=serializers.IntegerField(min_value=0), help_text=SENTIMENT_HELP)
    total = serializers.IntegerField(min_value=0)


class KpiSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="metric.pk")
    name = serializers.CharField(source="metric.name")
    unit = serializers.CharField(source="metric.unit")
    direction = serializers.ChoiceField(source="metric.direction", choices=ProductMetric.Direction.choices)
    target = serializers.DecimalField(source="metric.target", max_digits=14, decimal_places=2, allow_null=True)
    latest_value = serializers.DecimalField(source="latest.value", max_digits=14, decimal_places=2, allow_null=True)
    latest_date = serializers.DateField(source="latest.date", allow_null=True)
    on_target = serializers.BooleanField(allow_null=True, help_text="Null without a reading or without a target.")


class ProductDashboardSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk")
    today = serializers.DateField()
    features_by_quarter = QuarterColumnSerializer(many=True)
    top_demand = DemandFeatureSerializer(many=True, help_text="The ten features most asked for, highest first.")
    feedback_trend = FeedbackMonthSerializer(many=True, help_text="The last twelve months, oldest first.")
    kpis = KpiSerializer(many=True, help_text="Every KPI by name, its latest reading against its target.")
