"""FilterSets of the risk register and of mitigation actions (shared by pages and API)."""

import operator
from functools import reduce

import django_filters

from portfolio.core.filters import (
    BooleanFilter,
    FilterSet,
    IdFilter,
    IntegerFilter,
    MultipleChoiceFilter,
    TextSearchFilter,
)
from portfolio.core.models import User
from portfolio.core.scales import Severity
from products.models import Product
from programs.models import Program, Project
from risks.models import MitigationAction, Risk
from risks.selectors import severity_q


class RiskFilterSet(FilterSet):
    project = IdFilter(queryset=Project.objects.all())
    program = IdFilter(queryset=Program.objects.all())
    product = IdFilter(queryset=Product.objects.all())
    owner = IdFilter(queryset=User.objects.all())
    severity = MultipleChoiceFilter(choices=Severity.choices, method="filter_severity")
    score_min = IntegerFilter(field_name="score", lookup_expr="gte")
    score_max = IntegerFilter(field_name="score", lookup_expr="lte")
    review_due_before = django_filters.DateFilter(
        field_name="review_date", lookup_expr="lte", label="Review due on or before"
    )
    q = TextSearchFilter("title", "description", "trigger")

    class Meta:
        model = Risk
        fields = ["kind", "status", "category", "response", "project", "program", "product", "owner"]

    def filter_severity(self, queryset, name, value):
        # Score ranges rather than the annotated band, so the database can use the score index.
        if not value:
            return queryset
        return queryset.filter(reduce(operator.or_, (severity_q(severity) for severity in value)))


class MitigationActionFilterSet(FilterSet):
    risk = IdFilter(queryset=Risk.objects.all())
    owner = IdFilter(queryset=User.objects.all())
    done = BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    q = TextSearchFilter("description")

    class Meta:
        model = MitigationAction
        fields = ["risk", "owner"]
