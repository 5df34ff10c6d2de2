"""Read serializers of the programs API: field names as DESIGN §3 "Names"; derived figures read-only."""

import re

from rest_framework import serializers

from portfolio.core.api.fields import (
    TIMESTAMPS,
    ChoiceTextField,
    IdRelatedField,
    StrictCharField,
    StrictIntegerField,
    VersionField,
)
from portfolio.core.filters import UNKNOWN_ID
from portfolio.core.models import StrategicObjective, User
from products.models import Feature, Product
from programs.models import (
    RAG,
    Allocation,
    CostEntry,
    Dependency,
    Milestone,
    Portfolio,
    Program,
    Project,
    Resource,
    ResourceRequest,
    StatusReport,
)
from programs.selectors import ROLLUP_FIELDS


class BudgetRollupFields(serializers.Serializer):
    """The projects' budgets summed (``selectors.with_budget_rollup``); archived projects are left out."""

    projects_budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Σ of the projects' planned budgets."
    )
    budget_actual = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Σ of the projects' cost entries."
    )
    budget_forecast = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="Actual plus the labour the projects' allocations will still cost: forecast at completion.",
    )
    burn_percent = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text="Actual as a percentage of this budget; null without a budget.",
    )


class PortfolioSerializer(BudgetRollupFields, serializers.ModelSerializer):
    class Meta:
        model = Portfolio
        fields = [
            "id",
            "name",
            "description",
            "owner",
            "fiscal_year",
            "budget",
            *ROLLUP_FIELDS,
            "archived_at",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["archived_at", "version"]


class ProgramSerializer(BudgetRollupFields, serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = [
            "id",
            "portfolio",
            "name",
            "description",
            "manager",
            "objectives",
            "status",
            "budget",
            *ROLLUP_FIELDS,
            "start_date",
            "end_date",
            "archived_at",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["archived_at", "version"]


class ProjectSerializer(serializers.ModelSerializer):
    """A project with its derived figures (computed by ``programs.selectors``, never here)."""

    objectives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    strategic_score = serializers.IntegerField(read_only=True)
    wsjf = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    health = serializers.ChoiceField(choices=RAG.choices, read_only=True)
    budget_actual = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    budget_forecast = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    days_late = serializers.IntegerField(read_only=True)
    health_schedule = serializers.ChoiceField(
        choices=RAG.choices, read_only=True, help_text="Red: a key milestone over 14 days late; amber: any late."
    )
    health_budget = serializers.ChoiceField(
        choices=RAG.choices, read_only=True, help_text="Red: forecast above 110 % of budget; amber: above budget."
    )
    health_risk = serializers.ChoiceField(
        choices=RAG.choices, read_only=True, help_text="Red: an open critical risk; amber: an open high risk."
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "program",
            "name",
            "description",
            "manager",
            "product",
            "features",
            "objectives",
            "status",
            "start_date",
            "end_date",
            "budget",
            "budget_actual",
            "budget_forecast",
            "health_override",
            "health",
            "health_schedule",
            "health_budget",
            "health_risk",
            "days_late",
            "business_value",
            "time_criticality",
            "risk_reduction",
            "job_size",
            "wsjf",
            "strategic_score",
            "archived_at",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["archived_at", "version"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "project", "name", "due_date", "completed_on", "is_key", "version", *TIMESTAMPS]
        read_only_fields = ["version"]


class DependencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Dependency
        fields = ["id", "from_project", "to_project", "kind", "note", *TIMESTAMPS]


class ResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = ["id", "name", "user", "function", "capacity_hours", "cost_rate", "active", "version", *TIMESTAMPS]
        read_only_fields = ["version"]


class AllocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Allocation
        fields = ["id", "resource", "project", "percent", "start_date", "end_date", "note", "version", *TIMESTAMPS]
        read_only_fields = ["version"]


class ResourceRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourceRequest
        fields = [
            "id",
            "product",
            "project",
            "requested_by",
            "function",
            "resource",
            "percent",
            "start_date",
            "end_date",
            "justification",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "allocation",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version"]


class CostEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CostEntry
        fields = ["id", "project", "date", "amount", "category", "note", *TIMESTAMPS]


class StatusReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusReport
        fields = [
            "id",
            "project",
            "period_end",
            "overall",
            "schedule",
            "budget",
            "scope",
            "summary",
            "accomplishments",
            "next_steps",
            "blockers",
            "author",
            "status",
            "published_at",
            "live_data",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version", "live_data"]


# --- Status reports: the writes ------------------------------------------------------------------


class StatusReportDraftSerializer(serializers.Serializer):
    """What a draft from live data takes: the project and, optionally, the period's last day (today)."""

    project = IdRelatedField(queryset=Project.objects.all())
    period_end = serializers.DateField(required=False, help_text="The period's last day; today when left out.")


class StatusReportUpdateSerializer(serializers.Serializer):
    """What a draft's change takes; a published report is frozen (400)."""

    period_end = serializers.DateField(required=False)
    overall = ChoiceTextField(choices=RAG.choices, required=False)
    schedule = ChoiceTextField(choices=RAG.choices, required=False)
    budget = ChoiceTextField(choices=RAG.choices, required=False)
    scope = ChoiceTextField(choices=RAG.choices, required=False)
    summary = StrictCharField(required=False)
    accomplishments = StrictCharField(allow_blank=True, required=False)
    next_steps = StrictCharField(allow_blank=True, required=False)
    blockers = StrictCharField(allow_blank=True, required=False)
    version = VersionField()


class StatusReportPublishSerializer(serializers.Serializer):
    """What publishing takes: the version the manager saw (a stale one gets a 409)."""

    version = VersionField()


# --- Delivery: what the writes of milestones, dependencies, cost entries and alignments take ---------------

from portfolio.core.api.fields import IdRelatedField, StrictCharField, VersionField  # noqa: E402
from products.api.serializers import StringDecimalField  # noqa: E402
from programs.models import ProjectObjective  # noqa: E402


class ProjectObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectObjective
        fields = ["id", "project", "objective", "contribution", *TIMESTAMPS]


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false``; never ``"true"``, ``1`` or ``"on"``."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class MilestoneUpdateSerializer(serializers.Serializer):
    """What a milestone's change takes; ``completed_on`` null: not done yet."""

    name = StrictCharField(max_length=160)
    due_date = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True, required=False, help_text="When it was done; null: open.")
    is_key = StrictBooleanField(required=False, help_text="Key milestones are shown to leadership.")
    version = VersionField()


class MilestoneCreateSerializer(MilestoneUpdateSerializer):
    """What a new milestone takes: its project, and no version (it starts at 1)."""

    project = IdRelatedField(queryset=Project.objects.all())
    version = None


class DependencyCreateSerializer(serializers.Serializer):
    """What a new dependency takes; a "blocks" one that would close a cycle is a 400 naming the cycle."""

    from_project = IdRelatedField(queryset=Project.objects.all(), help_text="The project that blocks or relates.")
    to_project = IdRelatedField(queryset=Project.objects.all(), help_text="The project it blocks or relates to.")
    kind = serializers.ChoiceField(choices=Dependency.Kind.choices, required=False)
    note = StrictCharField(max_length=250, allow_blank=True, required=False)


class CostEntryUpdateSerializer(serializers.Serializer):
    """What a cost entry's change takes: its date, an amount of zero or more, category and note."""

    date = serializers.DateField()
    amount = StringDecimalField(max_digits=14, decimal_places=2, signed=False, help_text="Zero or more, as a string.")
    category = serializers.ChoiceField(choices=CostEntry.Category.choices, required=False)
    note = StrictCharField(max_length=250, allow_blank=True, required=False)


class CostEntryCreateSerializer(CostEntryUpdateSerializer):
    """What a new cost entry takes: its project too."""

    project = IdRelatedField(queryset=Project.objects.all())


CONTRIBUTION_MESSAGE = "Contribution must be 1, 2 or 3."


class ProjectObjectiveUpdateSerializer(serializers.Serializer):
    """What an alignment's change takes: the contribution, 1 (some), 2 (strong) or 3 (essential)."""

    contribution = StrictIntegerField(
        min_value=1,
        max_value=3,
        error_messages={"min_value": CONTRIBUTION_MESSAGE, "max_value": CONTRIBUTION_MESSAGE},
        help_text="1 = some, 2 = strong, 3 = essential; 0 or 4 is a 400.",
    )


class ProjectObjectiveCreateSerializer(ProjectObjectiveUpdateSerializer):
    """What a new alignment takes: the project and the objective."""

    project = IdRelatedField(queryset=Project.objects.all())
    objective = IdRelatedField(queryset=StrategicObjective.objects.all())


# --- Ranking ---------------------------------------------------------------------------------------


PROGRAM_NOT_IN_PORTFOLIO = "This program is not in the portfolio."


class RankingQuerySerializer(serializers.Serializer):
    """The query of ``GET projects/ranking/``: an optional portfolio and program, and the order."""

    portfolio = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    program = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    order = serializers.ChoiceField(choices=[("strategic", "Strategic score"), ("wsjf", "WSJF")], default="strategic")

    def validate_portfolio(self, value):
        if (portfolio := Portfolio.objects.filter(pk=value).first()) is None:
            raise serializers.ValidationError(UNKNOWN_ID % {"model": "portfolio", "value": value})
        return portfolio

    def validate_program(self, value):
        if (program := Program.objects.filter(pk=value).first()) is None:
            raise serializers.ValidationError(UNKNOWN_ID % {"model": "program", "value": value})
        return program

    def validate(self, attrs):
        portfolio, program = attrs.get("portfolio"), attrs.get("program")
        if portfolio is not None and program is not None and program.portfolio_id != portfolio.pk:
            raise serializers.ValidationError({"program": PROGRAM_NOT_IN_PORTFOLIO})
        return attrs


class RankedProjectSerializer(serializers.ModelSerializer):
    """One project of the ranking, in rank order."""

    rank = serializers.IntegerField(read_only=True)
    strategic_score = serializers.IntegerField(read_only=True)
    wsjf = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    cumulative_budget = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    above_line = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Funded within the budget line; null without a line."
    )

    class Meta:
        model = Project
        fields = [
            "rank",
            "id",
            "name",
            "program",
            "status",
            "strategic_score",
            "wsjf",
            "budget",
            "cumulative_budget",
            "above_line",
        ]
        read_only_fields = fields


class RankingSerializer(serializers.Serializer):
    """The ranking: the projects in rank order, the budget line and how much of the list it funds."""

    order = serializers.CharField()
    portfolio = serializers.IntegerField(source="portfolio.pk", allow_null=True, help_text="The portfolio's id.")
    program = serializers.IntegerField(source="program.pk", allow_null=True, help_text="The program's id.")
    budget = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="The program's budget with a program, else the portfolio's; null organisation-wide.",
    )
    funded = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Σ budget above the line.")
    unfunded = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Σ budget below the line.")
    projects = RankedProjectSerializer(many=True)


# --- Writes of portfolios, programs and projects (shape only: the rules and the model's checks are the services') ---
BUDGET_HELP = 'In the organisation\'s currency, 0 or more, as a string like "125000.00".'
WSJF_HELP = "1 or more (WSJF input)."


class BudgetField(serializers.DecimalField):
    """An amount of 0 or more as a JSON string of digits (``"125000.00"``); a negative one is told so."""

    PATTERN = re.compile(r"^-?[0-9]{1,12}(?:\.[0-9]{1,2})?$")

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, help_text=BUDGET_HELP, **kwargs)
        self._spectacular_annotation = {
            "field": {"type": "string", "format": "decimal", "pattern": r"^[0-9]{1,12}(?:\.[0-9]{1,2})?$"}
        }
        self.error_messages["invalid"] = 'Enter an amount as a string like "125000.00".'

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.PATTERN.fullmatch(data):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if value < 0:
            raise serializers.ValidationError("This cannot be negative.")
        return value


def _budget(**kwargs) -> BudgetField:
    return BudgetField(**kwargs)


def _wsjf() -> StrictIntegerField:
    return StrictIntegerField(min_value=1, max_value=32767, required=False, help_text=WSJF_HELP)


class PortfolioUpdateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=120)
    description = StrictCharField(allow_blank=True, required=False)
    owner = IdRelatedField(
        queryset=User.objects.all(), required=False, help_text="Handing the portfolio over: its owner only."
    )
    fiscal_year = StrictIntegerField(min_value=1900, max_value=9999, help_text="The year the budget is for.")
    budget = _budget(required=False)
    version = VersionField()


class PortfolioCreateSerializer(PortfolioUpdateSerializer):
    owner = IdRelatedField(
        queryset=User.objects.all(),
        required=False,
        help_text="Left out: whoever creates the portfolio owns it. Naming someone else is for administrators.",
    )
    version = None


class ProgramUpdateSerializer(serializers.Serializer):
    portfolio = IdRelatedField(queryset=Portfolio.objects.all(), required=False, help_text="Moving the program.")
    name = StrictCharField(max_length=120)
    description = StrictCharField(allow_blank=True, required=False)
    manager = IdRelatedField(queryset=User.objects.all(), required=False)
    objectives = IdRelatedField(queryset=StrategicObjective.objects.all(), many=True, required=False)
    status = serializers.ChoiceField(choices=Program.Status.choices, required=False)
    budget = _budget(required=False)
    start_date = serializers.DateField(allow_null=True, required=False)
    end_date = serializers.DateField(allow_null=True, required=False)
    version = VersionField()


class ProgramCreateSerializer(ProgramUpdateSerializer):
    portfolio = IdRelatedField(queryset=Portfolio.objects.all())
    manager = IdRelatedField(
        queryset=User.objects.all(), required=False, help_text="Left out: whoever creates the program manages it."
    )
    version = None


class ProjectUpdateSerializer(serializers.Serializer):
    program = IdRelatedField(queryset=Program.objects.all(), required=False, help_text="Moving the project.")
    name = StrictCharField(max_length=160)
    description = StrictCharField(allow_blank=True, required=False)
    manager = IdRelatedField(queryset=User.objects.all(), required=False)
    product = IdRelatedField(queryset=Product.objects.all(), allow_null=True, required=False)
    features = IdRelatedField(
        queryset=Feature.objects.all(), many=True, required=False, help_text="Features of its product it delivers."
    )
    status = serializers.ChoiceField(choices=Project.Status.choices, required=False)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    budget = _budget(required=False)
    health_override = serializers.ChoiceField(choices=[("", "Derived"), *RAG.choices], required=False)
    business_value = _wsjf()
    time_criticality = _wsjf()
    risk_reduction = _wsjf()
    job_size = _wsjf()
    version = VersionField()


class ProjectCreateSerializer(ProjectUpdateSerializer):
    program = IdRelatedField(queryset=Program.objects.all())
    manager = IdRelatedField(
        queryset=User.objects.all(), required=False, help_text="Left out: whoever creates the project manages it."
    )
    version = None


PERCENT_MESSAGE = "Percent must be between 1 and 100."


class ResourceRequestCreateSerializer(serializers.Serializer):
    """What a new resource request takes: a product the user edits, an open project, who and for how long."""

    product = IdRelatedField(queryset=Product.objects.all(), help_text="The product asking; one you edit.")
    project = IdRelatedField(queryset=Project.objects.all(), help_text="The project the people are for; an open one.")
    function = ChoiceTextField(choices=User.Function.choices)
    percent = StrictIntegerField(
        min_value=1, max_value=100, error_messages={"min_value": PERCENT_MESSAGE, "max_value": PERCENT_MESSAGE}
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    justification = StrictCharField(help_text="Why the people are needed.")
    resource = IdRelatedField(
        queryset=Resource.objects.all(), required=False, allow_null=True, help_text="A named person, if any."
    )


class ResourceRequestApproveSerializer(serializers.Serializer):
    """What an approval takes: the person allocated, a note, and the override for a person of another function."""

    resource = IdRelatedField(queryset=Resource.objects.all(), help_text="The person allocated to the project.")
    note = StrictCharField(allow_blank=True, required=False, help_text="Shown to the requester.")
    override_function = StrictBooleanField(
        required=False, help_text="Allocate a person of another function than the one asked for."
    )


class ResourceRequestRejectSerializer(serializers.Serializer):
    """What a rejection takes: why, for the requester."""

    note = StrictCharField(help_text="Why the request is rejected; shown to the requester.")
