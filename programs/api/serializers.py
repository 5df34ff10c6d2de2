"""Read serializers of the programs API: field names as DESIGN §3 "Names"; derived figures read-only."""

from rest_framework import serializers

from portfolio.core.api.fields import TIMESTAMPS, ChoiceTextField, IdRelatedField, StrictCharField, VersionField
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
