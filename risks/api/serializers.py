from rest_framework import serializers

from portfolio.core.api.fields import (
    TIMESTAMPS,
    ChoiceTextField,
    IdRelatedField,
    StrictCharField,
    StrictIntegerField,
    VersionField,
)
from portfolio.core.filters import MAX_ID
from portfolio.core.models import User
from portfolio.core.scales import Severity
from products.models import Product
from programs.models import Program, Project
from risks.models import MitigationAction, Risk
from risks.services import EDITABLE_STATUS_CHOICES


class RiskSerializer(serializers.ModelSerializer):
    score = serializers.IntegerField(read_only=True, help_text="Probability × impact, 1–25.")
    severity = serializers.ChoiceField(choices=Severity.choices, read_only=True)
    residual_score = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Residual probability × residual impact; null until both are set."
    )
    residual_severity = serializers.ChoiceField(choices=Severity.choices, read_only=True, allow_null=True)
    escalated = serializers.BooleanField(
        read_only=True, help_text="Not closed, and scored 15 or more or occurred: it goes up to the steering level."
    )
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
            "escalated",
            "status",
            "response",
            "trigger",
            "review_date",
            "residual_probability",
            "residual_impact",
            "residual_score",
            "residual_severity",
            "closed_at",
            "closing_note",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version", "closed_at", "closing_note", *TIMESTAMPS]

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


def _scale(**kwargs):
    return StrictIntegerField(min_value=1, max_value=5, **kwargs)


def _scope(model, **kwargs):
    return IdRelatedField(queryset=model.objects.all(), allow_null=True, required=False, **kwargs)


class RiskUpdateSerializer(serializers.Serializer):
    """What a risk's change takes. Closing and "occurred" are their own actions, so ``status`` is open or mitigating.

    Moving a risk names its new project, program or product (and null for the others): exactly one stays set.
    """

    project = _scope(Project)
    program = _scope(Program)
    product = _scope(Product)
    kind = ChoiceTextField(choices=Risk.Kind.choices, required=False)
    title = StrictCharField(max_length=200)
    description = StrictCharField(allow_blank=True, required=False)
    category = ChoiceTextField(choices=Risk.Category.choices, required=False)
    owner = IdRelatedField(queryset=User.objects.all(), required=False)
    probability = _scale(help_text="1 (rare) to 5 (almost certain).")
    impact = _scale(help_text="1 (negligible) to 5 (severe).")
    status = ChoiceTextField(choices=EDITABLE_STATUS_CHOICES, required=False)
    response = ChoiceTextField(choices=Risk.Response.choices, required=False)
    trigger = StrictCharField(max_length=250, allow_blank=True, required=False)
    review_date = serializers.DateField(allow_null=True, required=False)
    residual_probability = _scale(allow_null=True, required=False, help_text="After mitigation; null: not assessed.")
    residual_impact = _scale(allow_null=True, required=False, help_text="After mitigation; null: not assessed.")
    version = VersionField()


class RiskCreateSerializer(RiskUpdateSerializer):
    """What a new risk takes: exactly one of project, program and product; no version (it starts at 1)."""

    owner = IdRelatedField(
        queryset=User.objects.all(), required=False, help_text="Left out: whoever logs the risk owns it."
    )
    version = None


class RiskCloseSerializer(serializers.Serializer):
    closing_note = StrictCharField(help_text="Why the risk no longer needs watching (required).")
    version = VersionField()


class RiskStepSerializer(serializers.Serializer):
    version = VersionField()


class HeatmapQuerySerializer(serializers.Serializer):
    """The scope of the map (none: the whole organisation; several: the risks in all of them) and which scores
    place the risks."""

    portfolio = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    program = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    product = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    residual = serializers.ChoiceField(
        choices=["0", "1"],
        required=False,
        help_text="1: residual probability and impact (a risk without both stays at its inherent place).",
    )


class HeatmapCellSerializer(serializers.Serializer):
    probability = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)
    count = serializers.IntegerField(min_value=0, help_text="Open (not closed) risks in the cell.")
    severity = serializers.ChoiceField(choices=Severity.choices)


class HeatmapSerializer(serializers.Serializer):
    residual = serializers.BooleanField()
    cells = HeatmapCellSerializer(many=True, help_text="25 cells: probability 5 to 1, then impact 1 to 5.")


class MitigationActionUpdateSerializer(serializers.Serializer):
    description = StrictCharField(max_length=250)
    owner = IdRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    due_date = serializers.DateField(allow_null=True, required=False)
    done_at = serializers.DateTimeField(allow_null=True, required=False, help_text="When it was done; null: open.")


class MitigationActionCreateSerializer(MitigationActionUpdateSerializer):
    risk = IdRelatedField(queryset=Risk.objects.all())
    done_at = None
