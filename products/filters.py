"""One FilterSet per list of the products app, shared by the pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef

from portfolio.core.filters import (
    BooleanFilter,
    DateTimeFilter,
    FilterSet,
    IdFilter,
    IdsFilter,
    MultipleChoiceFilter,
    TextSearchFilter,
)
from portfolio.core.models import StrategicObjective, User
from products.models import (
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


class ProductFilter(FilterSet):
    """Products; the archived ones are left out unless ``archived`` asks for them (page and API alike)."""

    ARCHIVED_CHOICES = [
        ("false", "Not archived (the default)"),
        ("true", "Archived ones too"),
        ("only", "Archived ones only"),
    ]

    owner = IdFilter(queryset=User.objects.all())
    lifecycle_stage = MultipleChoiceFilter(choices=Product.Stage.choices)
    objectives = IdsFilter(queryset=StrategicObjective.objects.all())
    member = IdFilter(queryset=User.objects.all(), field_name="memberships__user", distinct=True, label="Member")
    archived = django_filters.ChoiceFilter(
        choices=ARCHIVED_CHOICES,
        method="filter_archived",
        label="Archived",
        help_text=(
            "Archived products are left out of the list by default: `true` lists them with the others, "
            "`only` lists them alone, `false` (or no value) leaves them out."
        ),
    )
    q = TextSearchFilter("name", "description", "vision")

    class Meta:
        model = Product
        fields = ["owner", "lifecycle_stage", "objectives", "member", "archived", "q"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("archived"):  # not asked: the default list, without the archived
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def filter_archived(self, queryset, name: str, value: str):
        if value == "only":
            return queryset.filter(archived_at__isnull=False)
        if value == "true":
            return queryset
        return queryset.filter(archived_at__isnull=True)


class ThemeFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    q = TextSearchFilter("name")

    class Meta:
        model = Theme
        fields = ["product", "q"]


class ReleaseFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    status = MultipleChoiceFilter(choices=Release.Status.choices)
    target_after = django_filters.DateFilter(field_name="target_date", lookup_expr="gte")
    target_before = django_filters.DateFilter(field_name="target_date", lookup_expr="lte")
    q = TextSearchFilter("name", "description")

    class Meta:
        model = Release
        fields = ["product", "status", "target_after", "target_before", "q"]


class FeatureFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    release = IdFilter(queryset=Release.objects.all())
    theme = IdFilter(queryset=Theme.objects.all())
    owner = IdFilter(queryset=User.objects.all())
    objectives = IdsFilter(queryset=StrategicObjective.objects.all())
    objective = IdFilter(
        queryset=StrategicObjective.objects.all(), method="filter_objective", label="Strategic objective"
    )
    status = MultipleChoiceFilter(choices=Feature.Status.choices)
    horizon = MultipleChoiceFilter(choices=Feature.Horizon.choices)
    unscheduled = BooleanFilter(field_name="release", lookup_expr="isnull", label="Not in any release")
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    ends_after = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")
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
            "objective",
            "status",
            "horizon",
            "unscheduled",
            "starts_after",
            "ends_after",
            "ends_before",
            "q",
        ]

    def filter_objective(self, queryset, name, value):
        # EXISTS rather than a join: no duplicate rows, and the roadmap's per-lane window query stays one query.
        links = Feature.objectives.through.objects.filter(feature_id=OuterRef("pk"), strategicobjective_id=value.pk)
        return queryset.filter(Exists(links))


class FeedbackFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    feature = IdFilter(queryset=Feature.objects.all(), field_name="features", distinct=True, label="Linked feature")
    unlinked = BooleanFilter(field_name="features", lookup_expr="isnull", distinct=True)
    status = MultipleChoiceFilter(choices=Feedback.Status.choices)
    channel = MultipleChoiceFilter(choices=Feedback.Channel.choices)
    sentiment = MultipleChoiceFilter(choices=Feedback.Sentiment.choices)
    importance = MultipleChoiceFilter(choices=Feedback.Importance.choices)
    segment = django_filters.CharFilter(lookup_expr="iexact")
    company = django_filters.CharFilter(lookup_expr="iexact", label="Company")
    received_after = DateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = DateTimeFilter(field_name="received_at", lookup_expr="lt")
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
            "company",
            "received_after",
            "received_before",
            "q",
        ]


class CompetitorFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    threat_level = MultipleChoiceFilter(choices=Competitor.Threat.choices)
    q = TextSearchFilter("name", "positioning")

    class Meta:
        model = Competitor
        fields = ["product", "threat_level", "q"]


class MarketInsightFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    kind = MultipleChoiceFilter(choices=MarketInsight.Kind.choices)
    feature = IdFilter(queryset=Feature.objects.all(), field_name="features", distinct=True, label="Linked feature")
    segment = django_filters.CharFilter(lookup_expr="iexact")
    q = TextSearchFilter("title", "evidence")

    class Meta:
        model = MarketInsight
        fields = ["product", "kind", "feature", "segment", "q"]


class ProductMetricFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    direction = django_filters.ChoiceFilter(choices=ProductMetric.Direction.choices)
    q = TextSearchFilter("name")

    class Meta:
        model = ProductMetric
        fields = ["product", "direction", "q"]


class MetricReadingFilter(FilterSet):
    metric = IdFilter(queryset=ProductMetric.objects.all())
    product = IdFilter(field_name="metric__product", queryset=Product.objects.all())
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = MetricReading
        fields = ["metric", "product", "date_after", "date_before"]


class ProductMemberFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    user = IdFilter(queryset=User.objects.all())
    role = django_filters.ChoiceFilter(choices=ProductMember.Role.choices)
    function = django_filters.ChoiceFilter(choices=User.Function.choices)

    class Meta:
        model = ProductMember
        fields = ["product", "user", "role", "function"]
