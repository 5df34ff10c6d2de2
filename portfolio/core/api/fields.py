"""Field names that every app's serializers and viewsets share, and the strict fields request bodies use.

A request body is JSON, so its fields take exactly the JSON type the schema states: DRF's own fields also take
``"5"`` for an integer or ``5`` for a text, which the schema would then misstate (the fuzz test holds the API
to its schema). Each field below documents what it takes, and takes nothing else.
"""

import re
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import MANY_RELATION_KWARGS

from portfolio.core.filters import ID_SCHEMA, MALFORMED_ID, MAX_ID, UNKNOWN_ID

TIMESTAMPS = ("created_at", "updated_at")

NO_NUL = "^[^\\x00]*$"
# Text that may be blank: drf-spectacular documents it as "this, or an empty string" (exactly one of them).
NO_NUL_NOT_EMPTY = "^[^\\x00]+$"
# Some character that is neither NUL nor white space: DRF strips text, so "  " would be an empty title.
NOT_BLANK = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"
INT32_MAX = 2**31 - 1  # PositiveIntegerField's range on PostgreSQL


class StrictCharField(serializers.CharField):
    """A JSON string without NUL (PostgreSQL cannot store it); never a number turned into text."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        schema = {"type": "string", "pattern": NO_NUL_NOT_EMPTY if self.allow_blank else NOT_BLANK}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        self._spectacular_annotation = {"field": schema}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer; never ``"5"``, ``5.0`` or ``true``."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class VersionField(StrictIntegerField):
    """The ``version`` a write was based on (optimistic locking): required, in a PATCH too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", "The version the change is based on; a stale one gets a 409.")
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is empty:  # DRF would skip a missing field of a partial update
            self.fail("required")
        return super().validate_empty_values(data)


class ChoiceTextField(serializers.ChoiceField):
    """One of the choices, as a JSON string exactly as listed (``"0.50"``, not ``0.5`` or ``"0.5"``)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class DecimalChoiceField(ChoiceTextField):
    """A scale of decimals (RICE impact, confidence) as strings like ``"0.80"``, answering ``message`` otherwise."""

    def __init__(self, values: list[Decimal], message: str, **kwargs):
        self.places = values[0]
        kwargs.setdefault("help_text", message)
        super().__init__(
            choices=[(str(value), str(value)) for value in values], error_messages={"invalid_choice": message}, **kwargs
        )

    def to_internal_value(self, data) -> Decimal:
        return Decimal(super().to_internal_value(data))

    def to_representation(self, value) -> str | None:
        return None if value is None else str(Decimal(value).quantize(self.places))


class PositiveDecimalField(serializers.DecimalField):
    """A decimal above zero as a JSON string of digits (``"2.5"``), within ``max_digits`` and ``decimal_places``."""

    def __init__(self, *, max_digits: int, decimal_places: int, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        whole, places = max_digits - decimal_places, decimal_places
        # Above zero: a non-zero whole part, or a zero one with a non-zero fraction (no look-ahead: the fuzzer's
        # regular expressions lack it).
        fractions = "|".join(f"0{{{zeros}}}[1-9][0-9]{{0,{places - 1 - zeros}}}" for zeros in range(places))
        self.pattern = re.compile(rf"^(?:[1-9][0-9]{{0,{whole - 1}}}(?:\.[0-9]{{1,{places}}})?|0?\.(?:{fractions}))$")
        self._spectacular_annotation = {
            "field": {"type": "string", "format": "decimal", "pattern": self.pattern.pattern}
        }
        self.error_messages["invalid"] = (
            f'Enter a number above zero as a string like "2.5", with at most {whole} digits before the point '
            f"and {places} after."
        )

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.pattern.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdListField(serializers.ManyRelatedField):
    """A JSON array of ids (DRF's own would also read an object's keys as ids)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


@extend_schema_field(ID_SCHEMA)
class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A row by its id, a JSON integer from 1 to ``MAX_ID``; a malformed and an unknown id are told apart."""

    default_error_messages = {"invalid_id": MALFORMED_ID}

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return IdListField(**list_kwargs)

    def run_validation(self, data=serializers.empty):
        # DRF reads an empty string as null for related fields (a form's blank choice); in JSON it is no id.
        if isinstance(data, str) and data == "":
            self.fail("invalid_id")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int) or not 1 <= data <= MAX_ID:
            self.fail("invalid_id")
        queryset = self.get_queryset()
        try:
            return queryset.get(pk=data)
        except ObjectDoesNotExist:
            message = UNKNOWN_ID % {"model": queryset.model._meta.verbose_name, "value": data}
            raise serializers.ValidationError(message, code="unknown_id") from None
