from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from portfolio.core.models import (
    StrategicObjective,
    TimeStampedModel,
    User,
    VersionedModel,
    check_date_range,
    date_range_constraint,
    range_constraint,
)
from products.models import Feature, Product

NOT_NEGATIVE = [MinValueValidator(0, "This cannot be negative.")]
WSJF_VALIDATORS = [MinValueValidator(1, "Use a value of 1 or more.")]
PERCENT_VALIDATORS = [
    MinValueValidator(1, "Percent must be between 1 and 100."),
    MaxValueValidator(100, "Percent must be between 1 and 100."),
]


def not_negative(name: str, field: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0}), name=name, violation_error_message=f"{label} cannot be negative."
    )


class RAG(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


ARCHIVED_HELP = "When it was archived: it leaves the default lists and keeps all it holds. Empty while it is not."


# Health as a number, so the database can take the worst of several colours and sort by it.
RAG_BY_RANK = (RAG.GREEN.value, RAG.AMBER.value, RAG.RED.value)


class Portfolio(VersionedModel):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_portfolios")
    fiscal_year = models.PositiveSmallIntegerField(help_text="The year the budget is for.")
    budget = models.DecimalField(max_digits=14, decimal_places=2, default=0, validators=NOT_NEGATIVE)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False, help_text=ARCHIVED_HELP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [not_negative("portfolio_budget_not_negative", "budget", "Budget")]

    def __str__(self) -> str:
        return self.name


class Program(VersionedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        ON_HOLD = "on-hold", "On hold"
        COMPLETED = "completed", "Completed"

    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="managed_programs")
    objectives = models.ManyToManyField(StrategicObjective, blank=True, related_name="programs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    budget = models.DecimalField(max_digits=14, decimal_places=2, default=0, validators=NOT_NEGATIVE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False, help_text=ARCHIVED_HELP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["portfolio_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "name"],
                name="program_unique_name_per_portfolio",
                violation_error_message="The portfolio already has a program with this name.",
            ),
            not_negative("program_budget_not_negative", "budget", "Budget"),
            date_range_constraint("program_end_after_start"),
        ]
        indexes = [
            models.Index(fields=["status"], name="program_status"),
            models.Index(fields=["start_date", "end_date"], name="program_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if errors := check_date_range(self):
            raise ValidationError(errors)


class Project(VersionedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        ACTIVE = "active", "Active"
        ON_HOLD = "on-hold", "On hold"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="managed_projects")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects")
    features = models.ManyToManyField(Feature, blank=True, related_name="projects")
    objectives = models.ManyToManyField(StrategicObjective, through="ProjectObjective", related_name="projects")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    start_date = models.DateField()
    end_date = models.DateField()
    budget = models.DecimalField(max_digits=14, decimal_places=2, default=0, validators=NOT_NEGATIVE)
    health_override = models.CharField(
        max_length=5, choices=RAG.choices, blank=True, help_text="Leave empty to derive health from the project's data."
    )
    business_value = models.PositiveSmallIntegerField(default=1, validators=WSJF_VALIDATORS)
    time_criticality = models.PositiveSmallIntegerField(default=1, validators=WSJF_VALIDATORS)
    risk_reduction = models.PositiveSmallIntegerField(default=1, validators=WSJF_VALIDATORS)
    job_size = models.PositiveSmallIntegerField(default=1, validators=WSJF_VALIDATORS)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False, help_text=ARCHIVED_HELP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="project_unique_name_per_program",
                violation_error_message="The program already has a project with this name.",
            ),
            date_range_constraint("project_end_after_start"),
            not_negative("project_budget_not_negative", "budget", "Budget"),
            models.CheckConstraint(
                condition=models.Q(
                    business_value__gte=1, time_criticality__gte=1, risk_reduction__gte=1, job_size__gte=1
                ),
                name="project_wsjf_inputs_at_least_1",
                violation_error_message="WSJF inputs must be 1 or more.",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="project_status"),
            models.Index(fields=["start_date", "end_date"], name="project_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if errors := check_date_range(self):
            raise ValidationError(errors)

    # The colours of the ranks that ``programs.selectors.with_health`` annotates (without them, an AttributeError).
    @property
    def health(self) -> str:
        return RAG_BY_RANK[self.health_rank]

    @property
    def health_schedule(self) -> str:
        return RAG_BY_RANK[self.schedule_rank]

    @property
    def health_budget(self) -> str:
        return RAG_BY_RANK[self.budget_rank]

    @property
    def health_risk(self) -> str:
        return RAG_BY_RANK[self.risk_rank]


class ProjectObjective(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="alignments")
    objective = models.ForeignKey(StrategicObjective, on_delete=models.CASCADE, related_name="alignments")
    contribution = models.PositiveSmallIntegerField(
        default=2,
        validators=[
            MinValueValidator(1, "Contribution must be 1, 2 or 3."),
            MaxValueValidator(3, "Contribution must be 1, 2 or 3."),
        ],
        help_text="1 = some, 2 = strong, 3 = essential.",
    )

    class Meta:
        ordering = ["project_id", "objective_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "objective"],
                name="project_objective_unique",
                violation_error_message="The project is already aligned to this objective.",
            ),
            range_constraint(
                "project_objective_contribution_1_to_3", "contribution", 1, 3, "Contribution must be 1, 2 or 3."
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.objective} ({self.contribution})"


class Milestone(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=160)
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    is_key = models.BooleanField(default=False, help_text="Shown to leadership in reports.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "due_date", "id"]
        indexes = [
            models.Index(fields=["project", "due_date", "id"], name="milestone_default_order"),
            models.Index(fields=["due_date", "completed_on"], name="milestone_due"),
        ]

    def __str__(self) -> str:
        return self.name


class Dependency(TimeStampedModel):
    class Kind(models.TextChoices):
        BLOCKS = "blocks", "Blocks"
        RELATES = "relates", "Relates to"

    from_project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies_out")
    to_project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies_in")
    kind = models.CharField(max_length=7, choices=Kind.choices, default=Kind.BLOCKS)
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["from_project_id", "to_project_id"]
        verbose_name_plural = "dependencies"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_project=models.F("to_project")),
                name="dependency_not_self",
                violation_error_message="A project cannot depend on itself.",
            ),
            models.UniqueConstraint(
                fields=["from_project", "to_project"],
                name="dependency_unique_pair",
                violation_error_message="This dependency already exists.",
            ),
        ]
        indexes = [models.Index(fields=["kind"], name="dependency_kind")]

    def __str__(self) -> str:
        return f"{self.from_project} {self.get_kind_display().lower()} {self.to_project}"

    def clean(self):
        if self.from_project_id and self.from_project_id == self.to_project_id:
            raise ValidationError({"to_project": "A project cannot depend on itself."})
        # Whether a "blocks" link closes a cycle is the service's question (programs.services.dependency_add),
        # asked under a lock on the graph: a check here would race with a concurrent add.


class Resource(VersionedModel):
    name = models.CharField(max_length=120)
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="resource")
    function = models.CharField(max_length=20, choices=User.Function.choices)
    capacity_hours = models.DecimalField(max_digits=5, decimal_places=1, default=40, validators=NOT_NEGATIVE)
    cost_rate = models.DecimalField(
        max_digits=8, decimal_places=2, default=0, validators=NOT_NEGATIVE, help_text="Cost per hour."
    )
    active = models.BooleanField(default=True, help_text="Only active people are allocated and counted.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            not_negative("resource_capacity_not_negative", "capacity_hours", "Capacity"),
            not_negative("resource_cost_rate_not_negative", "cost_rate", "Cost rate"),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="resource_default_order"),
            models.Index(fields=["function", "active"], name="resource_function"),
        ]

    def __str__(self) -> str:
        return self.name


class Allocation(VersionedModel):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="allocations")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="allocations")
    percent = models.PositiveSmallIntegerField(validators=PERCENT_VALIDATORS)
    start_date = models.DateField()
    end_date = models.DateField()
    note = models.CharField(max_length=250, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resource_id", "start_date", "id"]
        constraints = [
            range_constraint("allocation_percent_1_to_100", "percent", 1, 100, "Percent must be between 1 and 100."),
            date_range_constraint("allocation_end_after_start"),
        ]
        indexes = [
            models.Index(fields=["resource", "start_date", "id"], name="allocation_default_order"),
            models.Index(fields=["start_date", "end_date"], name="allocation_dates"),
            # The labour a project's allocations will still cost (its forecast, hence its health), read from the
            # index alone.
            models.Index(
                fields=["project", "end_date"], include=["start_date", "percent", "resource"], name="allocation_ahead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.percent}% on {self.project}"

    def clean(self):
        if errors := check_date_range(self):
            raise ValidationError(errors)


class ResourceRequest(VersionedModel):
    """A product manager's request for people on a project, decided by the project's program.

    A pending request has no decision; an approved or rejected one has who decided and when (a rejection its
    note), an approved one the allocation made for it, which cannot be deleted from under it. A cancelled one
    has when it was cancelled in ``decided_at`` and no ``decided_by``: its requester withdrew it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="resource_requests")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="resource_requests")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="resource_requests")
    function = models.CharField(max_length=20, choices=User.Function.choices)
    resource = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text="A named person, if the request is for someone in particular.",
    )
    percent = models.PositiveSmallIntegerField(validators=PERCENT_VALIDATORS)
    start_date = models.DateField()
    end_date = models.DateField()
    justification = models.TextField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="decided_resource_requests"
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was approved, rejected or cancelled; empty while it is pending."
    )
    decision_note = models.TextField(blank=True)
    allocation = models.OneToOneField(
        Allocation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request",
        help_text="The allocation its approval made.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            range_constraint(
                "resource_request_percent_1_to_100", "percent", 1, 100, "Percent must be between 1 and 100."
            ),
            date_range_constraint("resource_request_end_after_start"),
            models.CheckConstraint(
                condition=~models.Q(status="pending")
                | models.Q(decided_by__isnull=True, decided_at__isnull=True, allocation__isnull=True),
                name="resource_request_pending_has_no_decision",
                violation_error_message="A pending request has no decision yet.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "rejected"])
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="resource_request_decided_has_who_and_when",
                violation_error_message="A decided request has who decided it and when.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="approved", allocation__isnull=False)
                | (~models.Q(status="approved") & models.Q(allocation__isnull=True)),
                name="resource_request_approved_has_allocation",
                violation_error_message="An approved request has its allocation, and only an approved one.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_note=""),
                name="resource_request_rejected_has_note",
                violation_error_message="A rejected request says why in its note.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | models.Q(decided_at__isnull=False, decided_by__isnull=True),
                name="resource_request_cancelled_has_when",
                violation_error_message="A cancelled request has when it was cancelled, and no decider.",
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="resource_request_order"),
            models.Index(fields=["status"], name="resource_request_status"),
            models.Index(fields=["start_date", "end_date"], name="resource_request_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_function_display()} {self.percent}% for {self.project}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def clean(self):
        if errors := check_date_range(self):
            raise ValidationError(errors)


class CostEntry(TimeStampedModel):
    class Category(models.TextChoices):
        LABOUR = "labour", "Labour"
        SOFTWARE = "software", "Software"
        HARDWARE = "hardware", "Hardware"
        SERVICES = "services", "Services"
        TRAVEL = "travel", "Travel"
        OTHER = "other", "Other"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cost_entries")
    date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    category = models.CharField(max_length=8, choices=Category.choices, default=Category.OTHER)
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "cost entries"
        constraints = [not_negative("cost_entry_amount_not_negative", "amount", "Amount")]
        indexes = [
            models.Index(fields=["-date", "-id"], name="cost_entry_default_order"),
            models.Index(fields=["project", "date"], name="cost_entry_project_date"),
            models.Index(fields=["category"], name="cost_entry_category"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.get_category_display()} on {self.date}"


class StatusReport(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_reports")
    period_end = models.DateField()
    overall = models.CharField(max_length=5, choices=RAG.choices, default=RAG.GREEN)
    schedule = models.CharField(max_length=5, choices=RAG.choices, default=RAG.GREEN)
    budget = models.CharField(max_length=5, choices=RAG.choices, default=RAG.GREEN)
    scope = models.CharField(max_length=5, choices=RAG.choices, default=RAG.GREEN)
    summary = models.TextField()
    accomplishments = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    blockers = models.TextField(blank=True)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="status_reports")
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    live_data = models.JSONField(
        default=dict,
        blank=True,
        help_text="What changed since the previous report and the RAG proposed, as the draft from live data saw it.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_end"],
                name="status_report_one_per_project_period",
                violation_error_message="The project already has a status report for this period.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="published", published_at__isnull=False)
                | models.Q(status="draft", published_at__isnull=True),
                name="status_report_published_has_published_at",
                violation_error_message="A published report has its publication time, and only a published one.",
            ),
        ]
        indexes = [
            models.Index(fields=["-period_end", "project"], name="status_report_default_order"),
            models.Index(fields=["status"], name="status_report_status"),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.period_end}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self):
        if self.is_published and self.published_at is None:
            raise ValidationError({"published_at": "A published report has its publication time."})
        if not self.is_published and self.published_at is not None:
            raise ValidationError({"published_at": "Only a published report has a publication time."})
