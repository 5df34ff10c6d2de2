from rest_framework import serializers

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.scales import Severity
from risks.models import MitigationAction, Risk


class RiskSerializer(serializers.ModelSerializer):
    score = serializers.IntegerField(read_only=True, help_text="Probability × impact, 1–25.")
    severity = serializers.ChoiceField(choices=Severity.choices, read_only=True)
    residual_score = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Residual probability × residual impact; null until both are set."
    )
    residual_severity = serializers.ChoiceField(choices=Severity.choices, read_only=True, allow_null=True)
    scope_name = serializers.SerializerMethodField()
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "category",
            "project",
            "program",
            "product",
            "scope_name",
            "owner",
            "owner_name",
            "probability",
            "impact",
            "score",
            "severity",
            "status",
            "response",
            "trigger",
            "review_date",
            "residual_probability",
            "residual_impact",
            "residual_score",
            "residual_severity",
            "closed_at",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version", *TIMESTAMPS]

    def get_scope_name(self, risk: Risk) -> str:
        return str(risk.scope) if risk.scope else ""


class MitigationActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = MitigationAction
        fields = ["id", "risk", "description", "owner", "owner_name", "due_date", "done_at", *TIMESTAMPS]
        read_only_fields = [*TIMESTAMPS]

    def get_owner_name(self, action: MitigationAction) -> str:
        return str(action.owner) if action.owner else ""
