"""Read serializers of the programs API: field names as DESIGN §3 "Names"; derived figures read-only."""

from rest_framework import serializers

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.filters import UNKNOWN_ID
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
        fields = ["id", "name", "description", "owner", "fiscal_year", "budget", *TIMESTAMPS]


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
            *TIMESTAMPS,
        ]


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
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version"]


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
