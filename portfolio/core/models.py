from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    """Base for every model: creation and last-change times."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Base for editable planning objects: ``version`` guards against lost updates."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class User(AbstractUser):
    class Function(models.TextChoices):
        PRODUCT = "product", "Product management"
        PROGRAM = "program", "Program management"
        ENGINEERING = "engineering", "Engineering"
        DESIGN = "design", "Design"
        MARKETING = "marketing", "Marketing"
        SALES = "sales", "Sales"
        SUPPORT = "support", "Support"
        LEADERSHIP = "leadership", "Leadership"
        OPERATIONS = "operations", "Operations"

    email = models.EmailField("email address", unique=True)
    title = models.CharField(max_length=120, blank=True)
    function = models.CharField(max_length=20, choices=Function.choices, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles(self) -> list[str]:
        """Names of the role groups the user belongs to (uses prefetched groups when present)."""
        return sorted(group.name for group in self.groups.all())


def date_range_constraint(name: str, start: str = "start_date", end: str = "end_date") -> models.CheckConstraint:
    """End on or after start (either may be empty)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=END_BEFORE_START,
    )


def range_constraint(name: str, field: str, low, high, message: str, nullable: bool = False) -> models.CheckConstraint:
    condition = models.Q(**{f"{field}__gte": low, f"{field}__lte": high})
    if nullable:
        condition |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def check_date_range(instance, start: str = "start_date", end: str = "end_date") -> dict[str, str]:
    """Field errors for an end date before its start date (for ``clean()``)."""
    start_value, end_value = getattr(instance, start), getattr(instance, end)
    if start_value and end_value and end_value < start_value:
        return {end: END_BEFORE_START}
    return {}


END_BEFORE_START = "The end date must be on or after the start date."


class StrategicObjective(VersionedModel):
    class Status(models.TextChoices):
        ON_TRACK = "on-track", "On track"
        AT_RISK = "at-risk", "At risk"
        OFF_TRACK = "off-track", "Off track"
        ACHIEVED = "achieved", "Achieved"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="objectives")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    start_date = models.DateField()
    end_date = models.DateField()
    weight = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How much the objective counts, 1 (least) to 5 (most).",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ON_TRACK)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-weight", "title"]
        constraints = [
            date_range_constraint("objective_end_after_start"),
            range_constraint("objective_weight_1_to_5", "weight", 1, 5, "Weight must be between 1 and 5."),
        ]
        indexes = [
            models.Index(fields=["-weight", "title"], name="objective_default_order"),
            models.Index(fields=["status"], name="objective_status"),
            models.Index(fields=["start_date", "end_date"], name="objective_period"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = check_date_range(self)
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = "An objective cannot be its own parent."
        if errors:
            raise ValidationError(errors)


class KeyResult(TimeStampedModel):
    objective = models.ForeignKey(StrategicObjective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=200)
    unit = models.CharField(max_length=30, blank=True, help_text="For example %, €, users.")
    start_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    target_value = models.DecimalField(max_digits=14, decimal_places=2)
    current_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["objective_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(target_value=models.F("start_value")),
                name="key_result_target_differs_from_start",
                violation_error_message="The target must differ from the start value.",
            ),
        ]
        indexes = [models.Index(fields=["objective", "id"], name="key_result_default_order")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.target_value is not None and self.start_value is not None and self.target_value == self.start_value:
            raise ValidationError({"target_value": "The target must differ from the start value."})

    @property
    def progress(self) -> int:
        """Progress from start to target in percent, 0–100 (works for falling targets too)."""
        span = self.target_value - self.start_value
        if not span:
            return 0
        ratio = (self.current_value - self.start_value) / span
        return int(max(0, min(1, ratio)) * 100)
