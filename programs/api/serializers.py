"""Read serializers of the programs API: field names as DESIGN §3 "Names"; derived figures read-only."""

import re

from rest_framework import serializers

from portfolio.core.api.fields import TIMESTAMPS, IdRelatedField, StrictCharField, StrictIntegerField, VersionField
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


class PortfolioSerializer(serializers.ModelSerializer):
    class Meta:
        model = Portfolio
        fields = ["id", "name", "description", "owner", "fiscal_year", "budget", "archived_at", "version", *TIMESTAMPS]
        read_only_fields = ["archived_at", "version"]


class ProgramSerializer(serializers.ModelSerializer):
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
        fields = ["id", "name", "user", "function", "capacity_hours", "cost_rate", "active", *TIMESTAMPS]


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
            *TIMESTAMPS,
        ]


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
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version"]


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
