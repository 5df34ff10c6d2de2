import re

from rest_framework import serializers

from portfolio.core.api.fields import TIMESTAMPS, IdRelatedField, StrictCharField, StrictIntegerField, VersionField
from portfolio.core.models import KeyResult, StrategicObjective, User


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    # Declared: a read-only model field loses ``blank``, so the schema's enum would leave out "" (no function).
    function = serializers.ChoiceField(choices=User.Function.choices, allow_blank=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "title",
            "function",
            "roles",
            "is_superuser",
            "is_staff",
        ]
        read_only_fields = fields


class KeyResultSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(read_only=True, help_text="Percent of the way from start to target, 0–100.")

    class Meta:
        model = KeyResult
        fields = [
            "id",
            "objective",
            "title",
            "unit",
            "start_value",
            "target_value",
            "current_value",
            "progress",
            *TIMESTAMPS,
        ]
        read_only_fields = [*TIMESTAMPS]


class ObjectiveKeyResultSerializer(KeyResultSerializer):
    """A key result nested in its objective (the objective is implied)."""

    class Meta(KeyResultSerializer.Meta):
        fields = [field for field in KeyResultSerializer.Meta.fields if field != "objective"]


class ObjectiveSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Mean progress of the key results, 0–100; null without any."
    )
    key_results = ObjectiveKeyResultSerializer(many=True, read_only=True)

    class Meta:
        model = StrategicObjective
        fields = [
            "id",
            "title",
            "description",
            "owner",
            "parent",
            "start_date",
            "end_date",
            "weight",
            "status",
            "progress",
            "key_results",
            "version",
            *TIMESTAMPS,
        ]
        read_only_fields = ["version", *TIMESTAMPS]


# --- Writes (each goes through ``portfolio.core.services``) ------------------------------------------


class ObjectiveUpdateSerializer(serializers.Serializer):
    """What a change of an objective takes (its owner, or who they answer to, may hand it over)."""

    title = StrictCharField(max_length=200)
    description = StrictCharField(allow_blank=True, required=False)
    owner = IdRelatedField(queryset=User.objects.all(), required=False)
    parent = IdRelatedField(queryset=StrategicObjective.objects.all(), allow_null=True, required=False)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    weight = StrictIntegerField(min_value=1, max_value=5, required=False)
    status = serializers.ChoiceField(choices=StrategicObjective.Status.choices, required=False)
    version = VersionField()


class ObjectiveCreateSerializer(ObjectiveUpdateSerializer):
    """What a new objective takes; its owner defaults to whoever sets it."""

    version = None


class SignedDecimalField(serializers.DecimalField):
    """A decimal as a JSON string of digits (``"42.5"``, ``"-12.5"``): a number, ``"1e3"`` or ``""`` is a 400."""

    def __init__(self, *, max_digits: int, decimal_places: int, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        whole = max_digits - decimal_places
        self.pattern = re.compile(rf"^-?(?:0|[1-9][0-9]{{0,{whole - 1}}})(?:\.[0-9]{{1,{decimal_places}}})?$")
        self._spectacular_annotation = {
            "field": {"type": "string", "format": "decimal", "pattern": self.pattern.pattern}
        }
        self.error_messages["invalid"] = (
            f'Enter a number as a string like "42.5", with at most {whole} digits before the point '
            f"and {decimal_places} after."
        )

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.pattern.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class KeyResultUpdateSerializer(serializers.Serializer):
    """What a change of a key result takes (it stays on its objective)."""

    title = StrictCharField(max_length=200)
    unit = StrictCharField(max_length=30, allow_blank=True, required=False)
    start_value = SignedDecimalField(max_digits=14, decimal_places=2, required=False)
    target_value = SignedDecimalField(max_digits=14, decimal_places=2)
    current_value = SignedDecimalField(max_digits=14, decimal_places=2, required=False)


class KeyResultCreateSerializer(KeyResultUpdateSerializer):
    """What a new key result takes: the objective it measures."""

    objective = IdRelatedField(queryset=StrategicObjective.objects.all())
