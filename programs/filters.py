"""One FilterSet per programs list, shared by pages and API (every FK, every status/choice, natural date ranges)."""

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from portfolio.core.filters import (
    BooleanFilter,
    FilterSet,
    IdFilter,
    IdsFilter,
    MultipleChoiceFilter,
    TextSearchFilter,
)
from portfolio.core.models import StrategicObjective, User
from products.models import Feature, Product
from programs.models import (
    RAG,
    RAG_BY_RANK,
    Allocation,
    CostEntry,
    Dependency,
    Milestone,
    Portfolio,
    Program,
    Project,
    ProjectObjective,
    Resource,
    ResourceRequest,
    StatusReport,
)


class ArchivedFilterSet(FilterSet):
    """A list whose archived rows are left out unless ``archived`` asks for them (pages and API alike)."""

    ARCHIVED_CHOICES = [
        ("false", "Not archived (the default)"),
        ("true", "Archived ones too"),
        ("only", "Archived ones only"),
    ]

    archived = django_filters.ChoiceFilter(
        choices=ARCHIVED_CHOICES,
        method="filter_archived",
        label="Archived",
        help_text=(
            "Archived ones are left out of the list by default: `true` lists them with the others, "
            "`only` lists them alone, `false` (or no value) leaves them out."
        ),
    )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("archived"):  # not asked: the default list, without the archived
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def filter_archived(self, queryset, name: str, value: str):
        if value == "only":
            return queryset.filter(archived_at__isnull=False)
        if value == "true":
            return queryset
        return queryset.filter(archived_at__isnull=True)


class PortfolioFilter(ArchivedFilterSet):
    owner = IdFilter(queryset=User.objects.all())
    q = TextSearchFilter("name", "description")

    class Meta:
        model = Portfolio
        fields = ["owner", "fiscal_year", "archived"]


class ProgramFilter(ArchivedFilterSet):
    portfolio = IdFilter(queryset=Portfolio.objects.all())
    manager = IdFilter(queryset=User.objects.all())
    objectives = IdsFilter(queryset=StrategicObjective.objects.all())
    q = TextSearchFilter("name", "description")
    start_date = django_filters.DateFromToRangeFilter()
    end_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Program
        fields = ["portfolio", "manager", "status", "objectives", "archived"]


class ProjectFilter(ArchivedFilterSet):
    program = IdFilter(queryset=Program.objects.all())
    portfolio = IdFilter(field_name="program__portfolio", queryset=Portfolio.objects.all())
    manager = IdFilter(queryset=User.objects.all())
    product = IdFilter(queryset=Product.objects.all())
    features = IdsFilter(queryset=Feature.objects.all())
    objectives = IdsFilter(queryset=StrategicObjective.objects.all())
    q = TextSearchFilter("name", "description")
    start_date = django_filters.DateFromToRangeFilter()
    end_date = django_filters.DateFromToRangeFilter()
    # Health is computed by the database (``selectors.with_health``), so it filters at any size.
    health = MultipleChoiceFilter(
        choices=RAG.choices,
        method="filter_health",
        help_text="Health (the override when set, else derived); repeat for more than one.",
    )

    class Meta:
        model = Project
        fields = ["program", "manager", "product", "features", "objectives", "status", "health_override", "archived"]

    def filter_health(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        # The queryset comes from ``selectors.with_health``: the colour is its ``health_rank``.
        return queryset.filter(health_rank__in=[RAG_BY_RANK.index(colour) for colour in value]) if value else queryset


class MilestoneFilter(FilterSet):
    project = IdFilter(queryset=Project.objects.all())
    program = IdFilter(field_name="project__program", queryset=Program.objects.all())
    q = TextSearchFilter("name")
    due_date = django_filters.DateFromToRangeFilter()
    completed = BooleanFilter(field_name="completed_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Milestone
        fields = ["project", "is_key"]


class DependencyFilter(FilterSet):
    from_project = IdFilter(queryset=Project.objects.all())
    to_project = IdFilter(queryset=Project.objects.all())
    project = IdFilter(method="filter_project", queryset=Project.objects.all(), label="Either end of the dependency")

    class Meta:
        model = Dependency
        fields = ["from_project", "to_project", "kind"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_project(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(from_project=value) | Q(to_project=value))


class ResourceFilter(FilterSet):
    user = IdFilter(queryset=User.objects.all())
    q = TextSearchFilter("name")

    class Meta:
        model = Resource
        fields = ["user", "function", "active"]


class AllocationFilter(FilterSet):
    resource = IdFilter(queryset=Resource.objects.all())
    project = IdFilter(queryset=Project.objects.all())
    program = IdFilter(field_name="project__program", queryset=Program.objects.all())
    function = django_filters.ChoiceFilter(
        field_name="resource__function", choices=Resource._meta.get_field("function").choices
    )
    start_date = django_filters.DateFromToRangeFilter()
    end_date = django_filters.DateFromToRangeFilter()
    active_on = django_filters.DateFilter(method="filter_active_on", label="Running on this date")

    class Meta:
        model = Allocation
        fields = ["resource", "project"]

    @extend_schema_field(OpenApiTypes.DATE)
    def filter_active_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(start_date__lte=value, end_date__gte=value)


class ResourceRequestFilter(FilterSet):
    product = IdFilter(queryset=Product.objects.all())
    project = IdFilter(queryset=Project.objects.all())
    program = IdFilter(field_name="project__program", queryset=Program.objects.all())
    requested_by = IdFilter(queryset=User.objects.all())
    resource = IdFilter(queryset=Resource.objects.all())
    decided_by = IdFilter(queryset=User.objects.all())
    q = TextSearchFilter("justification")
    start_date = django_filters.DateFromToRangeFilter()
    end_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = ResourceRequest
        fields = ["product", "project", "requested_by", "resource", "decided_by", "function", "status"]


class CostEntryFilter(FilterSet):
    project = IdFilter(queryset=Project.objects.all())
    program = IdFilter(field_name="project__program", queryset=Program.objects.all())
    q = TextSearchFilter("note")
    date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = CostEntry
        fields = ["project", "category"]


class StatusReportFilter(FilterSet):
    project = IdFilter(queryset=Project.objects.all())
    program = IdFilter(field_name="project__program", queryset=Program.objects.all())
    author = IdFilter(queryset=User.objects.all())
    q = TextSearchFilter("summary")
    period_end = django_filters.DateFromToRangeFilter()

    class Meta:
        model = StatusReport
        fields = ["project", "author", "status", "overall", "schedule", "budget", "scope"]


# --- Delivery: a project's alignment with the strategic objectives -------------------------------------


class ProjectObjectiveFilter(FilterSet):
    project = IdFilter(queryset=Project.objects.all())
    program = IdFilter(field_name="project__program", queryset=Program.objects.all())
    objective = IdFilter(queryset=StrategicObjective.objects.all())

    class Meta:
        model = ProjectObjective
        fields = ["project", "objective", "contribution"]
