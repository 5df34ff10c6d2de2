"""One FilterSet per list of the products app, shared by the pages and the API."""

import django_filters

from portfolio.core.filters import IdFilter, IdsFilter, TextSearchFilter
from portfolio.core.models import StrategicObjective, User
from products.models import (
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    MetricReading,
    Product,
    ProductMetric,
    Release,
    Theme,
)


class ProductFilter(django_filters.FilterSet):
    owner = IdFilter(queryset=User.objects.all())
    lifecycle_stage = django_filters.MultipleChoiceFilter(choices=Product.Stage.choices)
    objectives = IdsFilter(queryset=StrategicObjective.objects.all())
    member = IdFilter(queryset=User.objects.all(), field_name="memberships__user", distinct=True, label="Member")
    q = TextSearchFilter("name", "description", "vision")

    class Meta:
        model = Product
        fields = ["owner", "lifecycle_stage", "objectives", "member", "q"]


class ThemeFilter(django_filters.FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    q = TextSearchFilter("name")

    class Meta:
        model = Theme
        fields = ["product", "q"]


class ReleaseFilter(django_filters.FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    status = django_filters.MultipleChoiceFilter(choices=Release.Status.choices)
    target_after = django_filters.DateFilter(field_name="target_date", lookup_expr="gte")
    target_before = django_filters.DateFilter(field_name="target_date", lookup_expr="lte")
    q = TextSearchFilter("name", "description")

    class Meta:
        model = Release
        fields = ["product", "status", "target_after", "target_before", "q"]


class FeatureFilter(django_filters.FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    release = IdFilter(queryset=Release.objects.all())
    theme = IdFilter(queryset=Theme.objects.all())
    owner = IdFilter(queryset=User.objects.all())
    objectives = IdsFilter(queryset=StrategicObjective.objects.all())
    status = django_filters.MultipleChoiceFilter(choices=Feature.Status.choices)
    horizon = django_filters.MultipleChoiceFilter(choices=Feature.Horizon.choices)
    unscheduled = django_filters.BooleanFilter(field_name="release", lookup_expr="isnull", label="Not in any release")
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    ends_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")
    q = TextSearchFilter("title", "description")

    class Meta:
        model = Feature
        fields = [
            "product",
            "release",
            "theme",
            "owner",
            "objectives",
            "status",
            "horizon",
            "unscheduled",
            "starts_after",
            "ends_before",
            "q",
        ]


class FeedbackFilter(django_filters.FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    feature = IdFilter(queryset=Feature.objects.all(), field_name="features", distinct=True, label="Linked feature")
    unlinked = django_filters.BooleanFilter(field_name="features", lookup_expr="isnull", distinct=True)
    status = django_filters.MultipleChoiceFilter(choices=Feedback.Status.choices)
    channel = django_filters.MultipleChoiceFilter(choices=Feedback.Channel.choices)
    sentiment = django_filters.MultipleChoiceFilter(choices=Feedback.Sentiment.choices)
    importance = django_filters.MultipleChoiceFilter(choices=Feedback.Importance.choices)
    segment = django_filters.CharFilter(lookup_expr="iexact")
    received_after = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")
    q = TextSearchFilter("summary", "body", "customer_name", "company")

    class Meta:
        model = Feedback
        fields = [
            "product",
            "feature",
            "unlinked",
            "status",
            "channel",
            "sentiment",
            "importance",
            "segment",
            "received_after",
            "received_before",
            "q",
        ]


class CompetitorFilter(django_filters.FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    threat_level = django_filters.MultipleChoiceFilter(choices=Competitor.Threat.choices)
    q = TextSearchFilter("name", "positioning")

    class Meta:
        model = Competitor
        fields = ["product", "threat_level", "q"]


class MarketInsightFilter(django_filters.FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    kind = django_filters.MultipleChoiceFilter(choices=MarketInsight.Kind.choices)
    feature = IdFilter(queryset=Feature.objects.all(), field_name="features", distinct=True, label="Linked feature")
    segment = django_filters.CharFilter(lookup_expr="iexact")
    q = TextSearchFilter("title", "evidence")

    class Meta:
        model = MarketInsight
        fields = ["product", "kind", "feature", "segment", "q"]


class ProductMetricFilter(django_filters.FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    direction = django_filters.ChoiceFilter(choices=ProductMetric.Direction.choices)
    q = TextSearchFilter("name")

    class Meta:
        model = ProductMetric
        fields = ["product", "direction", "q"]


class MetricReadingFilter(django_filters.FilterSet):
    metric = IdFilter(queryset=ProductMetric.objects.all())
    product = IdFilter(field_name="metric__product", queryset=Product.objects.all())
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = MetricReading
        fields = ["metric", "product", "date_after", "date_before"]
