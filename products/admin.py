"""Admin for every products model: the object permission rules of the app, history where the model keeps it.

Lists stay fast with hundreds of thousands of features: related objects come in the same query
(``list_select_related``), foreign keys are picked with autocomplete or raw ids instead of a select box
loading every row, and the big changelists skip the second, unfiltered count.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import models
from rules.contrib.admin import ObjectPermissionsModelAdmin
from rules.permissions import perm_exists
from simple_history.admin import SimpleHistoryAdmin

from portfolio.core.services import STALE_MESSAGE, versioned_update
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
from products.selectors import FEATURE_ORDERING, features_with_demand


# -----------------------------------------------------------------------------
# Bases
# -----------------------------------------------------------------------------
class VersionedAdminForm(forms.ModelForm):
    """Carries the ``version`` the form was opened at, so a stale save is refused, not silently applied.

    The version is read from the database, not from the instance: the history "Revert" page edits an old
    copy of the object whose ``version`` is the historical one.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.current_version()

    def current_version(self) -> int | None:
        model = type(self.instance)
        return model.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk and opened is not None and opened != self.current_version():
            raise ValidationError(STALE_MESSAGE.format(model=self.instance._meta.verbose_name))
        return cleaned


class ProductsModelAdmin(ObjectPermissionsModelAdmin):
    """Object permissions (portfolio/core/permissions.py), including on the product an object is put under.

    The admin asks ``add_<model>`` without an object and ``change_<model>`` on the object as it was, so
    without this check an editor of one product could add an object to, or move one into, another product.
    """

    parent_field: str | None = "product"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        parent_field, perm = self.parent_field, f"{self.opts.app_label}.add_{self.opts.model_name}"
        if parent_field is None or request.user.is_superuser:
            return form_class

        class ParentCheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                parent = cleaned.get(parent_field)
                if parent is not None and not request.user.has_perm(perm, parent):
                    self.add_error(parent_field, f"You may not add or move anything to this {parent_field}.")
                return cleaned

        ParentCheckedForm.__name__ = form_class.__name__
        return ParentCheckedForm


class VersionedHistoryAdmin(ProductsModelAdmin, SimpleHistoryAdmin):
    """Object permissions, the "History" page, and optimistic locking of ``version`` on every change."""

    form = VersionedAdminForm
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if not change:
            obj.save()
            return
        # Lock the row, re-check the version and bump it, like every other write of a versioned object.
        opened = form.cleaned_data.get("opened_version")
        versioned_update(instance=obj, version=form.current_version() if opened is None else opened, data={})


class ParentPermissionInline(admin.TabularInline):
    """An inline edited as part of its parent: the parent's object permissions decide (viewing or changing it).

    The rules for the inline's own model take one of its rows, not the parent, so they cannot be asked here.
    """

    extra = 0

    def _parent_perm(self, request, action: str, obj) -> bool:
        opts = self.parent_model._meta
        perm = f"{opts.app_label}.{get_permission_codename(action, opts)}"
        if action == "view" and not perm_exists(perm):
            return self._parent_perm(request, "change", obj)
        return request.user.has_perm(perm, obj)

    def has_view_permission(self, request, obj=None):
        return self._parent_perm(request, "view", obj) or self._parent_perm(request, "change", obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_perm(request, "change", obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_perm(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_perm(request, "change", obj)


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
    parent_field = None  # adding a product is the ``add_product`` permission itself
    list_display = ["name", "owner", "lifecycle_stage", "updated_at"]
    list_filter = ["lifecycle_stage"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["owner", "objectives"]
    list_select_related = ["owner"]
    inlines = [ProductMemberInline, ThemeInline]


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
class ReleaseAdmin(VersionedHistoryAdmin):
    list_display = ["name", "product", "target_date", "status", "released_on"]
    list_filter = ["status"]
    search_fields = ["name", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]
    date_hierarchy = "target_date"


@admin.register(Feature)
class FeatureAdmin(VersionedHistoryAdmin):
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
    readonly_fields = ["version", "rice_score"]
    # The index order: ordering by ``product`` would join and sort 200,000 rows by product name.
    ordering = list(FEATURE_ORDERING)
    show_full_result_count = False

    def get_queryset(self, request):
        return features_with_demand(super().get_queryset(request))

    @admin.display(description="Demand", ordering="demand")
    def demand(self, obj: Feature) -> int:
        return obj.demand


@admin.register(Feedback)
class FeedbackAdmin(ProductsModelAdmin):
    list_display = ["summary", "product", "channel", "importance", "sentiment", "status", "company", "received_at"]
    list_filter = ["status", "channel", "importance", "sentiment", "product"]
    search_fields = ["summary", "customer_name", "company", "email"]
    autocomplete_fields = ["product", "features"]
    list_select_related = ["product"]
    date_hierarchy = "received_at"
    show_full_result_count = False


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
    parent_field = "metric"
    list_display = ["metric", "product", "date", "value"]
    search_fields = ["metric__name", "metric__product__name"]
    autocomplete_fields = ["metric"]
    list_select_related = ["metric__product"]
    date_hierarchy = "date"

    @admin.display(description="Product", ordering="metric__product__name")
    def product(self, obj: MetricReading):
        return obj.metric.product
