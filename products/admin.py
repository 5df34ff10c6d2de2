"""Admin for every products model: the object permission rules of the app, history where the model keeps it.

Lists stay fast with hundreds of thousands of features: related objects come in the same query
(``list_select_related``), foreign keys are picked with autocomplete or raw ids instead of a select box
loading every row, and the big changelists skip the second, unfiltered count.
"""

from django.contrib import admin
from django.db import models

from portfolio.core.admin import ParentPermissionInline, RulesModelAdmin, VersionedHistoryAdmin
from products import services
from products.models import (
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)
from products.selectors import FEATURE_ORDERING, product_delete_blockers


class ProductsModelAdmin(RulesModelAdmin):
    """Object permissions, including on the product an object is put under (``add_<model>`` on the product)."""

    parent_fields = ("product",)


class ProductsVersionedAdmin(VersionedHistoryAdmin):
    """Object permissions on the object and its product, history, and optimistic locking of ``version``."""

    parent_fields = ("product",)


# -----------------------------------------------------------------------------
# Product and what hangs on it
# -----------------------------------------------------------------------------
class ProductMemberInline(ParentPermissionInline):
    model = ProductMember
    fields = ["user", "function", "role"]
    raw_id_fields = ["user"]


class ThemeInline(ParentPermissionInline):
    model = Theme
    fields = ["name", "colour", "position"]


@admin.register(Product)
class ProductAdmin(VersionedHistoryAdmin):
    # No parent: adding a product is the ``add_product`` permission itself.
    list_display = ["name", "owner", "lifecycle_stage", "archived_at", "updated_at"]
    list_filter = ["lifecycle_stage", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["owner", "objectives"]
    list_select_related = ["owner"]
    inlines = [ProductMemberInline, ThemeInline]

    def get_deleted_objects(self, objs, request):
        """Refuse, as ``services.product_delete`` does, a product that anything refers to: archive it instead.

        The admin would otherwise cascade to its features and feedback; what stands in the way is listed as
        protected, which makes the admin answer "Cannot delete" and change nothing.
        """
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for product in objs:
            protected += [
                f"{product}: {count} {what} (archive the product instead)"
                for what, count in product_delete_blockers(product=product)
            ]
        return deleted, counts, perms_needed, protected


@admin.register(ProductMember)
class ProductMemberAdmin(ProductsModelAdmin):
    list_display = ["user", "product", "function", "role"]
    list_filter = ["role", "function"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email", "product__name"]
    autocomplete_fields = ["product"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "product"]


@admin.register(Theme)
class ThemeAdmin(ProductsModelAdmin):
    list_display = ["name", "product", "colour", "position"]
    search_fields = ["name", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]


@admin.register(Release)
class ReleaseAdmin(ProductsVersionedAdmin):
    list_display = ["name", "product", "target_date", "status", "released_on"]
    list_filter = ["status"]
    search_fields = ["name", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]
    date_hierarchy = "target_date"


@admin.register(Feature)
class FeatureAdmin(ProductsVersionedAdmin):
    list_display = [
        "title",
        "product",
        "status",
        "horizon",
        "release",
        "theme",
        "owner",
        "rice_score",
        "demand",
        "updated_at",
    ]
    list_filter = ["status", "horizon", "product"]
    search_fields = ["title"]
    autocomplete_fields = ["product", "release", "theme"]
    raw_id_fields = ["owner", "objectives"]
    list_select_related = ["product", "release", "theme", "owner"]
    readonly_fields = ["version", "rice_score", "demand", "demand_count"]
    # The index order: ordering by ``product`` would join and sort 200,000 rows by product name.
    ordering = list(FEATURE_ORDERING)
    show_full_result_count = False


@admin.register(Feedback)
class FeedbackAdmin(ProductsModelAdmin):
    list_display = ["summary", "product", "channel", "importance", "sentiment", "status", "company", "received_at"]
    list_filter = ["status", "channel", "importance", "sentiment", "product"]
    search_fields = ["summary", "customer_name", "company", "email"]
    autocomplete_fields = ["product", "features"]
    list_select_related = ["product"]
    date_hierarchy = "received_at"
    show_full_result_count = False

    # Saved and deleted through the feedback services, so the linked features' demand follows in the same
    # transaction and the status follows the links, as on the pages and in the API.
    def save_model(self, request, obj, form, change):
        data = {name: value for name, value in form.cleaned_data.items() if name in form.base_fields}
        data["features"] = list(data.get("features") or [])
        if change:
            services.feedback_update(user=request.user, feedback=obj, data=data)
            return
        created = services.feedback_create(user=request.user, product=data.pop("product"), data=data)
        obj.pk, obj.status = created.pk, created.status

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # the links were saved by the service
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.feedback_delete(user=request.user, feedback=obj)

    def delete_queryset(self, request, queryset):
        for feedback in queryset:
            services.feedback_delete(user=request.user, feedback=feedback)


@admin.register(Competitor)
class CompetitorAdmin(ProductsModelAdmin):
    list_display = ["name", "product", "threat_level", "website"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["threat_level"]
    search_fields = ["name", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]


@admin.register(MarketInsight)
class MarketInsightAdmin(ProductsModelAdmin):
    list_display = ["title", "product", "kind", "segment", "estimated_value"]
    list_filter = ["kind"]
    search_fields = ["title", "segment", "product__name"]
    autocomplete_fields = ["product", "features"]
    list_select_related = ["product"]


# -----------------------------------------------------------------------------
# Metrics
# -----------------------------------------------------------------------------
class MetricReadingInline(ParentPermissionInline):
    model = MetricReading
    fields = ["date", "value"]
    row_select_related = ("metric",)  # a reading is shown as "<metric>: <value> on <date>"
    ordering = ["-date"]


@admin.register(ProductMetric)
class ProductMetricAdmin(ProductsModelAdmin):
    list_display = ["name", "product", "unit", "target", "direction"]
    list_filter = ["direction"]
    search_fields = ["name", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]
    inlines = [MetricReadingInline]


@admin.register(MetricReading)
class MetricReadingAdmin(ProductsModelAdmin):
    parent_fields = ("metric",)
    list_display = ["metric", "product", "date", "value"]
    search_fields = ["metric__name", "metric__product__name"]
    autocomplete_fields = ["metric"]
    list_select_related = ["metric__product"]
    date_hierarchy = "date"

    @admin.display(description="Product", ordering="metric__product__name")
    def product(self, obj: MetricReading):
        return obj.metric.product
