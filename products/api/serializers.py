"""Serializers of the products collections; derived figures are read-only."""

import re
from decimal import Decimal

from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.fields import empty

from portfolio.core.api.fields import (
    INT32_MAX,
    TIMESTAMPS,
    DecimalChoiceField,
    IdRelatedField,
    PositiveDecimalField,
    StrictCharField,
    StrictIntegerField,
    VersionField,
)
from portfolio.core.models import StrategicObjective, User
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
            "archived_at",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["archived_at", "version"]
        extra_kwargs = {"archived_at": {"help_text": "When the product was archived; null while it is not."}}


SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class SlugTextField(StrictCharField):
    """A slug (letters, digits, hyphens, underscores) as a JSON string; an empty one is made from the name."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(SLUG_PATTERN, "Use only letters, digits, hyphens and underscores."))
        schema = {"type": "string", "pattern": "^[-a-zA-Z0-9_]*$" if self.allow_blank else SLUG_PATTERN}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        self._spectacular_annotation = {"field": schema}

    def run_validation(self, data=empty):
        if data == "" and self.allow_blank:
            return ""  # blank: the service makes the slug from the name
        return super().run_validation(data)


class ProductUpdateSerializer(serializers.Serializer):
    """What a product's edit takes (shape only: the rules and the model's checks are the service's)."""

    name = StrictCharField(max_length=120)
    slug = SlugTextField(
        max_length=140, allow_blank=True, required=False, help_text="Its address; empty: made from the name."
    )
    description = StrictCharField(allow_blank=True, required=False)
    vision = StrictCharField(allow_blank=True, required=False)
    owner = IdRelatedField(
        queryset=User.objects.all(),
        required=False,
        help_text="Handing the product over: only its owner (or an administrator) may change it.",
    )
    lifecycle_stage = serializers.ChoiceField(choices=Product.Stage.choices, required=False)
    objectives = IdRelatedField(queryset=StrategicObjective.objects.all(), many=True, required=False)
    version = VersionField()


class ProductCreateSerializer(ProductUpdateSerializer):
    """What a new product takes: no version (it starts at 1); left out, the owner is whoever creates it."""

    owner = IdRelatedField(
        queryset=User.objects.all(),
        required=False,
        help_text="Left out: whoever creates the product owns it. Naming someone else is for administrators.",
    )
    version = None


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


class FeatureUpdateSerializer(serializers.Serializer):
    """What a feature's edit takes (shape only: the rules and the model's checks are the service's)."""

    title = StrictCharField(max_length=200)
    description = StrictCharField(allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=Feature.Status.choices, required=False)
    horizon = serializers.ChoiceField(choices=Feature.Horizon.choices, required=False)
    release = IdRelatedField(queryset=Release.objects.all(), allow_null=True, required=False)
    theme = IdRelatedField(queryset=Theme.objects.all(), allow_null=True, required=False)
    start_date = serializers.DateField(allow_null=True, required=False)
    end_date = serializers.DateField(allow_null=True, required=False)
    position = StrictIntegerField(min_value=0, max_value=INT32_MAX, required=False, help_text="Order within its lane.")
    owner = IdRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    objectives = IdRelatedField(queryset=StrategicObjective.objects.all(), many=True, required=False)
    reach = StrictIntegerField(
        min_value=0, max_value=INT32_MAX, required=False, help_text="Customers or events per quarter."
    )
    impact = DecimalChoiceField(IMPACT_VALUES, IMPACT_MESSAGE, required=False)
    confidence = DecimalChoiceField(CONFIDENCE_VALUES, CONFIDENCE_MESSAGE, required=False)
    effort = PositiveDecimalField(max_digits=6, decimal_places=2, required=False, help_text="Person-months.")
    version = VersionField()


class FeatureCreateSerializer(FeatureUpdateSerializer):
    """What a new feature takes: its product, and no version (it starts at 1)."""

    product = IdRelatedField(queryset=Product.objects.all())
    version = None


class FeatureMoveSerializer(serializers.Serializer):
    """Where a feature goes on the roadmap; what is left out stays as it is."""

    horizon = serializers.ChoiceField(choices=Feature.Horizon.choices, required=False)
    release = IdRelatedField(queryset=Release.objects.all(), allow_null=True, required=False)
    theme = IdRelatedField(queryset=Theme.objects.all(), allow_null=True, required=False)
    start_date = serializers.DateField(allow_null=True, required=False)
    end_date = serializers.DateField(allow_null=True, required=False)
    position = StrictIntegerField(
        min_value=0,
        max_value=INT32_MAX,
        required=False,
        help_text="The new position in the lane, chosen between the neighbours' (positions are spaced).",
    )
    version = VersionField()


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


class FeedbackUpdateSerializer(serializers.Serializer):
    """What a feedback item's change takes (shape only: the rules and the model's checks are the service's).

    ``features`` replaces its links (features of its own product only); the status follows the links: an item
    with links is ``linked``, one without is ``new``, ``triaged`` or ``archived`` as given.
    """

    summary = StrictCharField(max_length=200)
    body = StrictCharField(allow_blank=True, required=False)
    channel = serializers.ChoiceField(choices=Feedback.Channel.choices, required=False)
    customer_name = StrictCharField(max_length=120, allow_blank=True, required=False)
    company = StrictCharField(max_length=120, allow_blank=True, required=False)
    email = serializers.EmailField(max_length=254, allow_blank=True, required=False)
    segment = StrictCharField(max_length=60, allow_blank=True, required=False)
    sentiment = serializers.ChoiceField(choices=Feedback.Sentiment.choices, required=False)
    importance = serializers.ChoiceField(
        choices=Feedback.Importance.choices,
        required=False,
        help_text="Weighs the item in the demand of the features it is linked to: 1, 2 or 3.",
    )
    received_at = serializers.DateTimeField(required=False, help_text="Left out on a create: now.")
    status = serializers.ChoiceField(
        choices=Feedback.Status.choices,
        required=False,
        help_text="Archived items leave the inbox and do not count towards demand; `linked` follows the links.",
    )
    features = IdRelatedField(
        queryset=Feature.objects.all(),
        many=True,
        required=False,
        help_text="The features it asks for (its product's only); replaces the links.",
    )


class FeedbackCreateSerializer(FeedbackUpdateSerializer):
    """What a new feedback item takes: its product."""

    product = IdRelatedField(queryset=Product.objects.all())


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


# --- A product's members, themes and releases ------------------------------------------------------

COLOUR_PATTERN = "^#[0-9a-fA-F]{6}$"
COLOUR_MESSAGE = "Use a colour like #4c6ef5."


class ColourField(StrictCharField):
    """A colour as a JSON string ``#rrggbb``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The lane's colour on the roadmap, as #rrggbb.")
        super().__init__(max_length=7, **kwargs)
        self.validators.append(RegexValidator(COLOUR_PATTERN, COLOUR_MESSAGE))
        self._spectacular_annotation = {"field": {"type": "string", "pattern": COLOUR_PATTERN}}


class MemberSerializer(serializers.ModelSerializer):
    """A membership of a product's team."""

    name = serializers.CharField(source="user.__str__", read_only=True, help_text="The member's name.")

    class Meta:
        model = ProductMember
        fields = ["id", "product", "user", "name", "function", "role", *TIMESTAMPS]


class MemberUpdateSerializer(serializers.Serializer):
    """What a member's change takes: their role and function on the product's team."""

    role = serializers.ChoiceField(choices=ProductMember.Role.choices)
    function = serializers.ChoiceField(choices=User.Function.choices, allow_blank=True, required=False)


class MemberCreateSerializer(MemberUpdateSerializer):
    """Who joins which product's team; a viewer in their own function unless told (the owner an editor)."""

    product = IdRelatedField(queryset=Product.objects.all())
    user = IdRelatedField(queryset=User.objects.all())
    role = serializers.ChoiceField(choices=ProductMember.Role.choices, required=False)


class ThemeUpdateSerializer(serializers.Serializer):
    """What a theme's change takes: its name, colour and position among the product's lanes."""

    name = StrictCharField(max_length=80)
    colour = ColourField(required=False)
    position = StrictIntegerField(
        min_value=0, max_value=INT32_MAX, required=False, help_text="Order among the product's themes."
    )


class ThemeCreateSerializer(ThemeUpdateSerializer):
    """What a new theme takes: its product (placed after its last theme unless a position is given)."""

    product = IdRelatedField(queryset=Product.objects.all())


class ReleaseUpdateSerializer(serializers.Serializer):
    """What a release's change takes; marked released without a date, it is dated today."""

    name = StrictCharField(max_length=80)
    description = StrictCharField(allow_blank=True, required=False)
    target_date = serializers.DateField()
    status = serializers.ChoiceField(choices=Release.Status.choices, required=False)
    released_on = serializers.DateField(
        allow_null=True, required=False, help_text="When it was released; only a released release has one."
    )
    version = VersionField()


class ReleaseCreateSerializer(ReleaseUpdateSerializer):
    """What a new release takes: its product, and no version (it starts at 1)."""

    product = IdRelatedField(queryset=Product.objects.all())
    version = None


# --- Market analysis: competitors and insights ------------------------------------------------------

# A web address Django's URL check takes: http(s), a host name with a top-level domain, an optional path.
# A subset of what the check takes, so that every address the schema describes is accepted (no look-ahead: the
# fuzzer's regular expressions lack it).
WEBSITE_PATTERN = (
    r"^(?:https?://[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"\.[a-z]{2,63}(?:/(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*)?)?$"
)
WEBSITE_MESSAGE = "Enter a web address like https://example.com/pricing (or leave it empty)."


class WebsiteField(StrictCharField):
    """A competitor's website as a JSON string ``https://…``, or an empty string for none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Its website, http:// or https://; empty for none.")
        super().__init__(max_length=200, allow_blank=True, **kwargs)
        self.validators.append(RegexValidator(WEBSITE_PATTERN, WEBSITE_MESSAGE))
        self._spectacular_annotation = {"field": {"type": "string", "pattern": WEBSITE_PATTERN, "maxLength": 200}}

    def run_validation(self, data=empty):
        if data == "":
            return ""
        return super().run_validation(data)


class StringDecimalField(serializers.DecimalField):
    """A decimal as a JSON string of digits (``"42.5"``, ``"-12.5"`` when ``signed``) within its digits, or null.

    The schema states the pattern, so a number, ``"1e3"`` or ``""`` is a 400 rather than a guess.
    """

    def __init__(self, *, max_digits: int, decimal_places: int, signed: bool = True, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        whole = max_digits - decimal_places
        sign = "-?" if signed else ""
        self.pattern = re.compile(rf"^{sign}(?:0|[1-9][0-9]{{0,{whole - 1}}})(?:\.[0-9]{{1,{decimal_places}}})?$")
        schema = {"type": "string", "format": "decimal", "pattern": self.pattern.pattern}
        if self.allow_null:
            schema["nullable"] = True
        self._spectacular_annotation = {"field": schema}
        what = "a number" if signed else "an amount of zero or more"
        self.error_messages["invalid"] = (
            f'Enter {what} as a string like "42.5", with at most {whole} digits before the point '
            f"and {decimal_places} after."
        )

    def validate_empty_values(self, data):
        if data == "":  # DRF would read "" as null where null is allowed; the schema says digits or null
            self.fail("invalid")
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.pattern.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class CompetitorUpdateSerializer(serializers.Serializer):
    """What a competitor's change takes (shape only: the rules and the model's checks are the service's)."""

    name = StrictCharField(max_length=120, help_text="Unique in the product, whatever its case.")
    website = WebsiteField(required=False)
    positioning = StrictCharField(allow_blank=True, required=False, help_text="Who it sells to, and its promise.")
    strengths = StrictCharField(allow_blank=True, required=False)
    weaknesses = StrictCharField(allow_blank=True, required=False)
    pricing = StrictCharField(max_length=200, allow_blank=True, required=False)
    threat_level = serializers.ChoiceField(choices=Competitor.Threat.choices, required=False)


class CompetitorCreateSerializer(CompetitorUpdateSerializer):
    """What a new competitor takes: its product too (medium threat unless told)."""

    product = IdRelatedField(queryset=Product.objects.all())


class MarketInsightUpdateSerializer(serializers.Serializer):
    """What an insight's change takes; ``features``, when given, replace its links (features of its product)."""

    kind = serializers.ChoiceField(choices=MarketInsight.Kind.choices)
    title = StrictCharField(max_length=200)
    segment = StrictCharField(max_length=60, allow_blank=True, required=False, help_text="e.g. Enterprise, SMB.")
    evidence = StrictCharField(allow_blank=True, required=False)
    estimated_value = StringDecimalField(
        max_digits=14,
        decimal_places=2,
        signed=False,
        allow_null=True,
        required=False,
        help_text="What it is worth a year (€), as a string; null when not estimated.",
    )
    features = IdRelatedField(
        queryset=Feature.objects.all(),
        many=True,
        required=False,
        help_text="Ids of features of the insight's product; another product's is a 400 on this field.",
    )


class MarketInsightCreateSerializer(MarketInsightUpdateSerializer):
    """What a new insight takes: its product too."""

    product = IdRelatedField(queryset=Product.objects.all())


# --- Product metrics: KPIs and readings ----------------------------------------------------------------


class MetricUpdateSerializer(serializers.Serializer):
    """What a KPI's change takes: its name, unit, target (null for none) and direction."""

    name = StrictCharField(max_length=120)
    unit = StrictCharField(max_length=30, allow_blank=True, required=False, help_text="E.g. %, accounts, ms.")
    target = StringDecimalField(
        max_digits=14, decimal_places=2, allow_null=True, required=False, help_text="The value to reach; null: none."
    )
    direction = serializers.ChoiceField(
        choices=ProductMetric.Direction.choices,
        required=False,
        help_text="higher: on target at or above the target; lower: at or below it.",
    )


class MetricCreateSerializer(MetricUpdateSerializer):
    """What a new KPI takes: its product too."""

    product = IdRelatedField(queryset=Product.objects.all())


class ReadingUpdateSerializer(serializers.Serializer):
    """What a reading's change takes: its date and value (one reading per KPI and date)."""

    date = serializers.DateField()
    value = StringDecimalField(max_digits=14, decimal_places=2)


class ReadingCreateSerializer(ReadingUpdateSerializer):
    """What a new reading takes: the KPI it is of too."""

    metric = IdRelatedField(queryset=ProductMetric.objects.all(), help_text="The KPI; one of a product you edit.")
