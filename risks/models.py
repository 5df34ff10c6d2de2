from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from simple_history.models import HistoricalRecords

from portfolio.core.models import TimeStampedModel, User, VersionedModel, range_constraint
from products.models import Product
from programs.models import Program, Project

SCALE_MESSAGE = "Use a value from 1 (lowest) to 5 (highest)."
SCALE = [MinValueValidator(1, SCALE_MESSAGE), MaxValueValidator(5, SCALE_MESSAGE)]
SCOPE_FIELDS = ("project", "program", "product")
ONE_SCOPE_MESSAGE = "A risk belongs to exactly one project, program or product."
CLOSING_NOTE_MESSAGE = "Say why the risk is closed: a closed risk needs a closing note and the time it was closed."


class Risk(VersionedModel):
    class Kind(models.TextChoices):
        RISK = "risk", "Risk"
        ISSUE = "issue", "Issue"
        ASSUMPTION = "assumption", "Assumption"
        DEPENDENCY = "dependency", "Dependency"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATING = "mitigating", "Mitigating"
        CLOSED = "closed", "Closed"
        OCCURRED = "occurred", "Occurred"

    class Response(models.TextChoices):
        AVOID = "avoid", "Avoid"
        MITIGATE = "mitigate", "Mitigate"
        TRANSFER = "transfer", "Transfer"
        ACCEPT = "accept", "Accept"

    class Category(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        BUDGET = "budget", "Budget"
        SCOPE = "scope", "Scope"
        RESOURCING = "resourcing", "Resourcing"
        TECHNICAL = "technical", "Technical"
        SECURITY = "security", "Security"
        COMPLIANCE = "compliance", "Compliance"
        MARKET = "market", "Market"
        VENDOR = "vendor", "Vendor"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RISK)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.SCHEDULE)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="risks")
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.CASCADE, related_name="risks")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="risks")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_risks")
    probability = models.PositiveSmallIntegerField(validators=SCALE)
    impact = models.PositiveSmallIntegerField(validators=SCALE)
    # Stored by the database so the register can sort and filter by score at any size.
    score = models.GeneratedField(
        expression=models.F("probability") * models.F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.CharField(max_length=8, choices=Response.choices, default=Response.MITIGATE)
    trigger = models.CharField(max_length=250, blank=True, help_text="What tells us the risk is happening.")
    review_date = models.DateField(null=True, blank=True)
    residual_probability = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True, help_text="Why the risk was closed (required to close it).")
    history = HistoricalRecords(excluded_fields=["score"])

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            range_constraint("risk_probability_1_to_5", "probability", 1, 5, SCALE_MESSAGE),
            range_constraint("risk_impact_1_to_5", "impact", 1, 5, SCALE_MESSAGE),
            range_constraint("risk_residual_probability_1_to_5", "residual_probability", 1, 5, SCALE_MESSAGE, True),
            range_constraint("risk_residual_impact_1_to_5", "residual_impact", 1, 5, SCALE_MESSAGE, True),
            models.CheckConstraint(
                condition=(
                    models.Q(project__isnull=False, program__isnull=True, product__isnull=True)
                    | models.Q(project__isnull=True, program__isnull=False, product__isnull=True)
                    | models.Q(project__isnull=True, program__isnull=True, product__isnull=False)
                ),
                name="risk_exactly_one_scope",
                violation_error_message=ONE_SCOPE_MESSAGE,
            ),
            # Closing is a decision someone can explain later: no closed risk without its note and time.
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | models.Q(
                    models.Q(closed_at__isnull=False),
                    GreaterThan(Length(Trim("closing_note")), 0),
                ),
                name="risk_closed_has_note",
                violation_error_message=CLOSING_NOTE_MESSAGE,
            ),
        ]
        indexes = [
            models.Index(fields=["-score", "id"], name="risk_default_order"),
            models.Index(fields=["status", "-score"], name="risk_status_score"),
            models.Index(fields=["kind"], name="risk_kind"),
            models.Index(fields=["review_date"], name="risk_review_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        scopes = [field for field in SCOPE_FIELDS if getattr(self, f"{field}_id")]
        if len(scopes) != 1:
            raise ValidationError({(scopes[1] if len(scopes) > 1 else "project"): ONE_SCOPE_MESSAGE})
        if self.status == self.Status.CLOSED and (self.closed_at is None or not self.closing_note.strip()):
            raise ValidationError({"closing_note": CLOSING_NOTE_MESSAGE})

    @property
    def scope(self):
        """The project, program or product the risk hangs on."""
        return self.project or self.program or self.product


class MitigationAction(TimeStampedModel):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=250)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="mitigation_actions")
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["risk_id", "due_date", "id"]
        indexes = [
            models.Index(fields=["risk", "due_date", "id"], name="mitigation_default_order"),
            models.Index(fields=["due_date", "done_at"], name="mitigation_due"),
        ]

    def __str__(self) -> str:
        return self.description
