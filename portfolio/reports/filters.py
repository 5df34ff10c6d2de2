"""FilterSets for report subscriptions, the report archive and deliveries (shared by pages and API)."""

import django_filters

from portfolio.core.filters import BooleanFilter, FilterSet, IdFilter, TextSearchFilter
from portfolio.core.models import User
from portfolio.reports.models import ReportSubscription, StakeholderReport
from products.models import Product
from programs.models import Portfolio, Program


class ReportSubscriptionFilterSet(FilterSet):
    recipient = IdFilter(queryset=User.objects.all())
    portfolio = IdFilter(queryset=Portfolio.objects.all())
    program = IdFilter(queryset=Program.objects.all())
    product = IdFilter(queryset=Product.objects.all())
    organisation = BooleanFilter(method="filter_organisation", label="Whole organisation")

    class Meta:
        model = ReportSubscription
        fields = ["recipient", "frequency", "active", "portfolio", "program", "product"]

    def filter_organisation(self, queryset, name, value):
        if value is None:
            return queryset
        whole = {"portfolio__isnull": True, "program__isnull": True, "product__isnull": True}
        return queryset.filter(**whole) if value else queryset.exclude(**whole)


class StakeholderReportFilterSet(FilterSet):
    portfolio = IdFilter(queryset=Portfolio.objects.all())
    program = IdFilter(queryset=Program.objects.all())
    product = IdFilter(queryset=Product.objects.all())
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte", label="Period ends on or after")
    period_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", label="Period starts on or before"
    )
    scope_key = django_filters.CharFilter(label="Scope key (organisation, portfolio:<id>, program:<id>, product:<id>)")
    q = TextSearchFilter("period_key", "scope_key")

    class Meta:
        model = StakeholderReport
        fields = ["period_key", "portfolio", "program", "product"]
