"""FilterSets for objectives and key results (shared by pages and API)."""

import django_filters

from portfolio.core.models import KeyResult, StrategicObjective


class ObjectiveFilterSet(django_filters.FilterSet):
    period_from = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label="Period overlaps: ends on or after"
    )
    period_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label="Period overlaps: starts on or before"
    )
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="Has no parent")
    title = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = StrategicObjective
        fields = ["owner", "parent", "status", "weight"]


class KeyResultFilterSet(django_filters.FilterSet):
    objective_owner = django_filters.NumberFilter(field_name="objective__owner", label="Owner of the objective")

    class Meta:
        model = KeyResult
        fields = ["objective"]
