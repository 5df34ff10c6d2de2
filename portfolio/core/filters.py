"""FilterSets for objectives and key results, and the filters every app's FilterSets share (pages and API).

Every FilterSet derives from ``FilterSet`` below, so a malformed value is a field error (a 400 in the API, a
form error on a page) rather than a filter that is silently dropped or a database error: ids are whole
numbers from 1 to ``MAX_ID``, booleans are true or false, integers are whole numbers, moments are compared
in UTC. An empty value (``?status=``, what a page's form sends for a field left blank) means "not given"
for every filter.
"""

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django_filters import fields as filter_fields
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS, remote_queryset
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from portfolio.core.models import KeyResult, StrategicObjective, User

# Ids are 64-bit signed integers (BigAutoField). A larger number is no id, and is refused before the database
# sees it: SQLite cannot even bind it (OverflowError), so ``pk__in=[2**63]`` would be a 500.
MAX_ID = 2**63 - 1
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
MALFORMED_ID = f"Enter an id: a whole number from 1 to {MAX_ID}."
UNKNOWN_ID = "There is no %(model)s with id %(value)s."
_DIGITS = re.compile(r"[0-9]+")
_INTEGER = re.compile(r"-?[0-9]+")


def parse_id(value) -> int | None:
    """The id written in ``value`` (ASCII digits, 1 to ``MAX_ID``), or None when it is not one."""
    text = str(value)
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def _unknown_id(queryset: QuerySet, value) -> ValidationError:
    return ValidationError(
        UNKNOWN_ID, code="unknown_id", params={"model": queryset.model._meta.verbose_name, "value": value}
    )


class IdField(filter_fields.ModelChoiceField):
    """One row by id: malformed and unknown ids are told apart, and the database only sees a valid id."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise ValidationError(MALFORMED_ID, code="invalid_id")
        try:
            return self.queryset.get(pk=number)
        except self.queryset.model.DoesNotExist:
            raise _unknown_id(self.queryset, number) from None


class IdsField(filter_fields.ModelMultipleChoiceField):
    """Several rows by id, in one query; every id must be well formed and exist."""

    def _check_values(self, value):
        numbers = []
        for item in value:
            number = parse_id(item)
            if number is None:
                raise ValidationError(MALFORMED_ID, code="invalid_id")
            numbers.append(number)
        rows = self.queryset.filter(pk__in=numbers)
        found = {row.pk for row in rows}
        missing = sorted(set(numbers) - found)
        if missing:
            raise ValidationError([_unknown_id(self.queryset, number) for number in missing])
        return rows


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.ModelChoiceFilter):
    """One row by id, checked against ``queryset`` and rendered as a number box.

    The auto-generated filter renders a select box holding every row of the related table (browsable API, pages):
    megabytes on a large table. A malformed or unknown id is a field error (400).
    """

    field_class = IdField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.NumberInput)
        super().__init__(*args, **kwargs)


class IdListInput(forms.TextInput):
    """Ids repeated in the query (``?objectives=1&objectives=2``) or comma-separated in one box (``1,2``)."""

    def value_from_datadict(self, data, files, name) -> list[str]:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [part.strip() for value in values if value for part in str(value).split(",") if part.strip()]

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data

    def format_value(self, value):
        if isinstance(value, (list, tuple)):
            return ",".join(str(item) for item in value) or None
        return super().format_value(value)


@extend_schema_field(ID_SCHEMA)
class IdsFilter(django_filters.ModelMultipleChoiceFilter):
    """Rows matching any of several ids (a many-to-many filter), checked against ``queryset``, in a text box.

    Same reason as ``IdFilter``: no select box listing every row. A malformed or unknown id is a field error.
    """

    field_class = IdsField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", IdListInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        """Keep the rows with any of the ids, through ``pk IN (subquery)`` rather than a join and DISTINCT.

        The join repeats a row per match, so the base filter adds DISTINCT, and counting a DISTINCT query
        wraps the whole annotated SELECT in a subquery: with the project list's health that passes
        SQLite's parser depth. The subquery keeps the outer query as it was.
        """
        if not value:
            return qs
        matching = qs.model._base_manager.filter(**{f"{self.field_name}__in": [item.pk for item in value]})
        return qs.filter(pk__in=matching.values("pk"))


class BooleanSelect(forms.NullBooleanSelect):
    """The yes/no/unknown select of the pages, handing the field what was sent so it can refuse nonsense."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class BooleanField(forms.NullBooleanField):
    """True, false or not given; anything else is an error, not "not given"."""

    widget = BooleanSelect
    TRUE = frozenset({"true", "True", "1"})
    FALSE = frozenset({"false", "False", "0"})
    UNSET = frozenset({"", "unknown"})

    def to_python(self, value):
        if value is None or value is True or value is False:
            return value
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return False
        if value in self.UNSET:
            return None
        raise ValidationError("Enter true or false.", code="invalid_boolean")


class BooleanFilter(django_filters.BooleanFilter):
    """``true``/``false`` (or ``1``/``0``); Django's own filter reads any other value as "no filter"."""

    field_class = BooleanField


class MultipleChoiceField(filter_fields.MultipleChoiceField):
    """Several choices; an empty value is dropped, so ``?status=`` means "not given" as for every filter."""

    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """Rows matching any of several choices (``?status=planned&status=shipped``)."""

    field_class = MultipleChoiceField


class DateTimeField(filter_fields.IsoDateTimeField):
    """An ISO 8601 date and time, handed to the database in UTC.

    Python takes offsets up to ±23:59, PostgreSQL only ±15:59 (a DataError past it), and no real zone is
    beyond +14:00; in UTC any offset is fine. A moment that leaves years 1–9999 in UTC is a field error.
    """

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError("Enter a date and time from the year 1 to 9999 (in UTC).", code="invalid") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """A moment in ISO 8601 (``2026-11-30T09:00:00+01:00``), compared in UTC."""

    field_class = DateTimeField


class IntegerField(forms.IntegerField):
    """A whole number as written (``3``, ``-2``): not ``3.0``, not ``3.5`` truncated to 3."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not _INTEGER.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A filter on an integer column; Django's ``NumberFilter`` takes decimals and truncates them."""

    field_class = IntegerField

    def get_max_validator(self):
        return None  # out-of-range values find nothing (Django's integer lookups), so no bound is needed


def _id_filter_extra(field) -> dict:
    return {"queryset": remote_queryset(field)}


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet: filters generated from ``Meta.fields`` are the strict ones above."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.AutoField: {"filter_class": IntegerFilter},
        models.SmallIntegerField: {"filter_class": IntegerFilter},
        models.IntegerField: {"filter_class": IntegerFilter},
        models.PositiveIntegerField: {"filter_class": IntegerFilter},
        models.PositiveSmallIntegerField: {"filter_class": IntegerFilter},
        models.BooleanField: {"filter_class": BooleanFilter},
        models.DateTimeField: {"filter_class": DateTimeFilter},
        models.ForeignKey: {"filter_class": IdFilter, "extra": _id_filter_extra},
        models.OneToOneField: {"filter_class": IdFilter, "extra": _id_filter_extra},
        models.ManyToManyField: {"filter_class": IdsFilter, "extra": _id_filter_extra},
    }


class TextSearchFilter(django_filters.CharFilter):
    """``q``: every word of the value appears in one of ``fields`` (case-insensitive)."""

    def __init__(self, *fields: str, **kwargs):
        kwargs.setdefault("label", "Search")
        super().__init__(**kwargs)
        self.search_fields = fields

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        for word in (value or "").split():
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            qs = qs.filter(condition)
        return qs


class ObjectiveFilterSet(FilterSet):
    owner = IdFilter(queryset=User.objects.all())
    parent = IdFilter(queryset=StrategicObjective.objects.all())
    period_from = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label="Period overlaps: ends on or after"
    )
    period_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label="Period overlaps: starts on or before"
    )
    top_level = BooleanFilter(field_name="parent", lookup_expr="isnull", label="Has no parent")
    title = django_filters.CharFilter(lookup_expr="icontains")
    q = TextSearchFilter("title", "description")

    class Meta:
        model = StrategicObjective
        fields = ["owner", "parent", "status", "weight"]


class KeyResultFilterSet(FilterSet):
    objective = IdFilter(queryset=StrategicObjective.objects.all())
    objective_owner = IdFilter(
        field_name="objective__owner", queryset=User.objects.all(), label="Owner of the objective"
    )
    q = TextSearchFilter("title")

    class Meta:
        model = KeyResult
        fields = ["objective"]
