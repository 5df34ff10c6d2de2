"""FilterSets for objectives and key results, and the filters every app's FilterSets share (pages and API)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from portfolio.core.models import KeyResult, StrategicObjective, User


class IdFilter(django_filters.ModelChoiceFilter):
    """One row by id, checked against ``queryset`` and rendered as a number box.

    The auto-generated filter renders a select box holding every row of the related table (browsable API, pages):
    megabytes on a large table. A malformed or unknown id is a field error (400).
    """

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


class IdsFilter(django_filters.ModelMultipleChoiceFilter):
    """Rows matching any of several ids (a many-to-many filter), checked against ``queryset``, in a text box.

    Same reason as ``IdFilter``: no select box listing every row. A malformed or unknown id is a field error.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", IdListInput)
        super().__init__(*args, **kwargs)


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


class ObjectiveFilterSet(django_filters.FilterSet):
    owner = IdFilter(queryset=User.objects.all())
    parent = IdFilter(queryset=StrategicObjective.objects.all())
    period_from = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label="Period overlaps: ends on or after"
    )
    period_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label="Period overlaps: starts on or before"
    )
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="Has no parent")
    title = django_filters.CharFilter(lookup_expr="icontains")
    q = TextSearchFilter("title", "description")

    class Meta:
        model = StrategicObjective
        fields = ["owner", "parent", "status", "weight"]


class KeyResultFilterSet(django_filters.FilterSet):
    objective = IdFilter(queryset=StrategicObjective.objects.all())
    objective_owner = IdFilter(
        field_name="objective__owner", queryset=User.objects.all(), label="Owner of the objective"
    )
    q = TextSearchFilter("title")

    class Meta:
        model = KeyResult
        fields = ["objective"]
