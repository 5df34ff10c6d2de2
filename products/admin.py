"""Admin for every products model: the object permission rules of the app, history where the model keeps it.

Lists stay fast with hundreds of thousands of features: related objects come in the same query
(``list_select_related``), foreign keys are picked with autocomplete or raw ids instead of a select box
loading every row, and the big changelists skip the second, unfiltered count.
"""

import copy

from django import forms
from django.contrib import admin
from django.db import models

from portfolio.core.admin import ParentPermissionInline, RulesModelAdmin, VersionedHistoryAdmin
from portfolio.core.permissions import refused_links
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


class ThroughServicesAdmin(ProductsModelAdmin):
    """Saves and deletes through the services (``<noun>_create``, ``_update``, ``_delete``), as pages and API do.

    The form's own checks (fields, constraints, the parent product) come first, so the services only refuse a
    write that raced past them.
    """

    fields_written: tuple[str, ...] = ()
    # The services are ``services.<noun>_create``, ``_update`` and ``_delete``, which take the object as ``<noun>``.
    noun = ""

    def service(self, action: str):
        return getattr(services, f"{self.noun}_{action}")

    def service_data(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in self.fields_written if name in form.cleaned_data}

    def save_model(self, request, obj, form, change):
        data = self.service_data(form)
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            data["product"] = form.cleaned_data.get("product", stored.product)
            saved = self.service("update")(user=request.user, data=data, **{self.noun: stored})
        else:
            saved = self.service("create")(user=request.user, product=form.cleaned_data["product"], data=data)
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The service saved the links with the row: the form's own many-to-many save would skip its checks.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.service("delete")(user=request.user, **{self.noun: obj})

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("product"):
            self.delete_model(request, obj)


@admin.register(Feedback)
class FeedbackAdmin(ThroughServicesAdmin):
    """Saved through the feedback services: the linked features' demand follows and the status follows the links."""

    list_display = ["summary", "product", "channel", "importance", "sentiment", "status", "company", "received_at"]
    list_filter = ["status", "channel", "importance", "sentiment", "product"]
    search_fields = ["summary", "customer_name", "company", "email"]
    autocomplete_fields = ["product", "features"]
    list_select_related = ["product"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    noun = "feedback"
    fields_written = (
        "summary",
        "body",
        "channel",
        "customer_name",
        "company",
        "email",
        "segment",
        "sentiment",
        "importance",
        "received_at",
        "status",
        "features",
    )


@admin.register(Competitor)
class CompetitorAdmin(ThroughServicesAdmin):
    list_display = ["name", "product", "threat_level", "website"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["threat_level"]
    search_fields = ["name", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]
    fields_written = services.COMPETITOR_FIELDS
    noun = "competitor"


class MarketInsightAdminForm(forms.ModelForm):
    """Refuses features of another product than the insight's, as ``services.insight_create`` does."""

    def clean(self):
        cleaned = super().clean()
        product, features = cleaned.get("product"), cleaned.get("features")
        if product is not None and features:
            chosen = copy.copy(self.instance)
            chosen.product = product
            for name, message in refused_links(chosen, "features", list(features)).items():
                self.add_error(name, message)
        return cleaned


@admin.register(MarketInsight)
class MarketInsightAdmin(ThroughServicesAdmin):
    form = MarketInsightAdminForm
    list_display = ["title", "product", "kind", "segment", "estimated_value"]
    list_filter = ["kind"]
    search_fields = ["title", "segment", "product__name"]
    autocomplete_fields = ["product", "features"]
    list_select_related = ["product"]
    fields_written = (*services.INSIGHT_FIELDS, "features")
    noun = "insight"

    def service_data(self, form) -> dict:
        data = super().service_data(form)
        if "features" in data:
            data["features"] = list(data["features"])
        return data


# -----------------------------------------------------------------------------
# Metrics
# -----------------------------------------------------------------------------
def _adopt(obj, saved) -> None:
    """Make the admin's ``obj`` the row a service created (``saved``), so the admin's log and redirect find it."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db


def _fields(form, names: tuple[str, ...]) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class MetricReadingInline(ParentPermissionInline):
    model = MetricReading
    fields = ["date", "value"]
    row_select_related = ("metric",)  # a reading is shown as "<metric>: <value> on <date>"
    ordering = ["-date"]


class ThroughReadingServices:
    """Readings saved and deleted through ``services.reading_*``, as on the pages and in the API."""

    @staticmethod
    def save_readings(request, formset, metric: ProductMetric) -> None:
        new, changed, deleted = [], [], []
        for form in formset.initial_forms:
            if formset.can_delete and formset._should_delete_form(form):
                services.reading_delete(user=request.user, reading=form.instance)
                deleted.append(form.instance)
            elif form.has_changed():
                data = _fields(form, services.READING_FIELDS)
                changed.append(
                    (services.reading_update(user=request.user, reading=form.instance, data=data), form.changed_data)
                )
        for form in formset.extra_forms:
            if form.has_changed() and not (formset.can_delete and formset._should_delete_form(form)):
                data = _fields(form, services.READING_FIELDS)
                new.append(services.reading_create(user=request.user, metric=metric, data=data))
        # What the admin's change message reads (a formset's ``save()`` would have set them).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = new, changed, deleted


@admin.register(ProductMetric)
class ProductMetricAdmin(ThroughReadingServices, ProductsModelAdmin):
    """KPIs, with their readings inline; every save and delete goes through the metric and reading services."""

    list_display = ["name", "product", "unit", "target", "direction"]
    list_filter = ["direction"]
    search_fields = ["name", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]
    inlines = [MetricReadingInline]

    def get_readonly_fields(self, request, obj=None):
        # A KPI stays with its product (its readings are that product's figures).
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "product"] if obj is not None and "product" not in readonly else readonly

    def save_model(self, request, obj, form, change):
        data = _fields(form, services.METRIC_FIELDS)
        if change:
            services.metric_update(user=request.user, metric=obj, data=data)
        else:
            _adopt(obj, services.metric_create(user=request.user, product=form.cleaned_data["product"], data=data))

    def save_formset(self, request, form, formset, change):
        self.save_readings(request, formset, form.instance)

    def delete_model(self, request, obj):
        services.metric_delete(user=request.user, metric=obj)

    def delete_queryset(self, request, queryset):
        for metric in queryset.select_related("product"):
            services.metric_delete(user=request.user, metric=metric)


@admin.register(MetricReading)
class MetricReadingAdmin(ProductsModelAdmin):
    """Readings of the KPIs; saved and deleted through the reading services."""

    parent_fields = ("metric",)
    list_display = ["metric", "product", "date", "value"]
    search_fields = ["metric__name", "metric__product__name"]
    autocomplete_fields = ["metric"]
    list_select_related = ["metric__product"]
    date_hierarchy = "date"

    @admin.display(description="Product", ordering="metric__product__name")
    def product(self, obj: MetricReading):
        return obj.metric.product

    def get_readonly_fields(self, request, obj=None):
        # A reading stays with its KPI: a value of another KPI is a new reading there.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "metric"] if obj is not None and "metric" not in readonly else readonly

    def save_model(self, request, obj, form, change):
        data = _fields(form, services.READING_FIELDS)
        if change:
            services.reading_update(user=request.user, reading=obj, data=data)
        else:
            _adopt(obj, services.reading_create(user=request.user, metric=form.cleaned_data["metric"], data=data))

    def delete_model(self, request, obj):
        services.reading_delete(user=request.user, reading=obj)

    def delete_queryset(self, request, queryset):
        for reading in queryset.select_related("metric__product"):
            services.reading_delete(user=request.user, reading=reading)
