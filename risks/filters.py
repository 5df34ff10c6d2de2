"""FilterSets of the risk register and of mitigation actions (shared by pages and API)."""

import operator
from functools import reduce

import django_filters
from django.utils import timezone

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
from programs.models import Portfolio, Program, Project
from risks.models import MitigationAction, Risk
from risks.selectors import escalated_q, heatmap_cell_q, review_overdue_q, scope_q, severity_q

SCALE_CHOICES = [(value, str(value)) for value in range(1, 6)]


class RiskFilterSet(FilterSet):
    """The register's filters. A portfolio's risks include its programs' and projects', a program's its projects'.

    ``probability`` and ``impact`` pick one cell of the heat map; with ``residual=true`` the residual map's cell
    (a risk without both residual values sits where its inherent values put it, as on that map).
    """

    portfolio = IdFilter(queryset=Portfolio.objects.all(), method="filter_scope")
    program = IdFilter(queryset=Program.objects.all(), method="filter_scope", label="Program (with its projects)")
    project = IdFilter(queryset=Project.objects.all())
    product = IdFilter(queryset=Product.objects.all())
    probability = django_filters.TypedChoiceFilter(choices=SCALE_CHOICES, coerce=int, method="filter_none")
    impact = django_filters.TypedChoiceFilter(choices=SCALE_CHOICES, coerce=int, method="filter_none")
    residual = BooleanFilter(method="filter_none", label="Cell of the residual map")
    escalated = BooleanFilter(method="filter_escalated")
    review_overdue = BooleanFilter(method="filter_review_overdue", label="Review overdue")
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

    def filter_scope(self, queryset, name, value):
        return queryset.filter(scope_q(**{name: value})) if value is not None else queryset

    def filter_none(self, queryset, name, value):
        return queryset  # read together in ``filter_queryset``

    def filter_escalated(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(escalated_q()) if value else queryset.exclude(escalated_q())

    def filter_review_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = review_overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        probability, impact = data.get("probability"), data.get("impact")
        residual = bool(data.get("residual"))
        if probability not in (None, "") and impact not in (None, ""):
            return queryset.filter(heatmap_cell_q(probability=probability, impact=impact, residual=residual))
        if probability not in (None, ""):
            field = "residual_probability" if residual else "probability"
            return queryset.filter(**{field: probability})
        if impact not in (None, ""):
            return queryset.filter(**{"residual_impact" if residual else "impact": impact})
        return queryset


class MitigationActionFilterSet(FilterSet):
    risk = IdFilter(queryset=Risk.objects.all())
    owner = IdFilter(queryset=User.objects.all())
    done = BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    q = TextSearchFilter("description")

    class Meta:
        model = MitigationAction
        fields = ["risk", "owner"]
