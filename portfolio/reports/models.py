from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Cast, Concat

from portfolio.core.models import TimeStampedModel, User, check_date_range, range_constraint
from products.models import Product
from programs.models import Portfolio, Program

AT_MOST_ONE_SCOPE = "Choose at most one of portfolio, program or product (none means the whole organisation)."
REPORT_SCOPES = ("portfolio", "program", "product")


def check_at_most_one_scope(instance) -> dict[str, str]:
    """Field error on the second scope chosen, if more than one is (for ``clean()``)."""
    scopes = [field for field in REPORT_SCOPES if getattr(instance, f"{field}_id")]
    return {scopes[1]: AT_MOST_ONE_SCOPE} if len(scopes) > 1 else {}


# Rules between a subscription's fields, which a schema cannot state.
WEEKDAY_NEEDED = "Weekly reports need a weekday."
DAY_OF_MONTH_NEEDED = "Monthly reports need a day of the month."


def scope_key_expression() -> models.Expression:
    """``organisation``, or ``portfolio:<id>``, ``program:<id>``, ``product:<id>``: the key derived from the scope."""
    return models.Case(
        *(
            models.When(
                **{f"{field}__isnull": False},
                then=Concat(models.Value(f"{field}:"), Cast(f"{field}_id", models.CharField(max_length=20))),
            )
            for field in REPORT_SCOPES
        ),
        default=models.Value("organisation"),
        output_field=models.CharField(max_length=40),
    )


def at_most_one_scope(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            models.Q(portfolio__isnull=True, program__isnull=True)
            | models.Q(portfolio__isnull=True, product__isnull=True)
            | models.Q(program__isnull=True, product__isnull=True)
        ),
        name=name,
        violation_error_message=AT_MOST_ONE_SCOPE,
    )


class ReportSubscription(TimeStampedModel):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="report_subscriptions")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=7, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Use a day from 1 to 28."), MaxValueValidator(28, "Use a day from 1 to 28.")],
        help_text="1–28, so every month has the day.",
    )
    hour = models.PositiveSmallIntegerField(
        default=8,
        validators=[
            MinValueValidator(0, "Use an hour from 0 to 23."),
            MaxValueValidator(23, "Use an hour from 0 to 23."),
        ],
    )
    active = models.BooleanField(default=True)
    next_due_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The next slot of the schedule; the planner sends what is due."
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["recipient_id", "id"]
        constraints = [
            at_most_one_scope("subscription_at_most_one_scope"),
            range_constraint("subscription_hour_0_to_23", "hour", 0, 23, "Use an hour from 0 to 23."),
            range_constraint("subscription_day_1_to_28", "day_of_month", 1, 28, "Use a day from 1 to 28.", True),
            range_constraint("subscription_weekday_0_to_6", "weekday", 0, 6, "Choose a weekday.", True),
            models.CheckConstraint(
                condition=models.Q(frequency="weekly", weekday__isnull=False)
                | models.Q(frequency="monthly", day_of_month__isnull=False),
                name="subscription_schedule_complete",
                violation_error_message="Weekly reports need a weekday; monthly reports need a day of the month.",
            ),
        ]
        indexes = [
            models.Index(fields=["active", "frequency"], name="subscription_due"),
            models.Index(fields=["recipient", "id"], name="subscription_default_order"),
            # "What is due now" is one range scan: the planner asks for active rows with next_due_at <= now.
            models.Index(fields=["active", "next_due_at"], name="subscription_next_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} report on {self.scope_label} for {self.recipient}"

    @property
    def scope(self):
        return self.portfolio or self.program or self.product

    @property
    def scope_label(self) -> str:
        scope = self.scope
        return str(scope) if scope else "the whole organisation"

    @property
    def unsubscribe_token(self) -> str:
        """The signed token of the subscription's one-click unsubscribe link."""
        from portfolio.reports.rendering import unsubscribe_token  # rendering reads these models

        return unsubscribe_token(self.pk)

    def clean(self):
        errors = check_at_most_one_scope(self)
        if self.frequency == self.Frequency.WEEKLY and self.weekday is None:
            errors["weekday"] = WEEKDAY_NEEDED
        if self.frequency == self.Frequency.MONTHLY and self.day_of_month is None:
            errors["day_of_month"] = DAY_OF_MONTH_NEEDED
        if errors:
            raise ValidationError(errors)


class StakeholderReport(TimeStampedModel):
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Derived by the database from the foreign keys, so two reports of one scope and period cannot exist.
    scope_key = models.GeneratedField(
        expression=scope_key_expression(),
        output_field=models.CharField(max_length=40),
        db_persist=True,
        help_text='"organisation", or "portfolio:<id>", "program:<id>", "product:<id>".',
    )
    period_key = models.CharField(max_length=10, help_text="For example 2026-W48 or 2026-11.")
    period_start = models.DateField()
    period_end = models.DateField()
    generated_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    pdf = models.BinaryField(blank=True, editable=False)

    class Meta:
        ordering = ["-period_end", "scope_key"]
        constraints = [
            at_most_one_scope("report_at_most_one_scope"),
            models.UniqueConstraint(
                fields=["scope_key", "period_key"],
                name="report_one_per_scope_and_period",
                violation_error_message="A report for this scope and period already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_end_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]
        indexes = [
            models.Index(fields=["-period_end", "scope_key"], name="report_default_order"),
            models.Index(fields=["period_start", "period_end"], name="report_period"),
        ]

    def __str__(self) -> str:
        return f"{self.scope_label} {self.period_key}"

    @property
    def scope(self):
        return self.portfolio or self.program or self.product

    @property
    def scope_label(self) -> str:
        scope = self.scope
        return str(scope) if scope else "the whole organisation"

    def clean(self):
        if errors := check_at_most_one_scope(self) | check_date_range(self, "period_start", "period_end"):
            raise ValidationError(errors)


class ReportDelivery(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(ReportSubscription, on_delete=models.CASCADE, related_name="deliveries")
    report = models.ForeignKey(StakeholderReport, on_delete=models.CASCADE, related_name="deliveries")
    period_key = models.CharField(max_length=10, editable=False, help_text="Copied from the report.")
    recipient_email = models.EmailField()
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a sender took it (status sending).")
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="Not sent before this (backoff).")
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "report deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_key"],
                name="delivery_one_per_subscription_and_period",
                violation_error_message="This subscription already has a delivery for the period.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(claimed_at__isnull=False),
                name="delivery_sending_has_claim_time",
                violation_error_message="A delivery being sent has the time it was claimed.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="delivery_sent_has_sent_at",
                violation_error_message="A sent delivery has the time it was sent.",
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="delivery_default_order"),
            models.Index(fields=["status"], name="delivery_status"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.report} to {self.recipient_email} ({self.status})"

    def clean(self):
        if self.report_id and self.period_key != self.report.period_key:
            raise ValidationError({"period_key": "A delivery's period is its report's."})
