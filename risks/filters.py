"""FilterSets of the risk register and of mitigation actions (shared by pages and API)."""

import operator
from functools import reduce

import django_filters

from risks.models import MitigationAction, Risk
from risks.selectors import Severity, severity_q


class RiskFilterSet(django_filters.FilterSet):
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, method="filter_severity")
    score_min = django_filters.NumberFilter(field_name="score", lookup_expr="gte")
    score_max = django_filters.NumberFilter(field_name="score", lookup_expr="lte")
    review_due_before = django_filters.DateFilter(
        field_name="review_date", lookup_expr="lte", label="Review due on or before"
    )

    class Meta:
        model = Risk
        fields = ["kind", "status", "category", "response", "project", "program", "product", "owner"]

    def filter_severity(self, queryset, name, value):
        # Score ranges rather than the annotated band, so the database can use the score index.
        if not value:
            return queryset
        return queryset.filter(reduce(operator.or_, (severity_q(severity) for severity in value)))


class MitigationActionFilterSet(django_filters.FilterSet):
    done = django_filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")

    class Meta:
        model = MitigationAction
        fields = ["risk", "owner"]
