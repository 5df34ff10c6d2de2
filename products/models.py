from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Cast, Lower, NullIf, Round
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portfolio.core.models import (
    StrategicObjective,
    TimeStampedModel,
    User,
    VersionedModel,
    check_date_range,
    date_range_constraint,
)

IMPACT_CHOICES = [
    (Decimal("0.25"), "0.25 — minimal"),
    (Decimal("0.50"), "0.5 — low"),
    (Decimal("1.00"), "1 — medium"),
    (Decimal("2.00"), "2 — high"),
    (Decimal("3.00"), "3 — massive"),
]
CONFIDENCE_CHOICES = [
    (Decimal("0.50"), "50 % — low"),
    (Decimal("0.80"), "80 % — medium"),
    (Decimal("1.00"), "100 % — high"),
]
IMPACT_VALUES = [value for value, _ in IMPACT_CHOICES]
CONFIDENCE_VALUES = [value for value, _ in CONFIDENCE_CHOICES]
IMPACT_MESSAGE = "Impact must be one of 0.25, 0.5, 1, 2 or 3."
CONFIDENCE_MESSAGE = "Confidence must be one of 0.5, 0.8 or 1.0."


class Divide(models.Func):
    """``numerator / denominator`` in decimal arithmetic on every database.

    SQLite keeps whole decimals as integers and would divide them as integers (100 / 3 = 33).
    """

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " / "
    output_field = models.DecimalField()

    def as_sqlite(self, compiler, connection, **extra_context):
        clone = self.copy()
        numerator, denominator = clone.get_source_expressions()
        clone.set_source_expressions([Cast(numerator, models.FloatField()), denominator])
        return models.Func.as_sql(clone, compiler, connection, **extra_context)


# Slugs the product pages' own addresses use (``/products/new/``): no product may take them.
RESERVED_SLUGS = frozenset({"new"})


class Product(VersionedModel):
    class Stage(models.TextChoices):
        IDEATION = "ideation", "Ideation"
        DEVELOPMENT = "development", "Development"
        GROWTH = "growth", "Growth"
        MATURITY = "maturity", "Maturity"
        SUNSET = "sunset", "Sunset"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    vision = models.TextField(blank=True)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_products")
    lifecycle_stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.IDEATION)
    objectives = models.ManyToManyField(StrategicObjective, blank=True, related_name="products")
    members = models.ManyToManyField(User, through="ProductMember", related_name="member_products")
    # Set when the product is archived: it leaves the default lists and keeps everything it holds.
    archived_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["members"])

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["lifecycle_stage"], name="product_stage"),
            # The default lists: products not archived, by name (and the archived ones apart).
            models.Index(fields=["archived_at", "name"], name="product_archived_name"),
        ]

    def clean(self) -> None:
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": "This address is taken by a page of the application; choose another."})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __str__(self) -> str:
        return self.name


class ProductMember(TimeStampedModel):
    class Role(models.TextChoices):
        EDITOR = "editor", "Editor"
        VIEWER = "viewer", "Viewer"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="product_memberships")
    function = models.CharField(max_length=20, choices=User.Function.choices, blank=True)
    role = models.CharField(max_length=6, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        ordering = ["product_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "user"],
                name="product_member_unique",
                violation_error_message="This person is already a member of the product.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) on {self.product}"


class Theme(TimeStampedModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=80)
    colour = models.CharField(
        max_length=7,
        default="#4c6ef5",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #4c6ef5.")],
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["product_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "name"],
                name="theme_unique_name_per_product",
                violation_error_message="The product already has a theme with this name.",
            )
        ]
        indexes = [models.Index(fields=["product", "position", "name"], name="theme_default_order")]

    def __str__(self) -> str:
        return self.name


RELEASED_NEEDS_DATE = "A released release needs the date it was released on."
DATE_NEEDS_RELEASED = "Only a released release has a release date: clear it or mark the release released."


class Release(VersionedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in-progress", "In progress"
        RELEASED = "released", "Released"
        CANCELLED = "cancelled", "Cancelled"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="releases")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    target_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    released_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["product_id", "target_date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "name"],
                name="release_unique_name_per_product",
                violation_error_message="The product already has a release with this name.",
            ),
            # Backs the rule of ``clean()``: a released release has its date, and only a released one.
            models.CheckConstraint(
                condition=(models.Q(status="released") & models.Q(released_on__isnull=False))
                | (~models.Q(status="released") & models.Q(released_on__isnull=True)),
                name="release_released_on_iff_released",
                violation_error_message=RELEASED_NEEDS_DATE,
            ),
        ]
        indexes = [
            models.Index(fields=["product", "target_date", "name"], name="release_default_order"),
            models.Index(fields=["status"], name="release_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # A release date goes with the released status and only with it (the services set it to today).
        if self.status == self.Status.RELEASED and self.released_on is None:
            raise ValidationError({"released_on": RELEASED_NEEDS_DATE})
        if self.status != self.Status.RELEASED and self.released_on is not None:
            raise ValidationError({"released_on": DATE_NEEDS_RELEASED})


class Feature(VersionedModel):
    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in-progress", "In progress"
        SHIPPED = "shipped", "Shipped"
        PARKED = "parked", "Parked"

    class Horizon(models.TextChoices):
        NOW = "now", "Now"
        NEXT = "next", "Next"
        LATER = "later", "Later"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="features")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDEA)
    horizon = models.CharField(max_length=5, choices=Horizon.choices, default=Horizon.LATER)
    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.SET_NULL, related_name="features")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="features")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order within its lane.")
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_features")
    objectives = models.ManyToManyField(StrategicObjective, blank=True, related_name="features")
    reach = models.PositiveIntegerField(default=0, help_text="Customers or events per quarter.")
    impact = models.DecimalField(max_digits=3, decimal_places=2, choices=IMPACT_CHOICES, default=Decimal("1.00"))
    confidence = models.DecimalField(
        max_digits=3, decimal_places=2, choices=CONFIDENCE_CHOICES, default=Decimal("0.80")
    )
    effort = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"), "Effort must be more than zero person-months.")],
        help_text="Person-months.",
    )
    # Stored and indexed by the database so lists can order by score at any size.
    rice_score = models.GeneratedField(
        expression=Round(
            Divide(
                models.F("reach") * models.F("impact") * models.F("confidence"),
                # NULL rather than a division error, so the effort check constraint refuses the row.
                NullIf(models.F("effort"), models.Value(Decimal("0"))),
            ),
            2,
        ),
        output_field=models.DecimalField(max_digits=16, decimal_places=2),
        db_persist=True,
    )
    # Linked feedback (not archived): how many items, and their importance-weighted sum. Stored, indexed and kept
    # current by the feedback services in the same transaction as the link, so lists sort by demand at any size.
    demand = models.PositiveIntegerField(default=0, editable=False, help_text="Linked feedback weighted by importance.")
    demand_count = models.PositiveIntegerField(default=0, editable=False, help_text="Number of linked feedback items.")
    history = HistoricalRecords(excluded_fields=["rice_score", "demand", "demand_count"])

    class Meta:
        ordering = ["product_id", "horizon", "position", "id"]
        constraints = [
            date_range_constraint("feature_end_after_start"),
            models.CheckConstraint(
                condition=models.Q(reach__gte=0),
                name="feature_reach_not_negative",
                violation_error_message="Reach cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__in=IMPACT_VALUES),
                name="feature_impact_rice_scale",
                violation_error_message=IMPACT_MESSAGE,
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__in=CONFIDENCE_VALUES),
                name="feature_confidence_rice_scale",
                violation_error_message=CONFIDENCE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=models.Q(effort__gt=0),
                name="feature_effort_positive",
                violation_error_message="Effort must be more than zero person-months.",
            ),
            models.CheckConstraint(
                condition=models.Q(demand__gte=models.F("demand_count")),
                name="feature_demand_at_least_count",
                violation_error_message="Demand weighs each linked item at least once.",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "horizon", "position", "id"], name="feature_default_order"),
            models.Index(fields=["product", "-rice_score"], name="feature_product_rice"),
            models.Index(fields=["product", "-demand", "-demand_count", "id"], name="feature_product_demand"),
            models.Index(fields=["product", "status"], name="feature_product_status"),
            models.Index(fields=["status"], name="feature_status"),
            models.Index(fields=["start_date", "end_date"], name="feature_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean_fields(self, exclude=None):
        # Django says "Value Decimal('0.7') is not a valid choice."; name the RICE scale instead.
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            for field, message in (("impact", IMPACT_MESSAGE), ("confidence", CONFIDENCE_MESSAGE)):
                if field in error.error_dict:
                    error.error_dict[field] = [
                        ValidationError(message, code=e.code) if e.code == "invalid_choice" else e
                        for e in error.error_dict[field]
                    ]
            raise

    def clean(self):
        errors = check_date_range(self)
        for field in ("release", "theme"):
            related = getattr(self, field)
            if related is not None and self.product_id and related.product_id != self.product_id:
                errors[field] = f"The {field} belongs to another product."
        if errors:
            raise ValidationError(errors)


class Feedback(TimeStampedModel):
    class Channel(models.TextChoices):
        INTERVIEW = "interview", "Interview"
        SUPPORT = "support", "Support"
        SURVEY = "survey", "Survey"
        SALES = "sales", "Sales"
        REVIEW = "review", "Review"
        OTHER = "other", "Other"

    class Sentiment(models.TextChoices):
        NEGATIVE = "negative", "Negative"
        NEUTRAL = "neutral", "Neutral"
        POSITIVE = "positive", "Positive"

    class Importance(models.TextChoices):
        NICE_TO_HAVE = "nice-to-have", "Nice to have"
        IMPORTANT = "important", "Important"
        CRITICAL = "critical", "Critical"

    class Status(models.TextChoices):
        NEW = "new", "New"
        TRIAGED = "triaged", "Triaged"
        LINKED = "linked", "Linked"
        ARCHIVED = "archived", "Archived"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="feedback")
    summary = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.OTHER)
    customer_name = models.CharField(max_length=120, blank=True)
    company = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    segment = models.CharField(max_length=60, blank=True)
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    importance = models.CharField(max_length=12, choices=Importance.choices, default=Importance.NICE_TO_HAVE)
    received_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    features = models.ManyToManyField(Feature, blank=True, related_name="feedback")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="feedback_default_order"),
            models.Index(fields=["product", "status", "-received_at"], name="feedback_inbox"),
            models.Index(fields=["product", "-received_at", "-id"], name="feedback_product_order"),
            models.Index(fields=["status"], name="feedback_status"),
        ]

    def __str__(self) -> str:
        return self.summary


class Competitor(TimeStampedModel):
    class Threat(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    positioning = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    weaknesses = models.TextField(blank=True)
    pricing = models.CharField(max_length=200, blank=True)
    threat_level = models.CharField(max_length=6, choices=Threat.choices, default=Threat.MEDIUM)

    class Meta:
        ordering = ["product_id", "name"]
        constraints = [
            # "Zapflow" and "zapflow" are one competitor: the name is unique per product whatever its case.
            models.UniqueConstraint(
                "product",
                Lower("name"),
                name="competitor_unique_name_per_product",
                violation_error_message="This competitor is already listed for the product.",
            )
        ]
        indexes = [
            models.Index(fields=["threat_level"], name="competitor_threat"),
            # The default order; the unique constraint is on the lower-cased name, which this order cannot use.
            models.Index(fields=["product", "name"], name="competitor_default_order"),
        ]

    def __str__(self) -> str:
        return self.name


class MarketInsight(TimeStampedModel):
    class Kind(models.TextChoices):
        OPPORTUNITY = "opportunity", "Opportunity"
        TREND = "trend", "Trend"
        THREAT = "threat", "Threat"
        CUSTOMER_NEED = "customer-need", "Customer need"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="insights")
    kind = models.CharField(max_length=13, choices=Kind.choices)
    title = models.CharField(max_length=200)
    segment = models.CharField(max_length=60, blank=True)
    evidence = models.TextField(blank=True)
    estimated_value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "The estimated value cannot be negative.")],
    )
    features = models.ManyToManyField(Feature, blank=True, related_name="insights")

    class Meta:
        ordering = ["product_id", "kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_value__gte=0) | models.Q(estimated_value__isnull=True),
                name="insight_value_not_negative",
                violation_error_message="The estimated value cannot be negative.",
            )
        ]
        indexes = [
            models.Index(fields=["kind"], name="insight_kind"),
            models.Index(fields=["product", "kind", "title"], name="insight_default_order"),
        ]

    def __str__(self) -> str:
        return self.title


class ProductMetric(TimeStampedModel):
    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=30, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)

    class Meta:
        ordering = ["product_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "name"],
                name="metric_unique_name_per_product",
                violation_error_message="The product already has a metric with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


READING_IN_FUTURE = "A reading records a measurement already made: date it today or earlier."


class MetricReading(TimeStampedModel):
    metric = models.ForeignKey(ProductMetric, on_delete=models.CASCADE, related_name="readings")
    date = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["metric_id", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "date"],
                name="metric_reading_unique_per_date",
                violation_error_message="The metric already has a reading for this date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric}: {self.value} on {self.date}"

    def clean(self):
        # A reading records what was measured: one dated ahead would become the KPI's "latest" value.
        if self.date is not None and self.date > timezone.localdate():
            raise ValidationError({"date": READING_IN_FUTURE})
